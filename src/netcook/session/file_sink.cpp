#include <algorithm>
#include <cmath>
#include <thread>

#include "netcook/core/errors.h"
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
  AudioTrackSpec audio;  // rate 0: no sound track
};

// The sound of `frame` for a movie: the time slice of that frame
// (core/channels.h frame_slice) at the CHOP's rate, taken from the CHOP's
// samples by index (a CHOP that does not cover the slice holds its first /
// last sample), the first `channels` channels (silence for missing ones).
std::vector<std::vector<float>> frame_sound(const ChannelSet& set, int frame, double fps, int channels) {
  const SampleSlice slice = frame_slice(frame, fps, set.rate);
  std::vector<std::vector<float>> planes(static_cast<std::size_t>(channels));
  for (int c = 0; c < channels; ++c) {
    std::vector<float>& p = planes[static_cast<std::size_t>(c)];
    p.assign(static_cast<std::size_t>(slice.count), 0.0f);
    if (static_cast<std::size_t>(c) >= set.channels.size()) continue;
    const Channel& ch = set.channels[static_cast<std::size_t>(c)];
    const std::int64_t offset = slice.first - static_cast<std::int64_t>(set.start);
    for (std::int64_t i = 0; i < slice.count; ++i) {
      const std::int64_t at = offset + i;
      p[static_cast<std::size_t>(i)] =
          at >= 0 && at < static_cast<std::int64_t>(ch.samples.size())
              ? ch.samples[static_cast<std::size_t>(at)]
              : static_cast<float>(sample_at_index(set, ch, static_cast<double>(slice.first + i)));
    }
  }
  return planes;
}

// The track a movie takes from its audio CHOP's first frame. Throws CookError.
AudioTrackSpec audio_track_for(const SceneOutput& out, const ChannelSet& set, int frame) {
  const std::string where = out.audio->path() + " (audio of " + out.spec.path_pattern + ") at frame " +
                            std::to_string(frame);
  if (!(set.rate >= 1) || set.rate != std::floor(set.rate) || set.rate > 384000)
    throw CookError(where + ": the sample rate " + std::to_string(set.rate) +
                    " is not a whole number of samples per second from 1 to 384000");
  if (set.channels.empty()) throw CookError(where + ": the CHOP has no channels to use as sound");
  return AudioTrackSpec{static_cast<int>(set.rate), std::min<int>(2, static_cast<int>(set.channels.size()))};
}

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
    const std::shared_ptr<const ChannelSet> sound =
        out.audio && i < frame.audio.size() ? frame.audio[i] : std::shared_ptr<const ChannelSet>();
    if (out.audio && !sound)
      throw CookError(out.audio->path() + " (audio of " + out.spec.path_pattern + ") has no channels at frame " +
                      std::to_string(frame.frame));
    if (!video.writer) {
      video.width = image->width();
      video.height = image->height();
      if (sound) {
        video.audio = audio_track_for(out, *sound, frame.frame);
        video.writer = std::make_shared<VideoWriter>(out.spec.path_pattern, video.width, video.height,
                                                     scene.network->fps, out.spec, video.audio);
      } else {
        video.writer = std::make_shared<VideoWriter>(out.spec.path_pattern, video.width, video.height,
                                                     scene.network->fps, out.spec);
      }
      ++files_written_;
    } else if (image->width() != video.width || image->height() != video.height) {
      throw CookError(out.op->path() + " at frame " + std::to_string(frame.frame) + ": resolution changed to " +
                      std::to_string(image->width()) + "x" + std::to_string(image->height()) + " while writing video " +
                      out.spec.path_pattern + " (" + std::to_string(video.width) + "x" + std::to_string(video.height) +
                      ")");
    }
    if (sound && sound->rate != video.audio.rate)
      throw CookError(out.audio->path() + " (audio of " + out.spec.path_pattern + ") at frame " +
                      std::to_string(frame.frame) + ": the sample rate changed from " +
                      std::to_string(video.audio.rate) + " to " + std::to_string(sound->rate) +
                      " while writing the movie");
    if (sound) {
      // Cut on this thread: the CHOP's next cook replaces its channels.
      auto planes = std::make_shared<std::vector<std::vector<float>>>(
          frame_sound(*sound, frame.frame, scene.network->fps, video.audio.channels));
      video.lane->submit([writer = video.writer, image, planes] {
        writer->write_frame(image->view());
        std::vector<const float*> pointers;
        for (const auto& p : *planes) pointers.push_back(p.data());
        writer->write_audio(pointers.data(), planes->empty() ? 0 : (*planes)[0].size());
      });
    } else {
      video.lane->submit([writer = video.writer, image] { writer->write_frame(image->view()); });
    }
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
