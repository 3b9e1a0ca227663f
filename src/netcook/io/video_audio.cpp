#include "netcook/io/video_audio.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "netcook/io/io_error.h"
#include "netcook/io/libav_support.h"
#include "netcook/io/output_spec.h"
#include "netcook/io/video_writer.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
}

namespace netcook::io_detail {

namespace {

const char* encoder_for(const std::string& path) {
  const std::string ext = path_extension(path);
  if (ext == "mp4" || ext == "mov" || ext == "mkv") return "aac";
  if (ext == "webm") return "libopus";
  return nullptr;
}

bool supports_rate(const AVCodec* codec, int rate) {
  if (!codec->supported_samplerates) return true;
  for (const int* r = codec->supported_samplerates; *r; ++r)
    if (*r == rate) return true;
  return false;
}

AVSampleFormat choose_sample_format(const AVCodec* codec) {
  if (!codec->sample_fmts) return AV_SAMPLE_FMT_FLTP;
  for (const AVSampleFormat* f = codec->sample_fmts; *f != AV_SAMPLE_FMT_NONE; ++f)
    if (*f == AV_SAMPLE_FMT_FLTP || *f == AV_SAMPLE_FMT_FLT) return *f;
  return codec->sample_fmts[0];
}

}  // namespace

struct AudioStream::Impl {
  std::string path;
  AVFormatContext* fmt = nullptr;
  AVCodecContext* enc = nullptr;
  AVStream* stream = nullptr;
  SwrContext* swr = nullptr;
  AVFrame* frame = nullptr;
  AVPacket* packet = nullptr;
  int channels = 0;
  int in_rate = 0;
  std::size_t written = 0;       // samples given, at the track's rate
  std::int64_t next_pts = 0;     // in encoder samples
  std::vector<std::vector<float>> pending;  // planar float at the encoder's rate, not yet sent
  std::string codec_name;

  [[noreturn]] void fail(const std::string& what, int err) {
    throw IoError("cannot write " + path + ": " + (err ? av_message(err) + " (" + what + ")" : what));
  }

  void drain() {
    for (;;) {
      int r = avcodec_receive_packet(enc, packet);
      if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return;
      if (r < 0) fail("encoding sound", r);
      av_packet_rescale_ts(packet, enc->time_base, stream->time_base);
      packet->stream_index = stream->index;
      r = av_interleaved_write_frame(fmt, packet);
      if (r < 0) fail("writing a sound packet", r);
    }
  }

  // Sends pending[0..n) as one encoder frame.
  void send(int n) {
    int r = av_frame_make_writable(frame);
    if (r < 0) fail("allocating", r);
    frame->nb_samples = n;
    // pending is planar float at the encoder's rate; the encoder's format
    // is FLTP or interleaved FLT (chosen so).
    if (enc->sample_fmt == AV_SAMPLE_FMT_FLTP) {
      for (int c = 0; c < channels; ++c)
        std::copy_n(pending[c].begin(), n, reinterpret_cast<float*>(frame->data[c]));
    } else {
      auto* dst = reinterpret_cast<float*>(frame->data[0]);
      for (int i = 0; i < n; ++i)
        for (int c = 0; c < channels; ++c) dst[i * channels + c] = pending[c][i];
    }
    for (auto& p : pending) p.erase(p.begin(), p.begin() + n);
    frame->pts = next_pts;
    next_pts += n;
    r = avcodec_send_frame(enc, frame);
    if (r < 0) fail("encoding sound", r);
    drain();
  }

  void send_full_frames() {
    const int size = enc->frame_size > 0 ? enc->frame_size : 1024;
    while (static_cast<int>(pending[0].size()) >= size) send(size);
  }

  // Resamples `count` input samples (or, with nullptr, the resampler's tail)
  // onto pending.
  void resample(const float* const* planes, int count) {
    const int room = swr_get_out_samples(swr, count);
    if (room < 0) fail("resampling sound", room);
    const std::size_t at = pending[0].size();
    std::vector<uint8_t*> out(channels);
    for (int c = 0; c < channels; ++c) {
      pending[c].resize(at + room);
      out[c] = reinterpret_cast<uint8_t*>(pending[c].data() + at);
    }
    // swr_convert takes `const uint8_t**` (not `const uint8_t* const*`).
    std::vector<const uint8_t*> in;
    if (planes)
      for (int c = 0; c < channels; ++c) in.push_back(reinterpret_cast<const uint8_t*>(planes[c]));
    const int got = swr_convert(swr, out.data(), room, planes ? in.data() : nullptr, count);
    if (got < 0) fail("resampling sound", got);
    for (auto& p : pending) p.resize(at + got);
  }

  void release() noexcept {
    swr_free(&swr);
    av_frame_free(&frame);
    av_packet_free(&packet);
    avcodec_free_context(&enc);
  }
};

AudioStream::AudioStream(AVFormatContext* fmt, const std::string& path, const AudioTrackSpec& spec)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.path = path;
  m.fmt = fmt;
  const char* name = encoder_for(path);
  if (!name) m.fail(audio_track_problem(path).value_or("audio: no sound encoder for this container"), 0);
  if (spec.rate <= 0) m.fail("the sound's sample rate must be a positive whole number", 0);
  if (spec.channels < 1 || spec.channels > 2) m.fail("a sound track has 1 or 2 channels", 0);
  const AVCodec* codec = avcodec_find_encoder_by_name(name);
  if (!codec) m.fail(std::string("no encoder ") + name, 0);
  m.codec_name = name;
  m.channels = spec.channels;
  m.in_rate = spec.rate;
  try {
    m.enc = avcodec_alloc_context3(codec);
    if (!m.enc) m.fail("allocating", AVERROR(ENOMEM));
    const int rate = supports_rate(codec, spec.rate) ? spec.rate : 48000;
    m.enc->sample_rate = rate;
    m.enc->sample_fmt = choose_sample_format(codec);
    av_channel_layout_default(&m.enc->ch_layout, spec.channels);
    m.enc->bit_rate = 96000 * spec.channels;
    m.enc->time_base = AVRational{1, rate};
    if (fmt->oformat->flags & AVFMT_GLOBALHEADER) m.enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    int r = avcodec_open2(m.enc, codec, nullptr);
    if (r < 0) m.fail(std::string("opening encoder ") + name, r);
    m.stream = avformat_new_stream(fmt, nullptr);
    if (!m.stream) m.fail("allocating", AVERROR(ENOMEM));
    m.stream->time_base = m.enc->time_base;
    r = avcodec_parameters_from_context(m.stream->codecpar, m.enc);
    if (r < 0) m.fail("setting sound stream parameters", r);

    AVChannelLayout layout;
    av_channel_layout_default(&layout, spec.channels);
    r = swr_alloc_set_opts2(&m.swr, &layout, AV_SAMPLE_FMT_FLTP, rate, &layout, AV_SAMPLE_FMT_FLTP, spec.rate, 0,
                            nullptr);
    av_channel_layout_uninit(&layout);
    if (r < 0 || !m.swr) m.fail("setting up the sound resampler", r);
    if (rate != spec.rate) av_opt_set_int(m.swr, "filter_size", 64, 0);
    r = swr_init(m.swr);
    if (r < 0) m.fail("setting up the sound resampler", r);

    m.frame = av_frame_alloc();
    m.packet = av_packet_alloc();
    if (!m.frame || !m.packet) m.fail("allocating", AVERROR(ENOMEM));
    m.frame->format = m.enc->sample_fmt;
    m.frame->sample_rate = rate;
    r = av_channel_layout_copy(&m.frame->ch_layout, &m.enc->ch_layout);
    if (r < 0) m.fail("allocating", r);
    m.frame->nb_samples = m.enc->frame_size > 0 ? m.enc->frame_size : 1024;
    r = av_frame_get_buffer(m.frame, 0);
    if (r < 0) m.fail("allocating", r);
    m.pending.assign(m.channels, {});
  } catch (...) {
    m.release();
    throw;
  }
}

AudioStream::~AudioStream() { impl_->release(); }

void AudioStream::write(const float* const* planes, std::size_t count) {
  Impl& m = *impl_;
  if (count == 0) return;
  m.resample(planes, static_cast<int>(count));
  m.written += count;
  m.send_full_frames();
}

void AudioStream::finish() {
  Impl& m = *impl_;
  m.resample(nullptr, 0);
  // Exactly the samples given, at the encoder's rate: drop or pad what the
  // resampler's rounding left over.
  const auto expected = static_cast<std::int64_t>(
      std::llround(static_cast<double>(m.written) * m.enc->sample_rate / m.in_rate));
  const std::int64_t have = m.next_pts + static_cast<std::int64_t>(m.pending[0].size());
  if (have > expected)
    for (auto& p : m.pending) p.resize(p.size() - std::min<std::size_t>(p.size(), static_cast<std::size_t>(have - expected)));
  else
    for (auto& p : m.pending) p.resize(p.size() + static_cast<std::size_t>(expected - have), 0.0f);
  m.send_full_frames();
  // The last, shorter frame: encoders that need whole frames get a frame of
  // the right size padded with silence (the container's duration follows
  // the pts of the samples given).
  if (!m.pending[0].empty()) {
    const int caps = m.enc->codec->capabilities;
    const bool short_ok = caps & (AV_CODEC_CAP_VARIABLE_FRAME_SIZE | AV_CODEC_CAP_SMALL_LAST_FRAME);
    const int size = m.enc->frame_size > 0 ? m.enc->frame_size : 1024;
    const int n = static_cast<int>(m.pending[0].size());
    if (!short_ok && n < size)
      for (auto& p : m.pending) p.resize(size, 0.0f);
    m.send(static_cast<int>(m.pending[0].size()));
  }
  int r = avcodec_send_frame(m.enc, nullptr);
  if (r < 0) m.fail("flushing the sound encoder", r);
  m.drain();
}

std::size_t AudioStream::samples_written() const { return impl_->written; }
const std::string& AudioStream::codec_name() const { return impl_->codec_name; }

}  // namespace netcook::io_detail
