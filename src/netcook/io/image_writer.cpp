#include "netcook/io/image_writer.h"

#include <cstddef>
#include <cstdint>
#include <new>
#include <stdexcept>

#include "netcook/io/checked_file.h"
#include "netcook/io/image_formats.h"
#include "netcook/io/media.h"
#include "netcook/io/png_writer.h"
#include "netcook/io/temp_file.h"
#include "netcook/kernels/convert.h"

namespace netcook {

namespace {

// fsync each frame before its rename? No: see docs/decisions.md
// (2026-11-27, "No fsync before rename") for the measurement and the reason.
constexpr bool kSyncBeforeRename = false;

// Writes the encoded `bytes` (netcook's own encoders) to `temp` with the
// same checks as encode_checked.
void write_bytes_checked(const std::string& path, const std::string& temp, const std::vector<uint8_t>& bytes) {
  const auto fail = [&](const std::string& reason) { throw IoError("cannot write " + path + ": " + reason); };
  io_detail::CheckedFile file(temp);
  if (const int err = file.first_errno()) fail(io_detail::errno_message(err));
  const size_t written = file.write(bytes.data(), bytes.size());
  if (const int err = file.finish(kSyncBeforeRename)) fail(io_detail::errno_message(err));
  if (written != bytes.size() || file.bytes_written() != bytes.size()) fail("short write");
}

}  // namespace

// PNG here (netcook's own encoder, libdeflate only); every other format
// through OpenImageIO in the media library (image_writer_oiio.cpp).
void write_image(const std::string& path, ConstImageView rgba, const OutputSpec& spec) {
  OutputSpec checked = spec;
  checked.path_pattern = path;
  if (auto err = validate_output(checked, false)) throw IoError("cannot write " + path + ": " + *err);
  if (rgba.channels != 4 || rgba.empty())
    throw IoError("cannot write " + path + ": expected a non-empty RGBA image");

  const auto& rules = *io_detail::image_format_rules(path_extension(path));
  if (rules.name != "png") {
    NETCOOK_MEDIA_CALL(netcook_media_write_image, path, rgba, spec);
    return;
  }
  const int bits = effective_bits(checked);
  const int out_channels = rules.alpha ? 4 : 3;
  const size_t values = static_cast<size_t>(rgba.width) * rgba.height * out_channels;
  std::vector<unsigned char> pixels;
  if (bits == 8) {
    pixels.resize(values);
    float_to_uint8(rgba, out_channels, pixels.data(), static_cast<std::ptrdiff_t>(rgba.width) * out_channels, 1);
  } else {
    pixels.resize(values * sizeof(uint16_t));
    float_to_uint16(rgba, out_channels, reinterpret_cast<uint16_t*>(pixels.data()),
                    static_cast<std::ptrdiff_t>(rgba.width) * out_channels, 1);
  }
  const auto compression = *io_detail::resolve_image_compression(rules, spec.compression, bits);
  // netcook's own encoder (io/png_writer.h): libdeflate is ~3x faster than
  // libpng's zlib for the same or smaller files.
  std::vector<uint8_t> png;
  try {
    png = io_detail::encode_png(pixels.data(), rgba.width, rgba.height, out_channels, bits,
                                {compression.png_level, compression.png_filter});
  } catch (const std::bad_alloc&) {
    throw IoError("cannot write " + path + ": out of memory");
  } catch (const std::exception& e) {
    throw IoError("cannot write " + path + ": " + e.what());
  }
  std::vector<unsigned char>().swap(pixels);
  const std::string temp = io_detail::prepare_temp_path(path);
  try {
    write_bytes_checked(path, temp, png);
  } catch (...) {
    io_detail::discard_temp_file(temp);
    throw;
  }
  io_detail::commit_temp_file(temp, path);
}

}  // namespace netcook
