#include <algorithm>
#include <thread>

#include "netcook/io/image_writer.h"
#include "netcook/io/video_writer.h"
#include "netcook/io/writer_pool.h"
#include "netcook/session/frame_sink.h"

namespace netcook {

namespace {

// One video file: its writer is created with the first frame's size and
// lives on its own ordered lane.
struct VideoOutput {
  std::unique_ptr<OrderedLane> lane = std::make_unique<OrderedLane>(4);
  std::shared_ptr<VideoWriter> writer;
  int width = 0, height = 0;
};

}  // namespace

struct FileSink::Impl {
  explicit Impl(int threads) : threads(threads), images(threads, static_cast<std::size_t>(2 * threads)) {}
  int threads;
  WriterPool images;
  std::map<std::size_t, VideoOutput> videos;
  const Scene* scene = nullptr;
};

FileSink::FileSink(int threads) {
  const int hw = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  impl_ = std::make_unique<Impl>(threads > 0 ? threads : hw);
}

FileSink::~FileSink() = default;

void FileSink::begin(const Scene& scene) { impl_->scene = &scene; }

void FileSink::consume(const RenderedFrame& frame) {
  const Scene& scene = *impl_->scene;
  for (std::size_t i = 0; i < scene.outputs.size() && i < frame.images.size(); ++i) {
    const SceneOutput& out = scene.outputs[i];
    const std::shared_ptr<const Image>& image = frame.images[i];
    if (!image) continue;
    if (out.spec.kind == OutputKind::Image) {
      const std::string path = expand_frame_path(out.spec.path_pattern, frame.frame);
      impl_->images.submit([path, image, spec = out.spec] { write_image(path, image->view(), spec); });
      ++files_written_;
      continue;
    }
    VideoOutput& video = impl_->videos[i];
    if (!video.writer) {
      video.width = image->width();
      video.height = image->height();
      video.writer =
          std::make_shared<VideoWriter>(out.spec.path_pattern, video.width, video.height, scene.network->fps, out.spec,
                                                   impl_->threads);
      ++files_written_;
    } else if (image->width() != video.width || image->height() != video.height) {
      throw CookError(out.op->path() + " at frame " + std::to_string(frame.frame) + ": resolution changed to " +
                      std::to_string(image->width()) + "x" + std::to_string(image->height()) + " while writing video " +
                      out.spec.path_pattern + " (" + std::to_string(video.width) + "x" + std::to_string(video.height) +
                      ")");
    }
    video.lane->submit([writer = video.writer, image] { writer->write_frame(image->view()); });
  }
}

void FileSink::finish(bool complete) {
  if (!complete) {
    // Finish the frames already handed to the writers; drop unfinished videos.
    try {
      impl_->images.wait();
    } catch (...) {
    }
    // Movies: the frames encoded so far become a playable NAME.partial.EXT,
    // never the final name; one whose writing failed is dropped.
    for (auto& [index, video] : impl_->videos) {
      bool healthy = true;
      try {
        video.lane->wait();
      } catch (...) {
        healthy = false;
      }
      if (!healthy) continue;
      try {
        const int frames = video.writer->frames_written();
        const std::string kept = video.writer->finish_partial();
        if (!kept.empty()) partial_movies_.push_back({kept, frames});
      } catch (...) {
      }
    }
    impl_->videos.clear();
    return;
  }
  impl_->images.wait();
  for (auto& [index, video] : impl_->videos) {
    video.lane->wait();
    video.writer->finish();
  }
  impl_->videos.clear();
}

}  // namespace netcook
