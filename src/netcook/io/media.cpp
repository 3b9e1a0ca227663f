#include "netcook/io/media.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <mutex>
#include <vector>

#include "netcook/io/image_writer.h"
#include "netcook/io/io_error.h"
#include "netcook/io/video_reader.h"
#include "netcook/io/video_writer.h"

namespace netcook::io_detail {

namespace {

// One lazily loaded library: libnetcook_KIND.so, entry points netcook_KIND_*.
struct MediaLibrary {
  MediaLibrary(const char* kind_, const char* file_name_, const char* env_variable_, const char* needed_for_)
      : kind(kind_), file_name(file_name_), env_variable(env_variable_), needed_for(needed_for_) {}
  const char* kind;          // "video", "image"
  const char* file_name;     // "libnetcook_video.so"
  const char* env_variable;  // "NETCOOK_VIDEO_LIBRARY"
  const char* needed_for;    // for the error message
  std::once_flag once;
  void* handle = nullptr;
  std::string path;   // where it was loaded from
  std::string error;  // why it was not
};

MediaLibrary g_video("video", "libnetcook_video.so", "NETCOOK_VIDEO_LIBRARY", "video and sound files need it");
MediaLibrary g_image("image", "libnetcook_image.so", "NETCOOK_IMAGE_LIBRARY", "image files other than PNG need it");

void load(MediaLibrary& library) {
  namespace fs = std::filesystem;
  std::vector<std::string> candidates;
  if (const char* explicit_path = std::getenv(library.env_variable)) candidates.push_back(explicit_path);
  // Beside the executable or Python module holding this code.
  Dl_info self{};
  if (dladdr(reinterpret_cast<void*>(&media_symbol), &self) && self.dli_fname) {
    const fs::path dir = fs::path(self.dli_fname).parent_path();
    // bin/ -> lib/; build/python/netcook/ -> build/lib/; lib/python3.11/dist-packages/netcook/ -> lib/.
    for (const char* sub : {".", "lib", "../lib", "../../lib", "../../.."})
      candidates.push_back((dir / sub / library.file_name).string());
  }
  candidates.push_back(std::string(NETCOOK_MEDIA_BUILD_DIR) + "/" + library.file_name);
  candidates.push_back(std::string(NETCOOK_MEDIA_INSTALL_DIR) + "/" + library.file_name);
  std::string tried;
  for (const std::string& path : candidates) {
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      tried += (tried.empty() ? "" : ", ") + path;
      continue;
    }
    library.handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (library.handle) {
      library.path = path;
      return;
    }
    const char* why = dlerror();
    library.error = "cannot load " + path + ": " + (why ? why : "unknown error");
    return;
  }
  library.error = std::string("cannot find ") + library.file_name + " (" + library.needed_for + "; looked at " + tried +
                  "; set " + library.env_variable + " to its path)";
}

// The library an entry point's name prefix names.
MediaLibrary& library_of(const std::string& name) {
  for (MediaLibrary* library : {&g_video, &g_image})
    if (name.rfind(std::string("netcook_") + library->kind + "_", 0) == 0) return *library;
  throw IoError("no media library holds entry point " + name + " (names start netcook_video_ or netcook_image_)");
}

}  // namespace

void* media_symbol(const char* name) {
  MediaLibrary& library = library_of(name);
  std::call_once(library.once, load, std::ref(library));
  if (!library.handle) throw IoError(library.error);
  void* symbol = dlsym(library.handle, name);
  if (!symbol) throw IoError(library.path + " (loaded as " + library.file_name + ") has no entry point " + name);
  return symbol;
}

}  // namespace netcook::io_detail

namespace netcook {

// Images -----------------------------------------------------------------------

ImageInfo read_image_info(const std::string& path) { return NETCOOK_MEDIA_CALL(netcook_image_read_info, path); }

std::vector<float> read_image_rgba(const std::string& path, int& width, int& height) {
  return NETCOOK_MEDIA_CALL(netcook_image_read_rgba, path, width, height);
}

// Video ------------------------------------------------------------------------

struct VideoWriter::Impl {
  std::unique_ptr<io_detail::VideoEncoder> encoder;
};

VideoWriter::VideoWriter(const std::string& path, int width, int height, double fps, const OutputSpec& spec)
    : impl_(std::make_unique<Impl>()) {
  impl_->encoder.reset(NETCOOK_MEDIA_CALL(netcook_video_open_writer, path, width, height, fps, spec));
}

VideoWriter::VideoWriter(const std::string& path, int width, int height, double fps, const OutputSpec& spec,
                         const AudioTrackSpec& audio)
    : impl_(std::make_unique<Impl>()) {
  impl_->encoder.reset(
      NETCOOK_MEDIA_CALL(netcook_video_open_writer_with_audio, path, width, height, fps, spec, &audio));
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

VideoInfo read_video_info(const std::string& path) { return NETCOOK_MEDIA_CALL(netcook_video_read_info, path); }

std::optional<std::string> check_video_settings(const OutputSpec& spec) {
  try {
    return NETCOOK_MEDIA_CALL(netcook_video_check_settings, spec);
  } catch (const IoError& e) {  // the video library cannot be loaded
    return std::string(e.what());
  }
}

// Footage --------------------------------------------------------------------

bool is_image_sequence_path(const std::string& path) { return has_frame_token(path); }

// A sequence is read through OpenImageIO, a movie through libav: each loads
// only its own library.
std::unique_ptr<FootageReader> open_footage(const std::string& path) {
  if (is_image_sequence_path(path))
    return std::unique_ptr<FootageReader>(NETCOOK_MEDIA_CALL(netcook_image_open_sequence, path));
  return std::unique_ptr<FootageReader>(NETCOOK_MEDIA_CALL(netcook_video_open_movie, path));
}

}  // namespace netcook
