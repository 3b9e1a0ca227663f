#include "netcook/io/image_writer.h"

#include <cstddef>
#include <cstdint>
#include <new>
#include <stdexcept>
#include <vector>

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

// netcook's own PNG encoder (io/png_writer.h): rows are converted from
// float as the encoder asks for them, so no 8/16-bit copy of the frame is
// made, and the encoded bytes go straight to the checked temporary file.
void write_png(const std::string& path, ConstImageView rgba, int out_channels, int bits,
               const io_detail::ImageCompression& compression) {
  thread_local std::vector<uint16_t> row16;
  if (bits == 16) row16.resize(static_cast<size_t>(rgba.width) * out_channels);
  const auto source = [&](int y, uint8_t* out) {
    const ConstImageView row(rgba.row(y), rgba.width, 1, rgba.stride, rgba.channels);
    if (bits == 8) {
      float_to_uint8(row, out_channels, out, static_cast<std::ptrdiff_t>(rgba.width) * out_channels, 1);
      return;
    }
    float_to_uint16(row, out_channels, row16.data(), static_cast<std::ptrdiff_t>(rgba.width) * out_channels, 1);
    for (size_t i = 0; i < row16.size(); ++i) {  // PNG stores 16-bit samples big-endian
      out[2 * i] = static_cast<uint8_t>(row16[i] >> 8);
      out[2 * i + 1] = static_cast<uint8_t>(row16[i]);
    }
  };
  const auto fail = [&](const std::string& reason) { throw IoError("cannot write " + path + ": " + reason); };
  const std::string temp = io_detail::prepare_temp_path(path);
  try {
    io_detail::CheckedFile file(temp);
    if (const int err = file.first_errno()) fail(io_detail::errno_message(err));
    size_t sent = 0;
    try {
      io_detail::encode_png(rgba.width, rgba.height, out_channels, bits,
                            {compression.png_level, compression.png_filter, compression.png_fast}, source,
                            [&](const uint8_t* data, size_t size) {
                              sent += size;
                              if (file.write(data, size) != size) {
                                // The errno names the cause; stop encoding at the first failure.
                                const int err = file.first_errno();
                                fail(err ? io_detail::errno_message(err) : std::string("short write"));
                              }
                            });
    } catch (const IoError&) {
      throw;
    } catch (const std::bad_alloc&) {
      fail("out of memory");
    } catch (const std::exception& e) {
      fail(e.what());
    }
    if (const int err = file.finish(kSyncBeforeRename)) fail(io_detail::errno_message(err));
    if (file.bytes_written() != sent) fail("short write");
  } catch (...) {
    io_detail::discard_temp_file(temp);
    throw;
  }
  io_detail::commit_temp_file(temp, path);
}

}  // namespace

// PNG here (netcook's own encoder, libdeflate only); every other format
// through OpenImageIO in the image library (image_writer_oiio.cpp).
void write_image(const std::string& path, ConstImageView rgba, const OutputSpec& spec) {
  OutputSpec checked = spec;
  checked.path_pattern = path;
  if (auto err = validate_output(checked, false)) throw IoError("cannot write " + path + ": " + *err);
  if (rgba.channels != 4 || rgba.empty())
    throw IoError("cannot write " + path + ": expected a non-empty RGBA image");

  const auto& rules = *io_detail::image_format_rules(path_extension(path));
  if (rules.name != "png") {
    NETCOOK_MEDIA_CALL(netcook_image_write, path, rgba, spec);
    return;
  }
  const int bits = effective_bits(checked);
  const int out_channels = rules.alpha ? 4 : 3;
  auto compression = *io_detail::resolve_image_compression(rules, spec.compression, bits);
  if (!spec.png_filter.empty()) compression.png_filter = *io_detail::png_filter_from_name(spec.png_filter);
  write_png(path, rgba, out_channels, bits, compression);
}

void load_media_libraries() {
  io_detail::media_symbol("netcook_image_read_info");
  io_detail::media_symbol("netcook_video_read_info");
}

}  // namespace netcook
