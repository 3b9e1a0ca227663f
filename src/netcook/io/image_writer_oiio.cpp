// The OpenImageIO side of io/image_writer.h, in the image library
// (io/media.h): every image format but PNG, and reading images back.
#include "netcook/io/image_writer.h"

#include <OpenImageIO/filesystem.h>
#include <OpenImageIO/half.h>
#include <OpenImageIO/imageio.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <stdexcept>

#include "netcook/io/checked_file.h"
#include "netcook/io/image_formats.h"
#include "netcook/io/temp_file.h"
#include "netcook/kernels/convert.h"

namespace netcook {

namespace {

// OpenImageIO's plugins write through this, and it through a CheckedFile.
class CheckedFileProxy final : public OIIO::Filesystem::IOProxy {
 public:
  CheckedFileProxy(const std::string& path, io_detail::CheckedFile& file) : IOProxy(path, Write), file_(file) {
    if (file_.first_errno() != 0) m_mode = Closed;
  }
  const char* proxytype() const override { return "netcook-checked"; }
  void close() override {
    file_.close();
    m_mode = Closed;
  }
  bool seek(int64_t offset) override {
    if (!file_.seek(offset)) return false;
    m_pos = offset;
    return true;
  }
  size_t read(void* buf, size_t size) override {
    file_.seek(m_pos);
    const size_t n = file_.read(buf, size);
    m_pos = file_.tell();
    return n;
  }
  size_t write(const void* buf, size_t size) override {
    file_.seek(m_pos);
    const size_t n = file_.write(buf, size);
    m_pos = file_.tell();
    return n;
  }
  size_t pread(void* buf, size_t size, int64_t offset) override { return file_.pread(buf, size, offset); }
  size_t pwrite(const void* buf, size_t size, int64_t offset) override { return file_.pwrite(buf, size, offset); }
  size_t size() const override { return file_.size(); }
  void flush() const override { file_.flush(); }

 private:
  io_detail::CheckedFile& file_;
};

template <class T>
void copy_rows(ConstImageView src, int out_channels, T* dst) {
  for (int y = 0; y < src.height; ++y) {
    const float* s = src.row(y);
    T* d = dst + static_cast<size_t>(y) * src.width * out_channels;
    for (int x = 0; x < src.width; ++x)
      for (int c = 0; c < out_channels; ++c) d[x * out_channels + c] = T(s[x * 4 + c]);
  }
}

// fsync each frame before its rename? No: see docs/decisions.md
// (2026-11-27, "No fsync before rename") for the measurement and the reason.
constexpr bool kSyncBeforeRename = false;

// Encodes `pixels` into `temp` through a CheckedFile, so that a byte that
// did not reach the file (full disk, quota, RLIMIT_FSIZE, a failed close)
// is an IoError naming `path`, like every other failure.
void encode_checked(const std::string& path, const std::string& temp, const OIIO::ImageSpec& ospec, OIIO::TypeDesc type,
                    const void* pixels) {
  const auto fail = [&](const std::string& reason) { throw IoError("cannot write " + path + ": " + reason); };
  io_detail::CheckedFile file(temp);
  if (const int err = file.first_errno()) fail(io_detail::errno_message(err));
  auto out = OIIO::ImageOutput::create(temp);
  if (!out) fail(OIIO::geterror());
  // A plugin that refused the proxy would open the file itself, unchecked.
  CheckedFileProxy proxy(temp, file);
  if (!out->set_ioproxy(&proxy)) fail(std::string("OpenImageIO's ") + out->format_name() + " writer takes no IOProxy");
  const bool encoded = out->open(temp, ospec) && out->write_image(type, pixels) && out->close();
  const std::string oiio_reason = out->has_error() ? out->geterror() : std::string();
  out.reset();  // the plugin lets go of the proxy before the file closes
  // The errno comes first: it names the cause ("No space left on device")
  // where a plugin that noticed would only say that writing failed.
  if (const int err = file.finish(kSyncBeforeRename)) fail(io_detail::errno_message(err));
  if (!encoded || !oiio_reason.empty())
    fail(oiio_reason.empty() ? "OpenImageIO could not write the file" : oiio_reason);
  if (file.bytes_written() == 0) fail("the encoder wrote nothing");
}

}  // namespace

void oiio_write_image(const std::string& path, ConstImageView rgba, const OutputSpec& spec) {
  OutputSpec checked = spec;
  checked.path_pattern = path;
  if (auto err = validate_output(checked, false)) throw IoError("cannot write " + path + ": " + *err);
  if (rgba.channels != 4 || rgba.empty())
    throw IoError("cannot write " + path + ": expected a non-empty RGBA image");

  const auto& rules = *io_detail::image_format_rules(path_extension(path));
  const int bits = effective_bits(checked);
  const int out_channels = rules.alpha ? 4 : 3;
  const size_t values = static_cast<size_t>(rgba.width) * rgba.height * out_channels;

  OIIO::TypeDesc type;
  std::vector<unsigned char> pixels;
  if (bits == 8) {
    type = OIIO::TypeDesc::UINT8;
    pixels.resize(values);
    float_to_uint8(rgba, out_channels, pixels.data(), static_cast<std::ptrdiff_t>(rgba.width) * out_channels, 1);
  } else if (bits == 16 && rules.name == "exr") {
    type = OIIO::TypeDesc::HALF;
    pixels.resize(values * sizeof(half));
    copy_rows(rgba, out_channels, reinterpret_cast<half*>(pixels.data()));
  } else if (bits == 16) {
    type = OIIO::TypeDesc::UINT16;
    pixels.resize(values * sizeof(uint16_t));
    float_to_uint16(rgba, out_channels, reinterpret_cast<uint16_t*>(pixels.data()),
                    static_cast<std::ptrdiff_t>(rgba.width) * out_channels, 1);
  } else {
    type = OIIO::TypeDesc::FLOAT;
    pixels.resize(values * sizeof(float));
    copy_rows(rgba, out_channels, reinterpret_cast<float*>(pixels.data()));
  }

  const auto compression = *io_detail::resolve_image_compression(rules, spec.compression, bits);
  OIIO::ImageSpec ospec(rgba.width, rgba.height, out_channels, type);
  // Values go to the file as given; without this OpenImageIO would
  // un-premultiply PNG colours by alpha on the way out.
  ospec.attribute("oiio:UnassociatedAlpha", 1);
  // No write time in the header (OpenImageIO stamps EXR and TIFF files with
  // one by default): the same render must give the same bytes.
  ospec.attribute("DateTime", "");
  // No Exif directory in TIFF files: netcook puts nothing in it, and
  // OpenImageIO 2.4 cannot write one through an IOProxy (libtiff reads the
  // directory back, which 2.4's proxy read callback does not pass on;
  // fixed upstream in OpenImageIO PR #4300, 2024).
  ospec.attribute("tiff:write_exif", 0);
  if (!compression.oiio_compression.empty())
    ospec.attribute("compression", compression.oiio_compression);
  if (rules.quality) {
    const int fallback =
        rules.name == "jpg" ? io_detail::kJpegDefaultQuality : io_detail::kWebpDefaultQuality;
    ospec.attribute("CompressionQuality", spec.quality >= 0 ? spec.quality : fallback);
  }

  const std::string temp = io_detail::prepare_temp_path(path);
  try {
    encode_checked(path, temp, ospec, type, pixels.data());
  } catch (...) {
    io_detail::discard_temp_file(temp);
    throw;
  }
  io_detail::commit_temp_file(temp, path);
}

namespace {

std::unique_ptr<OIIO::ImageInput> open_input(const std::string& path) {
  OIIO::ImageSpec config;
  config.attribute("oiio:UnassociatedAlpha", 1);
  auto in = OIIO::ImageInput::open(path, &config);
  if (!in) {
    std::string reason = OIIO::geterror();
    throw IoError("cannot read " + path + ": " + (reason.empty() ? "unknown error" : reason));
  }
  return in;
}

}  // namespace

ImageInfo oiio_read_image_info(const std::string& path) {
  auto in = open_input(path);
  const OIIO::ImageSpec& s = in->spec();
  ImageInfo info;
  info.width = s.width;
  info.height = s.height;
  info.channels = s.nchannels;
  info.bits = static_cast<int>(s.format.size() * 8);
  info.is_float = s.format.is_floating_point();
  info.pixel_type = s.format.c_str();
  info.format = in->format_name();
  info.compression = s.get_string_attribute("compression");
  in->close();
  return info;
}

std::vector<float> oiio_read_image_rgba(const std::string& path, int& width, int& height) {
  auto in = open_input(path);
  const OIIO::ImageSpec& s = in->spec();
  const int nc = s.nchannels;
  std::vector<float> raw(static_cast<size_t>(s.width) * s.height * nc);
  if (!in->read_image(0, 0, 0, nc, OIIO::TypeDesc::FLOAT, raw.data()))
    throw IoError("cannot read " + path + ": " + in->geterror());
  width = s.width;
  height = s.height;
  const size_t n = static_cast<size_t>(width) * height;
  std::vector<float> rgba(n * 4);
  for (size_t i = 0; i < n; ++i) {
    const float* p = &raw[i * nc];
    float* q = &rgba[i * 4];
    if (nc == 1 || nc == 2) {
      q[0] = q[1] = q[2] = p[0];
      q[3] = nc == 2 ? p[1] : 1.0f;
    } else {
      q[0] = p[0];
      q[1] = p[1];
      q[2] = p[2];
      q[3] = nc >= 4 ? p[3] : 1.0f;
    }
  }
  in->close();
  return rgba;
}

}  // namespace netcook

void netcook_image_write(const std::string& path, netcook::ConstImageView rgba, const netcook::OutputSpec& spec) {
  netcook::oiio_write_image(path, rgba, spec);
}

netcook::ImageInfo netcook_image_read_info(const std::string& path) { return netcook::oiio_read_image_info(path); }

std::vector<float> netcook_image_read_rgba(const std::string& path, int& width, int& height) {
  return netcook::oiio_read_image_rgba(path, width, height);
}
