#include "netcook/io/audio_reader.h"

#include <cmath>
#include <memory>

#include "netcook/io/libav_support.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
}

namespace netcook {

namespace {

using io_detail::av_message;

// 2 GiB of float samples: far beyond any sound an offline render needs,
// and a guard against a file whose header claims hours of 32 channels.
constexpr std::size_t kMaxDecodedSamples = std::size_t{1} << 29;

struct Demuxer {
  AVFormatContext* fmt = nullptr;
  AVCodecContext* dec = nullptr;
  SwrContext* swr = nullptr;
  AVPacket* packet = nullptr;
  AVFrame* frame = nullptr;
  ~Demuxer() {
    av_frame_free(&frame);
    av_packet_free(&packet);
    swr_free(&swr);
    avcodec_free_context(&dec);
    avformat_close_input(&fmt);
  }
};

class Decoder {
 public:
  Decoder(const std::string& path, double rate) : path_(path), rate_(rate) {}

  DecodedAudio run() {
    io_detail::quiet_libav();
    Demuxer d;
    int r = avformat_open_input(&d.fmt, path_.c_str(), nullptr, nullptr);
    if (r < 0) fail(av_message(r));
    r = avformat_find_stream_info(d.fmt, nullptr);
    if (r < 0) fail(av_message(r));
    const AVCodec* codec = nullptr;
    const int stream = av_find_best_stream(d.fmt, AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
    if (stream < 0 || !codec) fail("no audio stream");
    d.dec = avcodec_alloc_context3(codec);
    if (!d.dec) fail("out of memory");
    r = avcodec_parameters_to_context(d.dec, d.fmt->streams[stream]->codecpar);
    if (r < 0) fail(av_message(r));
    r = avcodec_open2(d.dec, codec, nullptr);
    if (r < 0) fail(av_message(r) + " (opening decoder " + codec->name + ")");
    if (d.dec->sample_rate <= 0 || d.dec->ch_layout.nb_channels <= 0) fail("no sample rate or channels");

    out_.file_rate = d.dec->sample_rate;
    out_.rate = rate_ > 0 ? rate_ : out_.file_rate;
    out_.codec = codec->name;
    channels_ = d.dec->ch_layout.nb_channels;
    out_.channels.assign(channels_, {});
    const auto out_rate = static_cast<int>(std::lround(out_.rate));
    if (std::abs(out_.rate - out_rate) > 1e-9 || out_rate <= 0) fail("rate must be a whole number of samples per second");

    // Float planar at the output rate, same channel layout. soxr (the
    // highest-quality resampler libswresample can use) when it is built in;
    // else swr's own with a long filter.
    r = swr_alloc_set_opts2(&d.swr, &d.dec->ch_layout, AV_SAMPLE_FMT_FLTP, out_rate, &d.dec->ch_layout,
                            d.dec->sample_fmt, d.dec->sample_rate, 0, nullptr);
    if (r < 0 || !d.swr) fail("setting up the resampler: " + av_message(r));
    if (out_rate != d.dec->sample_rate) {
      if (av_opt_set(d.swr, "resampler", "soxr", 0) >= 0) {
        av_opt_set_int(d.swr, "precision", 28, 0);
      } else {
        av_opt_set_int(d.swr, "filter_size", 128, 0);
        av_opt_set_int(d.swr, "phase_shift", 12, 0);
      }
    }
    r = swr_init(d.swr);
    if (r < 0 && out_rate != d.dec->sample_rate) {
      // soxr selected but not built in: swr's own resampler.
      av_opt_set(d.swr, "resampler", "swr", 0);
      av_opt_set_int(d.swr, "filter_size", 128, 0);
      av_opt_set_int(d.swr, "phase_shift", 12, 0);
      r = swr_init(d.swr);
    }
    if (r < 0) fail("setting up the resampler: " + av_message(r));

    d.packet = av_packet_alloc();
    d.frame = av_frame_alloc();
    if (!d.packet || !d.frame) fail("out of memory");
    std::int64_t input_frames = 0;
    for (;;) {
      r = av_read_frame(d.fmt, d.packet);
      if (r == AVERROR_EOF) break;
      if (r < 0) fail(av_message(r));
      if (d.packet->stream_index == stream) {
        r = avcodec_send_packet(d.dec, d.packet);
        av_packet_unref(d.packet);
        if (r < 0 && r != AVERROR_INVALIDDATA) fail(av_message(r));
        input_frames += receive(d);
      } else {
        av_packet_unref(d.packet);
      }
    }
    avcodec_send_packet(d.dec, nullptr);
    input_frames += receive(d);
    convert(d, nullptr, 0);  // the resampler's tail
    // Exactly round(frames * rate / file_rate) samples, whatever the
    // resampler's rounding at the ends.
    const auto expected = static_cast<std::size_t>(
        std::llround(static_cast<double>(input_frames) * out_rate / d.dec->sample_rate));
    for (auto& c : out_.channels) c.resize(expected, 0.0f);
    return std::move(out_);
  }

 private:
  [[noreturn]] void fail(const std::string& reason) const { throw IoError("cannot read " + path_ + ": " + reason); }

  // Decoded frames go through the resampler; returns the input frames seen.
  std::int64_t receive(Demuxer& d) {
    std::int64_t seen = 0;
    for (;;) {
      const int r = avcodec_receive_frame(d.dec, d.frame);
      if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return seen;
      if (r < 0) fail(av_message(r));
      seen += d.frame->nb_samples;
      convert(d, const_cast<const uint8_t**>(d.frame->extended_data), d.frame->nb_samples);
      av_frame_unref(d.frame);
    }
  }

  void convert(Demuxer& d, const uint8_t** in, int in_count) {
    const int room = swr_get_out_samples(d.swr, in_count);
    if (room < 0) fail("resampling: " + av_message(room));
    const std::size_t at = out_.channels[0].size();
    if ((at + static_cast<std::size_t>(room)) * static_cast<std::size_t>(channels_) > kMaxDecodedSamples)
      fail("more than " + std::to_string(kMaxDecodedSamples / (1 << 20)) + " M samples of sound");
    std::vector<uint8_t*> planes(channels_);
    for (int c = 0; c < channels_; ++c) {
      out_.channels[c].resize(at + static_cast<std::size_t>(room));
      planes[c] = reinterpret_cast<uint8_t*>(out_.channels[c].data() + at);
    }
    const int got = swr_convert(d.swr, planes.data(), room, in, in_count);
    if (got < 0) fail("resampling: " + av_message(got));
    for (auto& c : out_.channels) c.resize(at + static_cast<std::size_t>(got));
  }

  std::string path_;
  double rate_;
  int channels_ = 0;
  DecodedAudio out_;
};

}  // namespace

}  // namespace netcook

netcook::DecodedAudio netcook_video_read_audio(const std::string& path, double rate) {
  return netcook::Decoder(path, rate).run();
}
