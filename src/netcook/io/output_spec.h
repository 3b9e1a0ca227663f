// Output specs: what one `outputs:` entry of a scene asks to be written, and
// the rules that check it before anything is cooked.
//
// The file kind follows the extension (scene format rule 6): images go
// through OpenImageIO (image_writer.h), video through libav (video_writer.h).
// validate_output() checks every setting against the format and returns a
// short lower-case message that lists the allowed values; the scene loader
// prints it as `FILE:LINE:COL: error: MESSAGE`, so the writers themselves
// never see a spec that would fail validation.
//
// Frame-number tokens in a path pattern:
//   - every run of N '#' becomes the frame number zero-padded to N
//     characters ("####" -> 0042); every run is replaced, so
//     "shots/####/beauty.####.exr" names the frame twice;
//   - every printf "%0Nd" becomes the frame padded to N characters, "%d"
//     the plain number; "%%" is a literal '%'; any other '%' is literal;
//   - padding follows printf: the width counts a minus sign, so frame -5
//     with "####" gives "-005"; numbers wider than the run are not cut.
#pragma once

#include <optional>
#include <string>

namespace netcook {

enum class OutputKind { Image, Video };

struct OutputSpec {
  using Kind = OutputKind;
  static constexpr OutputKind Image = OutputKind::Image;
  static constexpr OutputKind Video = OutputKind::Video;

  std::string path_pattern;            // may hold a frame token (images only)
  OutputKind kind = OutputKind::Image;  // must agree with kind_for_path()
  int bits = 0;              // 0 = format default; 8, 16 or 32 (32 = float, "32f")
  std::string compression;   // "" = format default; names in docs/output-formats.md
  std::string codec;         // video only; "" = container default; any libav encoder
  int quality = -1;          // -1 = default; 0..100 (jpg, webp, video)
  // png only: "" = by level (sub at levels 0..3, adaptive above), or
  // adaptive, none, sub, up, average, paeth (docs/output-formats.md).
  std::string png_filter;
  // Video only (video_writer.h); "" = the codec's default.
  std::string preset;        // x264/x265 preset, VP9 speed 0..8
  std::string pixel_format;  // a libav pixel format the encoder takes
  std::string bitrate;       // "8M", "2500k" or bits/s
};

// Lower-case extension without the dot ("frame.0001.EXR" -> "exr"); "" if none.
std::string path_extension(const std::string& path);

// Image or video by extension. Images: png exr tif tiff jpg jpeg bmp tga hdr
// webp. Video: mp4 mov mkv webm gif. nullopt for anything else.
std::optional<OutputKind> try_kind_for_path(const std::string& path);

// As try_kind_for_path(), but an unknown extension throws
// std::invalid_argument with the same message validate_output() gives.
OutputKind kind_for_path(const std::string& path);

// A spec for `path` with its kind set and every setting at its default.
// Throws std::invalid_argument for an unknown extension.
OutputSpec output_spec_for_path(const std::string& path);

// The bit depth an image spec writes: spec.bits, or the format default
// (8 for png tif jpg bmp tga webp, 16 (half) for exr, 32 for hdr).
// 0 for video.
int effective_bits(const OutputSpec& spec);

bool has_frame_token(const std::string& pattern);

// The pattern with every frame token replaced by `frame` (see above).
std::string expand_frame_path(const std::string& pattern, int frame);

// nullopt when `spec` can be written; else the reason. `multi_frame` says the
// render writes more than one frame to this output (an image pattern then
// needs a frame token).
std::optional<std::string> validate_output(const OutputSpec& spec, bool multi_frame);

}  // namespace netcook
