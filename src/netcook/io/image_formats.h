// Internal to io/: the per-format rules that validate_output() checks and
// write_image() applies, kept in one table so the two cannot disagree.
// docs/output-formats.md describes the same table for users.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace netcook::io_detail {

struct ImageFormatRules {
  std::string name;          // canonical extension used in messages ("tif", "jpg")
  std::vector<int> bits;     // allowed bit depths; front() is the default
  std::vector<std::string> compressions;  // names accepted by `compression:`
  std::string compression_help;           // the allowed values, for messages
  bool alpha = true;         // writes RGBA; false: RGB (alpha dropped)
  bool quality = false;      // accepts `quality:` 0..100
};

// nullptr when `ext` (lower-case, no dot) is not an image format we write.
const ImageFormatRules* image_format_rules(const std::string& ext);

// A `compression:` value resolved to what OpenImageIO is given.
struct ImageCompression {
  std::string oiio_compression;  // the "compression" attribute; "" = leave unset
  // PNG (io/png_writer.h): 0..9 as zlib's levels, 10..12 libdeflate's
  // slower, smaller ones.
  int png_level = -1;            // -1 = not PNG
  int png_filter = -1;           // PngFilter 0..4 on every row; -1 = adaptive per row
  bool png_fast = false;         // `fast`: ISA-L's igzip level 1 instead of libdeflate
};

// nullopt when `value` is not valid for the format; "" gives the default,
// which may depend on the bit depth (`bits` 0 = the format default).
std::optional<ImageCompression> resolve_image_compression(const ImageFormatRules& rules,
                                                          const std::string& value, int bits = 0);

// A `png_filter:` name: 0..4 (PngFilter) for a fixed filter, -1 for
// "adaptive" (libpng's per-row choice); nullopt for anything else.
std::optional<int> png_filter_from_name(const std::string& name);
extern const std::vector<std::string> kPngFilterNames;  // adaptive none sub up average paeth

// The defaults (see docs/output-formats.md for the measurements behind them).
constexpr int kPngDefaultLevel = 1;
constexpr int kJpegDefaultQuality = 95;
constexpr int kWebpDefaultQuality = 95;

}  // namespace netcook::io_detail
