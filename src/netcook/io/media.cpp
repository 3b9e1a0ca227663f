#include "netcook/io/media.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <vector>

#include "netcook/io/image_writer.h"
#include "netcook/io/io_error.h"
#include "netcook/io/video_reader.h"
#include "netcook/io/video_writer.h"

namespace netcook::io_detail {

namespace {

constexpr const char* kLibraryName = "libnetcook_media.so";

std::once_flag g_once;
void* g_handle = nullptr;
std::string g_error;

void load() {
  namespace fs = std::filesystem;
  std::vector<std::string> candidates;
  if (const char* explicit_path = std::getenv("NETCOOK_MEDIA_LIBRARY")) candidates.push_back(explicit_path);
  // Beside the executable or Python module holding this code.
  Dl_info self{};
  if (dladdr(reinterpret_cast<void*>(&media_symbol), &self) && self.dli_fname) {
    const fs::path dir = fs::path(self.dli_fname).parent_path();
    // bin/ -> lib/; build/python/netcook/ -> build/lib/; lib/python3.11/dist-packages/netcook/ -> lib/.
    for (const char* sub : {".", "lib", "../lib", "../../lib", "../../.."})
      candidates.push_back((dir / sub / kLibraryName).string());
  }
  candidates.push_back(std::string(NETCOOK_MEDIA_BUILD_DIR) + "/" + kLibraryName);
  candidates.push_back(std::string(NETCOOK_MEDIA_INSTALL_DIR) + "/" + kLibraryName);
  std::string tried;
  for (const std::string& path : candidates) {
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      tried += (tried.empty() ? "" : ", ") + path;
      continue;
    }
    g_handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (g_handle) return;
    const char* why = dlerror();
    g_error = "cannot load " + path + ": " + (why ? why : "unknown error");
    return;
  }
  g_error = std::string("cannot find ") + kLibraryName + " (image and video files need it; looked at " + tried +
            "; set NETCOOK_MEDIA_LIBRARY to its path)";
}

}  // namespace

void* media_symbol(const char* name) {
  std::call_once(g_once, load);
  if (!g_handle) throw IoError(g_error);
  void* symbol = dlsym(g_handle, name);
  if (!symbol) throw IoError(std::string("the media library has no entry point ") + name);
  return symbol;
}

bool media_loaded() { return g_handle != nullptr; }

}  // namespace netcook::io_detail

namespace netcook {

// Images -----------------------------------------------------------------------

ImageInfo read_image_info(const std::string& path) {
  return NETCOOK_MEDIA_CALL(netcook_media_read_image_info, path);
}

std::vector<float> read_image_rgba(const std::string& path, int& width, int& height) {
  return NETCOOK_MEDIA_CALL(netcook_media_read_image_rgba, path, width, height);
}

// Video ------------------------------------------------------------------------

struct VideoWriter::Impl {
  std::unique_ptr<io_detail::VideoEncoder> encoder;
};

VideoWriter::VideoWriter(const std::string& path, int width, int height, double fps, const OutputSpec& spec)
    : impl_(std::make_unique<Impl>()) {
  impl_->encoder.reset(NETCOOK_MEDIA_CALL(netcook_media_open_video, path, width, height, fps, spec));
}

VideoWriter::VideoWriter(const std::string& path, int width, int height, double fps, const OutputSpec& spec,
                         const AudioTrackSpec& audio)
    : impl_(std::make_unique<Impl>()) {
  impl_->encoder.reset(
      NETCOOK_MEDIA_CALL(netcook_media_open_video_with_audio, path, width, height, fps, spec, &audio));
}

VideoWriter::~VideoWriter() = default;

void VideoWriter::write_audio(const float* const* planes, std::size_t count) {
  impl_->encoder->write_audio(planes, count);
}
std::size_t VideoWriter::audio_samples_written() const { return impl_->encoder->audio_samples_written(); }

void VideoWriter::write_frame(ConstImageView rgba) { impl_->encoder->write_frame(rgba); }
void VideoWriter::finish() { impl_->encoder->finish(); }
std::string VideoWriter::finish_partial() { return impl_->encoder->finish_partial(); }
const std::string& VideoWriter::path() const { return impl_->encoder->path(); }
const std::string& VideoWriter::codec_name() const { return impl_->encoder->codec_name(); }
int VideoWriter::frames_written() const { return impl_->encoder->frames_written(); }
int VideoWriter::padded_width() const { return impl_->encoder->padded_width(); }
int VideoWriter::padded_height() const { return impl_->encoder->padded_height(); }

VideoInfo read_video_info(const std::string& path) { return NETCOOK_MEDIA_CALL(netcook_media_read_video_info, path); }

std::optional<std::string> check_video_settings(const OutputSpec& spec) {
  try {
    return NETCOOK_MEDIA_CALL(netcook_media_check_video_settings, spec);
  } catch (const IoError& e) {  // the media library cannot be loaded
    return std::string(e.what());
  }
}

// Footage --------------------------------------------------------------------

bool is_image_sequence_path(const std::string& path) { return has_frame_token(path); }

std::unique_ptr<FootageReader> open_footage(const std::string& path) {
  return std::unique_ptr<FootageReader>(NETCOOK_MEDIA_CALL(netcook_media_open_footage, path));
}

}  // namespace netcook
