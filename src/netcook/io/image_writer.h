// Image files: one frame of RGBA float pixels to PNG (netcook's own encoder
// on libdeflate, io/png_writer.h), EXR, TIFF, JPEG, BMP, TGA, HDR or WebP
// (through OpenImageIO), and the read-back used by tests.
//
// Rules shared by every format:
//   - The format follows the extension; bits and compression follow the
//     OutputSpec, defaults as in docs/output-formats.md (chosen for encode
//     speed, since encoding a frame is often slower than cooking it).
//   - Float to integer: clamp to [0, 1] (NaN -> 0), scale by 255 or 65535
//     and round to nearest. Float formats (exr, 32-bit tif, hdr) keep values
//     as they are, outside [0, 1] included (exr 16 bits rounds to half).
//   - Pixel values are written as given: no (un)premultiplication, no colour
//     transform. Formats without alpha (jpg, hdr) drop the alpha channel.
//   - Writes are atomic: the parent directories are created, the pixels go
//     to ".NAME.tmp-PID-N.EXT" beside the target, which is renamed onto
//     PATH once complete. On any failure the temporary file is removed and
//     IoError("cannot write PATH: REASON") is thrown; PATH is either the old
//     file or the complete new one, never a partial one.
//   - "Complete" is checked: every byte goes through io/checked_file.h,
//     which sees each failed or short write(2) and a failed close(2); REASON
//     is then the errno's text ("No space left on device", "File too
//     large"). OpenImageIO's own result and error state are checked too.
//   - Thread-safe: any number of write_image calls may run at once.
//   - PNG is written here; the other formats and reading go through
//     OpenImageIO in the image library (io/media.h), loaded on first use.
#pragma once

#include <string>
#include <vector>

#include "netcook/io/io_error.h"
#include "netcook/io/media.h"
#include "netcook/io/output_spec.h"
#include "netcook/kernels/image_view.h"

namespace netcook {

// Writes `rgba` (channels must be 4, rows top first) to `path`, a frame path
// already expanded from spec.path_pattern. The spec's settings are checked
// with validate_output(); a bad one throws IoError.
void write_image(const std::string& path, ConstImageView rgba, const OutputSpec& spec);

// What a file on disk holds, as OpenImageIO reports it.
struct ImageInfo {
  int width = 0;
  int height = 0;
  int channels = 0;
  int bits = 0;              // bits per channel value: 8, 16, 32
  bool is_float = false;     // half or float samples
  std::string pixel_type;    // "uint8", "uint16", "half", "float"
  std::string format;        // OpenImageIO format name: "png", "openexr", "tiff", ...
  std::string compression;   // the file's "compression" attribute, "" if none
};

// Throws IoError("cannot read PATH: REASON").
ImageInfo read_image_info(const std::string& path);

// The first subimage as RGBA float, rows top first, integer samples scaled to
// [0, 1], alpha exactly as stored (no premultiplication), a missing alpha
// read as 1, a single grey channel copied to R, G and B.
// Throws IoError("cannot read PATH: REASON").
std::vector<float> read_image_rgba(const std::string& path, int& width, int& height);

// Loads OpenImageIO and libav now rather than at their first use. A process
// that forks workers (`netcook test`) calls it once, so each worker inherits
// the loaded libraries instead of loading its own ~260 of them.
// Throws IoError when either media library cannot be found.
void load_media_libraries();

}  // namespace netcook

// Entry points of the image library (io/media.h; image_writer_oiio.cpp):
// write_image for formats other than PNG, read_image_info, read_image_rgba.
NETCOOK_MEDIA_ENTRY void netcook_image_write(const std::string& path, netcook::ConstImageView rgba,
                                             const netcook::OutputSpec& spec);
NETCOOK_MEDIA_ENTRY netcook::ImageInfo netcook_image_read_info(const std::string& path);
NETCOOK_MEDIA_ENTRY std::vector<float> netcook_image_read_rgba(const std::string& path, int& width, int& height);
