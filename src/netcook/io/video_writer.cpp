#include "netcook/io/video_writer.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <mutex>
#include <vector>

#include "netcook/core/errors.h"
#include "netcook/io/libav_support.h"
#include "netcook/io/temp_file.h"
#include "netcook/io/video_audio.h"
#include "netcook/io/video_gif_palette.h"
#include "netcook/kernels/convert.h"
#include "netcook/kernels/yuv.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/dict.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

namespace netcook {

namespace {

// The encoder's threads. libx264's bytes depend on its thread count, so it
// is a constant of netcook, not of the machine or --threads: every render
// of a scene, on any node of a farm, writes the same movie. Four keeps
// x264's frame threads busy on the 2-8 core machines most renders run on.
constexpr int kEncoderThreads = 4;

using io_detail::av_message;
using io_detail::quiet_libav;

bool one_of(const std::string& s, std::initializer_list<const char*> names) {
  for (const char* n : names)
    if (s == n) return true;
  return false;
}

bool supports_pix_fmt(const AVCodec* codec, AVPixelFormat fmt) {
  if (!codec->pix_fmts) return false;
  for (const AVPixelFormat* p = codec->pix_fmts; *p != AV_PIX_FMT_NONE; ++p)
    if (*p == fmt) return true;
  return false;
}

// netcook's codec names: an encoder, and for ProRes the profile and the
// pixel format that profile is made for.
struct CodecChoice {
  std::string encoder;
  int prores_profile = -1;
  AVPixelFormat pix_fmt = AV_PIX_FMT_NONE;  // NONE: choose from the encoder
};

const std::vector<std::pair<std::string, CodecChoice>>& codec_names() {
  static const std::vector<std::pair<std::string, CodecChoice>> names = {
      {"h264", {"libx264", -1, AV_PIX_FMT_NONE}},
      {"h265", {"libx265", -1, AV_PIX_FMT_NONE}},
      {"hevc", {"libx265", -1, AV_PIX_FMT_NONE}},
      {"vp9", {"libvpx-vp9", -1, AV_PIX_FMT_NONE}},
      {"av1", {"libaom-av1", -1, AV_PIX_FMT_NONE}},
      {"gif", {"gif", -1, AV_PIX_FMT_PAL8}},
      {"prores", {"prores_ks", 3, AV_PIX_FMT_YUV422P10LE}},
      {"prores_proxy", {"prores_ks", 0, AV_PIX_FMT_YUV422P10LE}},
      {"prores_lt", {"prores_ks", 1, AV_PIX_FMT_YUV422P10LE}},
      {"prores422", {"prores_ks", 2, AV_PIX_FMT_YUV422P10LE}},
      {"prores422hq", {"prores_ks", 3, AV_PIX_FMT_YUV422P10LE}},
      {"prores4444", {"prores_ks", 4, AV_PIX_FMT_YUVA444P10LE}},
      {"prores4444xq", {"prores_ks", 5, AV_PIX_FMT_YUVA444P10LE}},
  };
  return names;
}

CodecChoice resolve_codec(const std::string& path, const std::string& codec) {
  const std::string name = codec.empty() ? path_extension(path) == "mov" ? "prores" : default_video_codec(path) : codec;
  for (const auto& [alias, choice] : codec_names())
    if (alias == name) return choice;
  CodecChoice choice;
  choice.encoder = name;
  if (name == "prores_ks") choice.prores_profile = 3, choice.pix_fmt = AV_PIX_FMT_YUV422P10LE;
  return choice;
}

// yuv420p where the encoder has it (what every player decodes), except for
// encoders meant for masters (lossless or intra), which get the format that
// loses least from RGBA, alpha included.
AVPixelFormat choose_pix_fmt(const AVCodec* codec, const CodecChoice& choice) {
  if (choice.pix_fmt != AV_PIX_FMT_NONE) return choice.pix_fmt;
  const std::string name = codec->name;
  if (name == "gif") return AV_PIX_FMT_PAL8;
  const bool master = one_of(name, {"ffv1", "prores_aw", "prores", "png", "qtrle", "utvideo", "huffyuv", "ffvhuff",
                                    "libx264rgb", "rawvideo", "dnxhd", "cfhd", "magicyuv"});
  if (!master && supports_pix_fmt(codec, AV_PIX_FMT_YUV420P)) return AV_PIX_FMT_YUV420P;
  if (!codec->pix_fmts) return AV_PIX_FMT_YUV420P;
  int loss = 0;
  return avcodec_find_best_pix_fmt_of_list(codec->pix_fmts, AV_PIX_FMT_RGBA, 1, &loss);
}

struct CrfScale {
  int max = 0;        // 0 = this encoder has no CRF
  int default_crf = 0;
};

CrfScale crf_scale(const std::string& codec) {
  if (codec == "libx264" || codec == "libx264rgb") return {51, 18};
  if (codec == "libx265") return {51, 22};
  if (codec == "libvpx-vp9") return {63, 28};
  if (codec == "libaom-av1" || codec == "libsvtav1") return {63, 30};
  return {};
}

const std::vector<std::string>& x264_presets() {
  static const std::vector<std::string> p = {"ultrafast", "superfast", "veryfast", "faster", "fast",
                                             "medium",    "slow",      "slower",   "veryslow", "placebo"};
  return p;
}

// "8M", "2500k", "5000000" -> bits/s; 0 when malformed.
std::int64_t parse_bitrate(const std::string& text) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    return 0;
  }
  const std::string unit = text.substr(used);
  double scale = 1;
  if (unit == "k" || unit == "K") scale = 1e3;
  else if (unit == "m" || unit == "M") scale = 1e6;
  else if (!unit.empty()) return 0;
  const double bits = value * scale;
  if (!(bits >= 1000) || bits > 1e10) return 0;
  return static_cast<std::int64_t>(bits);
}

std::vector<std::string> encoder_pix_fmt_names(const AVCodec* codec) {
  std::vector<std::string> names;
  if (codec->pix_fmts)
    for (const AVPixelFormat* p = codec->pix_fmts; *p != AV_PIX_FMT_NONE; ++p)
      if (const char* n = av_get_pix_fmt_name(*p)) names.emplace_back(n);
  return names;
}

std::string join(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : ", ") + i;
  return s;
}

}  // namespace

// check_video_settings() (video_writer.h), in the video library.
std::optional<std::string> libav_check_video_settings(const OutputSpec& spec) {
  quiet_libav();
  const std::string& path = spec.path_pattern;
  const std::string ext = path_extension(path);
  const CodecChoice choice = resolve_codec(path, spec.codec);
  const AVCodec* codec = avcodec_find_encoder_by_name(choice.encoder.c_str());
  if (!codec) {
    if (spec.codec.empty())
      return "codec: this build of libav has no " + choice.encoder + " encoder; choose another with codec:";
    std::vector<std::string> known;
    for (const auto& [alias, c] : codec_names()) known.push_back(alias);
    for (const char* e : {"libx264", "libx265", "libvpx-vp9", "prores_ks", "ffv1", "mpeg4", "libaom-av1"})
      known.emplace_back(e);
    return "codec '" + spec.codec + "' is not a video encoder" + did_you_mean(spec.codec, known) +
           " (netcook's names: h264, h265, vp9, av1, gif, prores, prores_proxy, prores_lt, prores422, prores422hq, "
           "prores4444, prores4444xq; or any libav video encoder)";
  }
  if (codec->type != AVMEDIA_TYPE_VIDEO) return "codec '" + spec.codec + "' is not a video encoder";
  if (const AVOutputFormat* fmt = av_guess_format(nullptr, path.c_str(), nullptr)) {
    if (avformat_query_codec(fmt, codec->id, FF_COMPLIANCE_NORMAL) == 0)
      return "codec '" + (spec.codec.empty() ? choice.encoder : spec.codec) + "' cannot be stored in ." + ext +
             " (try .mkv or .mov)";
  }
  const std::string encoder = codec->name;
  if (encoder == "gif" && spec.quality >= 0)
    return std::string("quality does not apply to gif (its palette is chosen for the whole movie)");
  if (!spec.preset.empty()) {
    if (encoder == "libx264" || encoder == "libx264rgb" || encoder == "libx265") {
      const auto& presets = x264_presets();
      if (std::find(presets.begin(), presets.end(), spec.preset) == presets.end())
        return "preset '" + spec.preset + "' is not an " + encoder + " preset" + did_you_mean(spec.preset, presets) +
               " (allowed: " + join(presets) + ")";
    } else if (encoder == "libvpx-vp9") {
      if (spec.preset.size() != 1 || spec.preset[0] < '0' || spec.preset[0] > '8')
        return "preset '" + spec.preset + "' for libvpx-vp9 is its speed (allowed: 0..8, 0 slowest and best)";
    } else {
      return "preset applies to libx264, libx265 and libvpx-vp9, not " + encoder;
    }
  }
  if (!spec.pixel_format.empty()) {
    const std::vector<std::string> allowed =
        encoder == "gif" ? std::vector<std::string>{"pal8"} : encoder_pix_fmt_names(codec);
    if (std::find(allowed.begin(), allowed.end(), spec.pixel_format) == allowed.end())
      return "pixel_format '" + spec.pixel_format + "' is not one " + encoder + " takes" +
             did_you_mean(spec.pixel_format, allowed) + " (allowed: " + join(allowed) + ")";
  }
  if (!spec.bitrate.empty()) {
    if (parse_bitrate(spec.bitrate) == 0)
      return "bitrate '" + spec.bitrate + "' is not a bitrate (e.g. 8M, 2500k or 5000000 bits/s, at least 1k)";
    if (encoder == "gif" || encoder == "prores_ks" || one_of(encoder, {"ffv1", "png", "qtrle", "utvideo"}))
      return "bitrate does not apply to " + encoder + " (use quality:)";
    if (spec.quality >= 0) return std::string("bitrate and quality both set: give one (bitrate = average rate, quality = constant quality)");
  }
  return std::nullopt;
}

// The encoder behind VideoWriter (io/media.cpp).
class LibavVideoWriter final : public io_detail::VideoEncoder {
 public:
  LibavVideoWriter(const std::string& path, int width, int height, double fps, const OutputSpec& spec,
                   const AudioTrackSpec* audio = nullptr);
  ~LibavVideoWriter() override;
  void write_audio(const float* const* planes, std::size_t count) override;
  std::size_t audio_samples_written() const override;
  void write_frame(ConstImageView rgba) override;
  void finish() override;
  std::string finish_partial() override;
  const std::string& path() const override;
  const std::string& codec_name() const override;
  int frames_written() const override;
  int padded_width() const override;
  int padded_height() const override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct LibavVideoWriter::Impl {
  std::string path;
  std::string temp;
  std::string codec_name;
  int width = 0, height = 0;          // frames as given
  int padded_w = 0, padded_h = 0;     // frames as encoded
  int frames = 0;
  bool finished = false;
  bool failed = false;
  bool deep = false;                  // more than 8 bits per component: convert from 16 bits
  bool gif = false;                   // frames are kept until finish() (one palette per movie)
  bool yuv420p8 = false;              // converted by kernels/yuv.h straight into the frame, no libswscale

  AVFormatContext* fmt = nullptr;
  AVCodecContext* enc = nullptr;
  AVStream* stream = nullptr;
  SwsContext* sws = nullptr;
  AVFrame* frame = nullptr;
  AVPacket* packet = nullptr;
  std::vector<uint8_t> rgba8;
  std::vector<uint16_t> rgba16;
  std::vector<uint8_t> gif_rgb;       // every frame, RGB 8-bit, for the palette
  std::unique_ptr<io_detail::AudioStream> audio;  // the sound track, if any (video_audio.h)

  // "cannot write PATH: REASON (STEP)": REASON is libav's text for `err`,
  // which for file errors is strerror's ("No space left on device"), as
  // the image writer reports them; without `err`, the step is the reason.
  [[noreturn]] void fail(const std::string& what, int err) {
    failed = true;
    throw IoError("cannot write " + path + ": " + (err ? av_message(err) + " (" + what + ")" : what));
  }

  void release() noexcept {
    audio.reset();
    sws_freeContext(sws);
    sws = nullptr;
    av_frame_free(&frame);
    av_packet_free(&packet);
    avcodec_free_context(&enc);
    if (fmt) {
      if (fmt->pb) avio_closep(&fmt->pb);
      avformat_free_context(fmt);
      fmt = nullptr;
    }
  }

  void drain_packets() {
    for (;;) {
      int r = avcodec_receive_packet(enc, packet);
      if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return;
      if (r < 0) fail("encoding", r);
      av_packet_rescale_ts(packet, enc->time_base, stream->time_base);
      packet->stream_index = stream->index;
      r = av_interleaved_write_frame(fmt, packet);  // takes the packet's data
      if (r < 0) fail("writing a packet", r);
    }
  }

  void send(int64_t pts) {
    frame->pts = pts;
    int r = avcodec_send_frame(enc, frame);
    if (r < 0) fail("encoding", r);
    drain_packets();
  }

  // GIF: the palette of every frame kept, then each frame dithered onto it.
  void encode_gif_frames() {
    const size_t pixels = static_cast<size_t>(padded_w) * padded_h;
    const GifPalette palette = make_movie_palette(gif_rgb.data(), pixels * frames);
    GifDitherer ditherer(palette);
    for (int i = 0; i < frames; ++i) {
      int r = av_frame_make_writable(frame);
      if (r < 0) fail("allocating", r);
      ditherer.dither(gif_rgb.data() + pixels * 3 * i, padded_w, padded_h, frame->data[0], frame->linesize[0]);
      auto* pal = reinterpret_cast<uint32_t*>(frame->data[1]);
      for (size_t c = 0; c < 256; ++c) {
        const auto rgb = c < palette.colors.size() ? palette.colors[c] : std::array<uint8_t, 3>{0, 0, 0};
        pal[c] = 0xFF000000u | (uint32_t(rgb[0]) << 16) | (uint32_t(rgb[1]) << 8) | rgb[2];
      }
      send(i);
    }
    std::vector<uint8_t>().swap(gif_rgb);
  }

  // Flushes, writes the trailer and closes; the file stays at `temp`.
  void close_file() {
    if (gif) encode_gif_frames();
    int r = avcodec_send_frame(enc, nullptr);
    if (r < 0) fail("flushing the encoder", r);
    drain_packets();
    if (audio) audio->finish();
    r = av_write_trailer(fmt);
    if (r < 0) fail("writing the trailer", r);
    // av_write_trailer flushes and reports pb->error, but a muxer that
    // rewrites the file in its trailer (mp4 +faststart) can leave bytes in
    // the buffer: flush once more and look again, since avio_closep only
    // reports close(2) itself.
    avio_flush(fmt->pb);
    if (fmt->pb->error < 0) fail("writing the file", fmt->pb->error);
    r = avio_closep(&fmt->pb);
    if (r < 0) fail("closing the file", r);
  }
};

LibavVideoWriter::LibavVideoWriter(const std::string& path, int width, int height, double fps,
                                   const OutputSpec& spec, const AudioTrackSpec* audio_spec)
    : impl_(std::make_unique<Impl>()) {
  quiet_libav();
  Impl& m = *impl_;
  m.path = path;
  m.width = width;
  m.height = height;

  OutputSpec checked = spec;
  checked.path_pattern = path;
  if (auto err = validate_output(checked, true)) throw IoError("cannot write " + path + ": " + *err);
  if (width <= 0 || height <= 0) throw IoError("cannot write " + path + ": empty frame size");
  if (!(fps > 0) || !std::isfinite(fps))
    throw IoError("cannot write " + path + ": frame rate must be positive");

  const CodecChoice choice = resolve_codec(path, spec.codec);
  m.codec_name = choice.encoder;
  const AVCodec* codec = avcodec_find_encoder_by_name(m.codec_name.c_str());
  if (!codec) throw IoError("cannot write " + path + ": no encoder " + m.codec_name);
  const AVOutputFormat* ofmt = av_guess_format(nullptr, path.c_str(), nullptr);
  if (!ofmt) throw IoError("cannot write " + path + ": no libav muxer for this extension");

  const AVPixelFormat pix_fmt =
      spec.pixel_format.empty() ? choose_pix_fmt(codec, choice) : av_get_pix_fmt(spec.pixel_format.c_str());
  const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(pix_fmt);
  if (!desc) throw IoError("cannot write " + path + ": unknown pixel format " + spec.pixel_format);
  m.gif = pix_fmt == AV_PIX_FMT_PAL8;
  m.deep = desc->comp[0].depth > 8;
  m.yuv420p8 = pix_fmt == AV_PIX_FMT_YUV420P;
  const int step_w = 1 << desc->log2_chroma_w, step_h = 1 << desc->log2_chroma_h;
  m.padded_w = (width + step_w - 1) / step_w * step_w;
  m.padded_h = (height + step_h - 1) / step_h * step_h;

  m.temp = io_detail::prepare_temp_path(path);
  try {
    int r = avformat_alloc_output_context2(&m.fmt, ofmt, nullptr, m.temp.c_str());
    if (r < 0 || !m.fmt) m.fail("creating the container", r);
    // No random or version-stamped fields (Matroska's SegmentUID, the muxer's
    // version string): the same frames give the same file, run after run.
    m.fmt->flags |= AVFMT_FLAG_BITEXACT;

    m.enc = avcodec_alloc_context3(codec);
    if (!m.enc) m.fail("allocating", AVERROR(ENOMEM));
    const AVRational rate = av_d2q(fps, 100000);
    m.enc->width = m.padded_w;
    m.enc->height = m.padded_h;
    m.enc->pix_fmt = pix_fmt;
    m.enc->framerate = rate;
    m.enc->time_base = av_inv_q(rate);
    m.enc->sample_aspect_ratio = AVRational{1, 1};
    // A fixed count, not the encoder's own choice (libx264's default, 1.5
    // frame threads per core plus lookahead threads, used more CPU per frame
    // on 2 cores: docs/performance.md) nor the render's --threads: libx264's
    // output depends on its thread count, and a movie must be the same bytes
    // on every machine and thread count (a farm encodes on another node).
    m.enc->thread_count = kEncoderThreads;
    const bool yuv = !(desc->flags & AV_PIX_FMT_FLAG_RGB) && !(desc->flags & AV_PIX_FMT_FLAG_PAL) &&
                     desc->nb_components >= 3;
    if (yuv) {
      m.enc->colorspace = AVCOL_SPC_BT709;
      m.enc->color_primaries = AVCOL_PRI_BT709;
      m.enc->color_trc = AVCOL_TRC_BT709;
      m.enc->color_range = AVCOL_RANGE_MPEG;
      // kernels/yuv.h averages each 2x2 block: centre-sited chroma.
      if (m.yuv420p8) m.enc->chroma_sample_location = AVCHROMA_LOC_CENTER;
    }
    if (m.fmt->oformat->flags & AVFMT_GLOBALHEADER) m.enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;

    AVDictionary* opts = nullptr;
    const CrfScale crf = crf_scale(m.codec_name);
    const std::int64_t bitrate = spec.bitrate.empty() ? 0 : parse_bitrate(spec.bitrate);
    const bool x26x = m.codec_name == "libx264" || m.codec_name == "libx264rgb" || m.codec_name == "libx265";
    if (x26x) av_dict_set(&opts, "preset", spec.preset.empty() ? "medium" : spec.preset.c_str(), 0);
    if (m.codec_name == "libvpx-vp9") {
      av_dict_set(&opts, "deadline", "good", 0);
      av_dict_set(&opts, "cpu-used", spec.preset.empty() ? "4" : spec.preset.c_str(), 0);
      av_dict_set(&opts, "row-mt", "1", 0);
    }
    if (m.codec_name == "libaom-av1") av_dict_set(&opts, "cpu-used", "6", 0);
    if (choice.prores_profile >= 0) av_dict_set_int(&opts, "profile", choice.prores_profile, 0);
    if (bitrate > 0) {
      m.enc->bit_rate = bitrate;
    } else if (crf.max > 0) {
      const int value = spec.quality >= 0
                            ? static_cast<int>(std::lround(crf.max * (100 - spec.quality) / 100.0))
                            : crf.default_crf;
      av_dict_set_int(&opts, "crf", value, 0);
      if (m.codec_name == "libvpx-vp9" || m.codec_name == "libaom-av1") m.enc->bit_rate = 0;  // constant quality
    } else if (!m.gif) {
      int qscale = 0;
      if (spec.quality >= 0)
        qscale = static_cast<int>(std::lround(31 - spec.quality * 29 / 100.0));
      else if (one_of(m.codec_name, {"mpeg4", "mpeg2video", "mpeg1video", "mjpeg", "libxvid",
                                     "msmpeg4", "msmpeg4v2", "h263", "h263p"}))
        qscale = 3;
      if (qscale > 0) {
        m.enc->flags |= AV_CODEC_FLAG_QSCALE;
        m.enc->global_quality = FF_QP2LAMBDA * qscale;
      }
    }
    r = avcodec_open2(m.enc, codec, &opts);
    av_dict_free(&opts);
    if (r < 0) m.fail("opening encoder " + m.codec_name, r);

    m.stream = avformat_new_stream(m.fmt, nullptr);
    if (!m.stream) m.fail("allocating", AVERROR(ENOMEM));
    m.stream->time_base = m.enc->time_base;
    m.stream->avg_frame_rate = rate;
    r = avcodec_parameters_from_context(m.stream->codecpar, m.enc);
    if (r < 0) m.fail("setting stream parameters", r);

    if (audio_spec) m.audio = std::make_unique<io_detail::AudioStream>(m.fmt, path, *audio_spec);

    r = avio_open(&m.fmt->pb, m.temp.c_str(), AVIO_FLAG_WRITE);
    if (r < 0) m.fail("opening the file", r);
    AVDictionary* mux_opts = nullptr;
    const std::string ext = path_extension(path);
    // write_colr: the colour tags in a 'colr' atom, which editors read.
    if (ext == "mp4" || ext == "mov") av_dict_set(&mux_opts, "movflags", "+faststart+write_colr", 0);
    r = avformat_write_header(m.fmt, &mux_opts);
    av_dict_free(&mux_opts);
    if (r < 0) m.fail("writing the header", r);

    m.frame = av_frame_alloc();
    m.packet = av_packet_alloc();
    if (!m.frame || !m.packet) m.fail("allocating", AVERROR(ENOMEM));
    m.frame->format = pix_fmt;
    m.frame->width = m.padded_w;
    m.frame->height = m.padded_h;
    r = av_frame_get_buffer(m.frame, 0);
    if (r < 0) m.fail("allocating", r);
    // Some encoders (prores_ks) take the colour tags from each frame.
    m.frame->colorspace = m.enc->colorspace;
    m.frame->color_primaries = m.enc->color_primaries;
    m.frame->color_trc = m.enc->color_trc;
    m.frame->color_range = m.enc->color_range;
    m.frame->chroma_location = m.enc->chroma_sample_location;

    if (m.gif) {
      m.rgba8.resize(static_cast<size_t>(m.padded_w) * m.padded_h * 4);
    } else if (!m.yuv420p8) {
      const AVPixelFormat src_fmt = m.deep ? AV_PIX_FMT_RGBA64 : AV_PIX_FMT_RGBA;
      m.sws = sws_alloc_context();
      if (!m.sws) m.fail("allocating", AVERROR(ENOMEM));
      av_opt_set_int(m.sws, "srcw", m.padded_w, 0);
      av_opt_set_int(m.sws, "srch", m.padded_h, 0);
      av_opt_set_int(m.sws, "src_format", src_fmt, 0);
      av_opt_set_int(m.sws, "dstw", m.padded_w, 0);
      av_opt_set_int(m.sws, "dsth", m.padded_h, 0);
      av_opt_set_int(m.sws, "dst_format", pix_fmt, 0);
      av_opt_set_int(m.sws, "sws_flags", SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, 0);
      r = sws_init_context(m.sws, nullptr, nullptr);
      if (r < 0) m.fail("setting up the pixel conversion", r);
      if (yuv) {
        sws_setColorspaceDetails(m.sws, sws_getCoefficients(SWS_CS_ITU709), 1,
                                 sws_getCoefficients(SWS_CS_ITU709), 0, 0, 1 << 16, 1 << 16);
      }
      if (m.deep)
        m.rgba16.resize(static_cast<size_t>(m.padded_w) * m.padded_h * 4);
      else
        m.rgba8.resize(static_cast<size_t>(m.padded_w) * m.padded_h * 4);
    }
  } catch (...) {
    m.release();
    io_detail::discard_temp_file(m.temp);
    throw;
  }
}

LibavVideoWriter::~LibavVideoWriter() {
  if (!impl_) return;
  impl_->release();
  if (!impl_->finished) io_detail::discard_temp_file(impl_->temp);
}

namespace {

// Pads rows of `w` pixels to `pw` and `h` rows to `ph` by repeating the last
// column and row, in a buffer of `pw` x `ph` pixels of 4 components.
template <class T>
void pad_edges(std::vector<T>& buf, int w, int h, int pw, int ph) {
  const size_t row = static_cast<size_t>(pw) * 4;
  for (int y = 0; y < h; ++y) {
    T* d = buf.data() + y * row;
    for (int x = w; x < pw; ++x) std::copy(d + (w - 1) * 4, d + w * 4, d + x * 4);
  }
  for (int y = h; y < ph; ++y) std::copy_n(buf.data() + (h - 1) * row, row, buf.data() + y * row);
}

}  // namespace

void LibavVideoWriter::write_frame(ConstImageView rgba) {
  Impl& m = *impl_;
  if (m.finished || m.failed)
    throw IoError("cannot write " + m.path + ": the video is already finished or failed");
  if (rgba.channels != 4 || rgba.width != m.width || rgba.height != m.height || !rgba.data)
    m.fail("frame " + std::to_string(m.frames + 1) + " is " + std::to_string(rgba.width) + "x" +
               std::to_string(rgba.height) + ", expected RGBA " + std::to_string(m.width) + "x" +
               std::to_string(m.height),
           0);

  if (m.yuv420p8) {
    // Float RGBA straight to the encoder's planes, padding included. One
    // thread: this runs on the video's own writer lane while the cooker's
    // and the encoder's threads keep the cores busy.
    int r = av_frame_make_writable(m.frame);
    if (r < 0) m.fail("allocating", r);
    const Yuv420Planes planes{m.frame->data[0],     m.frame->data[1],     m.frame->data[2],
                              m.frame->linesize[0], m.frame->linesize[1], m.frame->linesize[2]};
    rgba_to_yuv420p8(rgba, planes, 1);
    m.send(m.frames);
    ++m.frames;
    return;
  }
  // Clamp and round with the kernels every writer shares, then pad to the
  // encoded size. One thread: this runs on the video's own writer lane,
  // beside the cooker's threads.
  const int pw = m.padded_w;
  const size_t pixels = static_cast<size_t>(pw) * m.padded_h;
  if (m.deep) {
    float_to_uint16(rgba, 4, m.rgba16.data(), static_cast<std::ptrdiff_t>(pw) * 4, 1);
    pad_edges(m.rgba16, m.width, m.height, pw, m.padded_h);
  } else {
    float_to_uint8(rgba, 4, m.rgba8.data(), static_cast<std::ptrdiff_t>(pw) * 4, 1);
    pad_edges(m.rgba8, m.width, m.height, pw, m.padded_h);
  }
  if (m.gif) {
    // Kept as RGB until finish(): the palette is the whole movie's.
    const size_t at = m.gif_rgb.size();
    m.gif_rgb.resize(at + pixels * 3);
    for (size_t i = 0; i < pixels; ++i)
      for (int c = 0; c < 3; ++c) m.gif_rgb[at + i * 3 + c] = m.rgba8[i * 4 + c];
    ++m.frames;
    return;
  }
  int r = av_frame_make_writable(m.frame);
  if (r < 0) m.fail("allocating", r);
  const uint8_t* src[4] = {m.deep ? reinterpret_cast<const uint8_t*>(m.rgba16.data()) : m.rgba8.data(), nullptr,
                           nullptr, nullptr};
  const int src_stride[4] = {pw * (m.deep ? 8 : 4), 0, 0, 0};
  sws_scale(m.sws, src, src_stride, 0, m.padded_h, m.frame->data, m.frame->linesize);
  m.send(m.frames);
  ++m.frames;
}

void LibavVideoWriter::finish() {
  Impl& m = *impl_;
  if (m.finished) return;
  if (m.failed) throw IoError("cannot write " + m.path + ": the video failed earlier");
  try {
    m.close_file();
  } catch (...) {
    m.release();
    io_detail::discard_temp_file(m.temp);
    throw;
  }
  m.release();
  m.finished = true;
  io_detail::commit_temp_file(m.temp, m.path);
}

std::string LibavVideoWriter::finish_partial() {
  Impl& m = *impl_;
  if (m.finished) return "";
  if (m.failed || m.frames == 0) {
    m.release();
    io_detail::discard_temp_file(m.temp);
    m.finished = true;
    return "";
  }
  try {
    m.close_file();
  } catch (...) {
    m.release();
    io_detail::discard_temp_file(m.temp);
    throw;
  }
  m.release();
  m.finished = true;
  const std::string target = partial_path(m.path);
  io_detail::commit_temp_file(m.temp, target);
  return target;
}

void LibavVideoWriter::write_audio(const float* const* planes, std::size_t count) {
  Impl& m = *impl_;
  if (m.finished || m.failed) throw IoError("cannot write " + m.path + ": the video is already finished or failed");
  if (!m.audio) m.fail("the movie was opened without a sound track", 0);
  try {
    m.audio->write(planes, count);
  } catch (...) {
    m.failed = true;
    throw;
  }
}

std::size_t LibavVideoWriter::audio_samples_written() const {
  return impl_->audio ? impl_->audio->samples_written() : 0;
}

const std::string& LibavVideoWriter::path() const { return impl_->path; }
const std::string& LibavVideoWriter::codec_name() const { return impl_->codec_name; }
int LibavVideoWriter::frames_written() const { return impl_->frames; }
int LibavVideoWriter::padded_width() const { return impl_->padded_w; }
int LibavVideoWriter::padded_height() const { return impl_->padded_h; }

VideoInfo libav_read_video_info(const std::string& path) {
  quiet_libav();
  AVFormatContext* ctx = nullptr;
  int r = avformat_open_input(&ctx, path.c_str(), nullptr, nullptr);
  if (r < 0) throw IoError("cannot read " + path + ": " + av_message(r));
  struct Closer {
    AVFormatContext** c;
    ~Closer() { avformat_close_input(c); }
  } closer{&ctx};
  r = avformat_find_stream_info(ctx, nullptr);
  if (r < 0) throw IoError("cannot read " + path + ": " + av_message(r));
  const int index = av_find_best_stream(ctx, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (index < 0) throw IoError("cannot read " + path + ": no video stream");
  const AVStream* st = ctx->streams[index];
  VideoInfo info;
  info.width = st->codecpar->width;
  info.height = st->codecpar->height;
  info.codec = avcodec_get_name(st->codecpar->codec_id);
  const char* pf = av_get_pix_fmt_name(static_cast<AVPixelFormat>(st->codecpar->format));
  info.pixel_format = pf ? pf : "";
  info.container = ctx->iformat->name;
  auto name_or_empty = [](const char* n) { return std::string(n ? n : ""); };
  const AVCodecParameters* par = st->codecpar;
  if (par->color_space != AVCOL_SPC_UNSPECIFIED) info.color_space = name_or_empty(av_color_space_name(par->color_space));
  if (par->color_primaries != AVCOL_PRI_UNSPECIFIED)
    info.color_primaries = name_or_empty(av_color_primaries_name(par->color_primaries));
  if (par->color_trc != AVCOL_TRC_UNSPECIFIED) info.color_transfer = name_or_empty(av_color_transfer_name(par->color_trc));
  if (par->color_range != AVCOL_RANGE_UNSPECIFIED) info.color_range = name_or_empty(av_color_range_name(par->color_range));
  info.fps = st->avg_frame_rate.den ? av_q2d(st->avg_frame_rate) : av_q2d(st->r_frame_rate);
  AVPacket* pkt = av_packet_alloc();
  while (av_read_frame(ctx, pkt) >= 0) {
    if (pkt->stream_index == index) ++info.frames;
    av_packet_unref(pkt);
  }
  av_packet_free(&pkt);
  return info;
}

}  // namespace netcook

netcook::io_detail::VideoEncoder* netcook_video_open_writer(const std::string& path, int width, int height, double fps,
                                                            const netcook::OutputSpec& spec) {
  return new netcook::LibavVideoWriter(path, width, height, fps, spec);
}

netcook::io_detail::VideoEncoder* netcook_video_open_writer_with_audio(const std::string& path, int width,
                                                                       int height, double fps,
                                                                       const netcook::OutputSpec& spec,
                                                                       const netcook::AudioTrackSpec* audio) {
  return new netcook::LibavVideoWriter(path, width, height, fps, spec, audio);
}

netcook::VideoInfo netcook_video_read_info(const std::string& path) { return netcook::libav_read_video_info(path); }

std::optional<std::string> netcook_video_check_settings(const netcook::OutputSpec& spec) {
  return netcook::libav_check_video_settings(spec);
}
