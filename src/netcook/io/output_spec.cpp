#include "netcook/io/output_spec.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <stdexcept>

#include "netcook/core/errors.h"
#include "netcook/io/image_formats.h"
#include "netcook/io/video_writer.h"

namespace netcook {
namespace io_detail {

namespace {

const std::vector<ImageFormatRules>& format_table() {
  static const std::vector<ImageFormatRules> table = {
      {"png", {8, 16}, {"default", "fast", "0..12", "zip", "zip:0..12"}, "default, fast, 0..12, zip, zip:0..12", true, false},
      {"exr",
       {16, 32},
       {"none", "rle", "zips", "zip", "piz", "pxr24", "b44", "b44a", "dwaa", "dwab"},
       "none, rle, zips, zip, piz, pxr24, b44, b44a, dwaa, dwab, dwaa:LEVEL, dwab:LEVEL",
       true,
       false},
      {"tif", {8, 16, 32}, {"none", "lzw", "zip", "packbits"}, "none, lzw, zip, zip:1..9, packbits", true, false},
      {"jpg", {8}, {}, "", false, true},
      {"bmp", {8}, {}, "", true, false},
      {"tga", {8}, {"none", "rle"}, "none, rle", true, false},
      {"hdr", {32}, {}, "", false, false},
      {"webp", {8}, {}, "", true, true},
  };
  return table;
}

bool parse_int(const std::string& s, int lo, int hi, int& out) {
  if (s.empty() || s.size() > 3) return false;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v < lo || v > hi) return false;
  out = v;
  return true;
}

bool parse_positive_number(const std::string& s) {
  if (s.empty()) return false;
  size_t used = 0;
  double v = 0;
  try {
    v = std::stod(s, &used);
  } catch (const std::exception&) {
    return false;
  }
  return used == s.size() && v > 0 && v < 1e6;
}

}  // namespace

const ImageFormatRules* image_format_rules(const std::string& ext) {
  std::string e = ext == "tiff" ? "tif" : ext == "jpeg" ? "jpg" : ext;
  for (const auto& rules : format_table())
    if (rules.name == e) return &rules;
  return nullptr;
}

const std::vector<std::string> kPngFilterNames = {"adaptive", "none", "sub", "up", "average", "paeth"};

std::optional<int> png_filter_from_name(const std::string& name) {
  for (size_t i = 0; i < kPngFilterNames.size(); ++i)
    if (kPngFilterNames[i] == name) return static_cast<int>(i) - 1;
  return std::nullopt;
}

std::optional<ImageCompression> resolve_image_compression(const ImageFormatRules& rules,
                                                          const std::string& value, int bits) {
  ImageCompression out;
  const std::string& name = rules.name;
  if (name == "png") {
    if (value == "fast") {
      // igzip level 1 with the up filter: about half libdeflate level 1's
      // CPU, files ~20% larger (docs/performance.md, "compression: fast").
      out.png_level = 1;
      out.png_fast = true;
      out.png_filter = 2;  // PngFilter::Up
      return out;
    }
    int level = kPngDefaultLevel;
    if (value.empty() || value == "default") {
      level = kPngDefaultLevel;
    } else if (value == "zip") {
      level = 6;
    } else if (value.rfind("zip:", 0) == 0) {
      if (!parse_int(value.substr(4), 0, 12, level)) return std::nullopt;
    } else if (!parse_int(value, 0, 12, level)) {
      return std::nullopt;
    }
    out.png_level = level;
    // At fast levels the single "sub" filter beats libpng's adaptive choice
    // in both time and size on renders; slow levels are asked for size, so
    // they keep the adaptive filter.
    if (level <= 3) out.png_filter = 1;  // PngFilter::Sub
    return out;
  }
  if (name == "exr") {
    if (value.empty()) {
      // The fastest lossless codecs at 1920x1080: piz for half, zips for
      // float (docs/output-formats.md).
      out.oiio_compression = bits == 32 ? "zips" : "piz";
      return out;
    }
    const auto colon = value.find(':');
    const std::string base = value.substr(0, colon);
    const auto& names = rules.compressions;
    if (std::find(names.begin(), names.end(), base) == names.end()) return std::nullopt;
    if (colon != std::string::npos) {
      if (base != "dwaa" && base != "dwab") return std::nullopt;
      if (!parse_positive_number(value.substr(colon + 1))) return std::nullopt;
    }
    out.oiio_compression = value;
    return out;
  }
  if (name == "tif") {
    if (value.empty() || value == "none") {
      out.oiio_compression = "none";
      return out;
    }
    if (value == "lzw" || value == "zip" || value == "packbits") {
      out.oiio_compression = value;
      return out;
    }
    int level = 0;
    if (value.rfind("zip:", 0) == 0 && parse_int(value.substr(4), 1, 9, level)) {
      out.oiio_compression = value;
      return out;
    }
    return std::nullopt;
  }
  if (name == "tga") {
    if (value.empty() || value == "none") {
      out.oiio_compression = "none";
      return out;
    }
    if (value == "rle") {
      out.oiio_compression = "rle";
      return out;
    }
    return std::nullopt;
  }
  // jpg, bmp, hdr, webp: nothing to choose.
  if (value.empty()) return out;
  return std::nullopt;
}

}  // namespace io_detail

namespace {

const char* kKnownExtensions =
    "images: .png .exr .tif .tiff .jpg .jpeg .bmp .tga .hdr .webp; "
    "video: .mp4 .mov .mkv .webm .gif";

std::string unknown_extension_message(const std::string& path) {
  const std::string ext = path_extension(path);
  if (ext.empty()) return std::string("output path has no file extension (") + kKnownExtensions + ")";
  return "unknown output file extension '." + ext + "' (" + kKnownExtensions + ")";
}

std::string bits_name(int bits) { return bits == 32 ? "32f" : std::to_string(bits); }

std::string join_bits(const std::vector<int>& bits) {
  std::string s;
  for (size_t i = 0; i < bits.size(); ++i) {
    if (i) s += ", ";
    s += bits_name(bits[i]);
    if (bits[i] == 16 && bits.front() == 16 && bits.size() == 2 && bits[1] == 32) s += " (half)";
  }
  return s;
}

}  // namespace

std::string path_extension(const std::string& path) {
  const auto slash = path.find_last_of('/');
  const auto dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  std::string ext = path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

std::optional<OutputKind> try_kind_for_path(const std::string& path) {
  const std::string ext = path_extension(path);
  if (io_detail::image_format_rules(ext)) return OutputKind::Image;
  if (ext == "mp4" || ext == "mov" || ext == "mkv" || ext == "webm" || ext == "gif")
    return OutputKind::Video;
  return std::nullopt;
}

OutputKind kind_for_path(const std::string& path) {
  auto kind = try_kind_for_path(path);
  if (!kind) throw std::invalid_argument(unknown_extension_message(path));
  return *kind;
}

OutputSpec output_spec_for_path(const std::string& path) {
  OutputSpec spec;
  spec.path_pattern = path;
  spec.kind = kind_for_path(path);
  return spec;
}

int effective_bits(const OutputSpec& spec) {
  const auto* rules = io_detail::image_format_rules(path_extension(spec.path_pattern));
  if (!rules) return 0;
  return spec.bits != 0 ? spec.bits : rules->bits.front();
}

namespace {

// Calls on_literal(char) and on_token(width) for each piece of `pattern`;
// width 0 is "%d" (no padding).
template <class Literal, class Token>
void scan_pattern(const std::string& pattern, Literal&& on_literal, Token&& on_token) {
  const size_t n = pattern.size();
  size_t i = 0;
  while (i < n) {
    const char c = pattern[i];
    if (c == '#') {
      size_t j = i;
      while (j < n && pattern[j] == '#') ++j;
      on_token(static_cast<int>(j - i));
      i = j;
      continue;
    }
    if (c == '%') {
      size_t j = i + 1;
      while (j < n && j - i <= 3 && pattern[j] >= '0' && pattern[j] <= '9') ++j;
      if (j < n && pattern[j] == 'd') {
        int width = 0;
        for (size_t k = i + 1; k < j; ++k) width = width * 10 + (pattern[k] - '0');
        on_token(width);
        i = j + 1;
        continue;
      }
    }
    on_literal(c);
    ++i;
  }
}

}  // namespace

bool has_frame_token(const std::string& pattern) {
  bool found = false;
  scan_pattern(pattern, [](char) {}, [&](int) { found = true; });
  return found;
}

std::string expand_frame_path(const std::string& pattern, int frame) {
  std::string out;
  out.reserve(pattern.size() + 8);
  scan_pattern(
      pattern, [&](char c) { out += c; },
      [&](int width) {
        char buf[48];
        std::snprintf(buf, sizeof buf, "%0*d", width, frame);
        out += buf;
      });
  return out;
}

std::optional<std::string> validate_output(const OutputSpec& spec, bool multi_frame) {
  const std::string& path = spec.path_pattern;
  const auto kind = try_kind_for_path(path);
  if (!kind) return unknown_extension_message(path);
  const std::string ext = path_extension(path);
  if (*kind != spec.kind)
    return std::string("output kind does not match the file extension '.") + ext + "'";

  if (spec.quality != -1 && (spec.quality < 0 || spec.quality > 100))
    return "quality " + std::to_string(spec.quality) + " out of range (allowed: 0..100)";

  if (*kind == OutputKind::Image) {
    const auto& rules = *io_detail::image_format_rules(ext);
    if (!spec.codec.empty())
      return std::string("codec applies to video outputs only (.mp4 .mov .mkv .webm .gif)");
    for (const auto& [key, value] : {std::pair<const char*, const std::string*>{"preset", &spec.preset},
                                     {"pixel_format", &spec.pixel_format},
                                     {"bitrate", &spec.bitrate}})
      if (!value->empty()) return std::string(key) + " applies to video outputs only (.mp4 .mov .mkv .webm .gif)";
    if (spec.bits != 0 &&
        std::find(rules.bits.begin(), rules.bits.end(), spec.bits) == rules.bits.end())
      return "bits " + bits_name(spec.bits) + " not allowed for " + rules.name +
             " (allowed: " + join_bits(rules.bits) + ")";
    if (!io_detail::resolve_image_compression(rules, spec.compression)) {
      if (rules.compression_help.empty())
        return rules.name + " takes no compression setting" +
               (rules.quality ? "; use quality: 0..100" : "");
      return "unknown compression '" + spec.compression + "' for " + rules.name +
             did_you_mean(spec.compression, rules.compressions) + " (allowed: " + rules.compression_help + ")";
    }
    if (spec.quality != -1 && !rules.quality)
      return std::string("quality applies to jpg, webp and video outputs only");
    if (!spec.png_filter.empty()) {
      if (rules.name != "png") return std::string("png_filter applies to png outputs only");
      if (!io_detail::png_filter_from_name(spec.png_filter))
        return "unknown png_filter '" + spec.png_filter + "'" +
               did_you_mean(spec.png_filter, io_detail::kPngFilterNames) +
               " (allowed: adaptive, none, sub, up, average, paeth)";
    }
    if (multi_frame && !has_frame_token(path))
      return std::string(
          "an image sequence of several frames needs a frame number in the path "
          "(a run of # or %04d)");
    return std::nullopt;
  }

  // Video.
  if (has_frame_token(path))
    return std::string(
        "a video path cannot hold a frame number (# or %04d): one file holds every frame");
  if (spec.bits != 0) return std::string("bits applies to image outputs only");
  if (!spec.png_filter.empty()) return std::string("png_filter applies to png outputs only");
  if (!spec.compression.empty())
    return std::string("compression applies to image outputs only; video takes codec: and quality:");
  // libav knows its encoders: a movie output loads the video library (io/media.h).
  return check_video_settings(spec);
}

std::string default_video_codec(const std::string& path) {
  const std::string ext = path_extension(path);
  if (ext == "mov") return "prores_ks";
  if (ext == "mp4" || ext == "mkv") return "libx264";
  if (ext == "webm") return "libvpx-vp9";
  if (ext == "gif") return "gif";
  return "";
}

std::string partial_path(const std::string& path) {
  const auto slash = path.find_last_of('/');
  const auto dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return path + ".partial";
  return path.substr(0, dot) + ".partial" + path.substr(dot);
}

}  // namespace netcook
