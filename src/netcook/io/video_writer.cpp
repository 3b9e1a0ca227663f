#include "netcook/io/video_writer.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <mutex>
#include <vector>

#include "netcook/io/temp_file.h"
#include "netcook/kernels/convert.h"

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

void quiet_libav() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_level(AV_LOG_ERROR); });
}

std::string av_message(int err) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {0};
  av_strerror(err, buf, sizeof buf);
  return buf;
}

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

// yuv420p where the encoder has it (what every player decodes), except for
// encoders meant for masters (lossless or intra), which get the format that
// loses least from RGBA, alpha included.
AVPixelFormat choose_pix_fmt(const AVCodec* codec) {
  const std::string name = codec->name;
  if (name == "gif") return AV_PIX_FMT_RGB8;
  const bool master = one_of(name, {"ffv1", "prores_ks", "prores_aw", "prores", "png", "qtrle",
                                    "utvideo", "huffyuv", "ffvhuff", "libx264rgb", "rawvideo",
                                    "dnxhd", "cfhd", "magicyuv"});
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

}  // namespace

// The encoder behind VideoWriter (io/media.cpp).
class LibavVideoWriter final : public io_detail::VideoEncoder {
 public:
  LibavVideoWriter(const std::string& path, int width, int height, double fps, const OutputSpec& spec);
  ~LibavVideoWriter() override;
  void write_frame(ConstImageView rgba) override;
  void finish() override;
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

  AVFormatContext* fmt = nullptr;
  AVCodecContext* enc = nullptr;
  AVStream* stream = nullptr;
  SwsContext* sws = nullptr;
  AVFrame* frame = nullptr;
  AVPacket* packet = nullptr;
  std::vector<uint8_t> rgba8;

  // "cannot write PATH: REASON (STEP)": REASON is libav's text for `err`,
  // which for file errors is strerror's ("No space left on device"), as
  // the image writer reports them; without `err`, the step is the reason.
  [[noreturn]] void fail(const std::string& what, int err) {
    failed = true;
    throw IoError("cannot write " + path + ": " + (err ? av_message(err) + " (" + what + ")" : what));
  }

  void release() noexcept {
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
};

LibavVideoWriter::LibavVideoWriter(const std::string& path, int width, int height, double fps,
                         const OutputSpec& spec)
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

  m.codec_name = spec.codec.empty() ? default_video_codec(path) : spec.codec;
  const AVCodec* codec = avcodec_find_encoder_by_name(m.codec_name.c_str());
  if (!codec) throw IoError("cannot write " + path + ": no encoder " + m.codec_name);
  const AVOutputFormat* ofmt = av_guess_format(nullptr, path.c_str(), nullptr);
  if (!ofmt) throw IoError("cannot write " + path + ": no libav muxer for this extension");

  const AVPixelFormat pix_fmt = choose_pix_fmt(codec);
  const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(pix_fmt);
  const int step_w = 1 << desc->log2_chroma_w, step_h = 1 << desc->log2_chroma_h;
  m.padded_w = (width + step_w - 1) / step_w * step_w;
  m.padded_h = (height + step_h - 1) / step_h * step_h;

  m.temp = io_detail::prepare_temp_path(path);
  try {
    int r = avformat_alloc_output_context2(&m.fmt, ofmt, nullptr, m.temp.c_str());
    if (r < 0 || !m.fmt) m.fail("creating the container", r);

    m.enc = avcodec_alloc_context3(codec);
    if (!m.enc) m.fail("allocating", AVERROR(ENOMEM));
    const AVRational rate = av_d2q(fps, 100000);
    m.enc->width = m.padded_w;
    m.enc->height = m.padded_h;
    m.enc->pix_fmt = pix_fmt;
    m.enc->framerate = rate;
    m.enc->time_base = av_inv_q(rate);
    m.enc->sample_aspect_ratio = AVRational{1, 1};
    m.enc->thread_count = 0;  // the encoder's own choice, usually one per core
    const bool yuv = !(desc->flags & AV_PIX_FMT_FLAG_RGB) && !(desc->flags & AV_PIX_FMT_FLAG_PAL) &&
                     desc->nb_components >= 3;
    if (yuv) {
      m.enc->colorspace = AVCOL_SPC_BT709;
      m.enc->color_primaries = AVCOL_PRI_BT709;
      m.enc->color_trc = AVCOL_TRC_IEC61966_2_1;
      m.enc->color_range = AVCOL_RANGE_MPEG;
    }
    if (m.fmt->oformat->flags & AVFMT_GLOBALHEADER) m.enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;

    AVDictionary* opts = nullptr;
    const CrfScale crf = crf_scale(m.codec_name);
    if (crf.max > 0) {
      const int value = spec.quality >= 0
                            ? static_cast<int>(std::lround(crf.max * (100 - spec.quality) / 100.0))
                            : crf.default_crf;
      av_dict_set_int(&opts, "crf", value, 0);
      if (m.codec_name == "libx264" || m.codec_name == "libx264rgb" || m.codec_name == "libx265")
        av_dict_set(&opts, "preset", "medium", 0);
      if (m.codec_name == "libvpx-vp9") {
        m.enc->bit_rate = 0;  // constant quality
        av_dict_set(&opts, "deadline", "good", 0);
        av_dict_set(&opts, "cpu-used", "4", 0);
        av_dict_set(&opts, "row-mt", "1", 0);
      }
      if (m.codec_name == "libaom-av1") {
        m.enc->bit_rate = 0;
        av_dict_set(&opts, "cpu-used", "6", 0);
      }
    } else if (m.codec_name != "gif") {
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

    r = avio_open(&m.fmt->pb, m.temp.c_str(), AVIO_FLAG_WRITE);
    if (r < 0) m.fail("opening the file", r);
    AVDictionary* mux_opts = nullptr;
    const std::string ext = path_extension(path);
    if (ext == "mp4" || ext == "mov") av_dict_set(&mux_opts, "movflags", "+faststart", 0);
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

    m.sws = sws_alloc_context();
    if (!m.sws) m.fail("allocating", AVERROR(ENOMEM));
    av_opt_set_int(m.sws, "srcw", m.padded_w, 0);
    av_opt_set_int(m.sws, "srch", m.padded_h, 0);
    av_opt_set_int(m.sws, "src_format", AV_PIX_FMT_RGBA, 0);
    av_opt_set_int(m.sws, "dstw", m.padded_w, 0);
    av_opt_set_int(m.sws, "dsth", m.padded_h, 0);
    av_opt_set_int(m.sws, "dst_format", pix_fmt, 0);
    av_opt_set_int(m.sws, "sws_flags", SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, 0);
    // GIF's fixed 3-3-2 palette bands badly without dithering; the 8x8
    // ordered (Bayer) pattern is stable from frame to frame, unlike error
    // diffusion, which crawls in animations.
    av_opt_set(m.sws, "sws_dither", "bayer", 0);
    r = sws_init_context(m.sws, nullptr, nullptr);
    if (r < 0) m.fail("setting up the pixel conversion", r);
    if (yuv) {
      sws_setColorspaceDetails(m.sws, sws_getCoefficients(SWS_CS_ITU709), 1,
                               sws_getCoefficients(SWS_CS_ITU709), 0, 0, 1 << 16, 1 << 16);
    }
    m.rgba8.resize(static_cast<size_t>(m.padded_w) * m.padded_h * 4);
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

void LibavVideoWriter::write_frame(ConstImageView rgba) {
  Impl& m = *impl_;
  if (m.finished || m.failed)
    throw IoError("cannot write " + m.path + ": the video is already finished or failed");
  if (rgba.channels != 4 || rgba.width != m.width || rgba.height != m.height || !rgba.data)
    m.fail("frame " + std::to_string(m.frames + 1) + " is " + std::to_string(rgba.width) + "x" +
               std::to_string(rgba.height) + ", expected RGBA " + std::to_string(m.width) + "x" +
               std::to_string(m.height),
           0);

  // Clamp and round to 8 bits with the kernel every writer shares, then pad
  // to the encoded size by repeating the last column and row. One thread:
  // this runs on the video's own writer lane, beside the cooker's threads.
  const int pw = m.padded_w;
  const size_t row_bytes = static_cast<size_t>(pw) * 4;
  float_to_uint8(rgba, 4, m.rgba8.data(), static_cast<std::ptrdiff_t>(row_bytes), 1);
  for (int y = 0; y < m.height; ++y) {
    uint8_t* d = m.rgba8.data() + y * row_bytes;
    for (int x = m.width; x < pw; ++x) std::copy(d + (m.width - 1) * 4, d + m.width * 4, d + x * 4);
  }
  for (int y = m.height; y < m.padded_h; ++y)
    std::copy_n(m.rgba8.data() + (m.height - 1) * row_bytes, row_bytes, m.rgba8.data() + y * row_bytes);

  int r = av_frame_make_writable(m.frame);
  if (r < 0) m.fail("allocating", r);
  const uint8_t* src[4] = {m.rgba8.data(), nullptr, nullptr, nullptr};
  const int src_stride[4] = {pw * 4, 0, 0, 0};
  sws_scale(m.sws, src, src_stride, 0, m.padded_h, m.frame->data, m.frame->linesize);
  m.frame->pts = m.frames;
  r = avcodec_send_frame(m.enc, m.frame);
  if (r < 0) m.fail("encoding", r);
  m.drain_packets();
  ++m.frames;
}

void LibavVideoWriter::finish() {
  Impl& m = *impl_;
  if (m.finished) return;
  if (m.failed) throw IoError("cannot write " + m.path + ": the video failed earlier");
  try {
    int r = avcodec_send_frame(m.enc, nullptr);
    if (r < 0) m.fail("flushing the encoder", r);
    m.drain_packets();
    r = av_write_trailer(m.fmt);
    if (r < 0) m.fail("writing the trailer", r);
    // av_write_trailer flushes and reports pb->error, but a muxer that
    // rewrites the file in its trailer (mp4 +faststart) can leave bytes in
    // the buffer: flush once more and look again, since avio_closep only
    // reports close(2) itself.
    avio_flush(m.fmt->pb);
    if (m.fmt->pb->error < 0) m.fail("writing the file", m.fmt->pb->error);
    r = avio_closep(&m.fmt->pb);
    if (r < 0) m.fail("closing the file", r);
  } catch (...) {
    m.release();
    io_detail::discard_temp_file(m.temp);
    throw;
  }
  m.release();
  m.finished = true;
  io_detail::commit_temp_file(m.temp, m.path);
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

netcook::io_detail::VideoEncoder* netcook_media_open_video(const std::string& path, int width, int height, double fps,
                                                           const netcook::OutputSpec& spec) {
  return new netcook::LibavVideoWriter(path, width, height, fps, spec);
}

netcook::VideoInfo netcook_media_read_video_info(const std::string& path) {
  return netcook::libav_read_video_info(path);
}

std::optional<std::string> netcook_media_check_video_codec(const std::string& path, const std::string& codec_name,
                                                           bool codec_was_given) {
  const std::string ext = netcook::path_extension(path);
  const AVCodec* codec = avcodec_find_encoder_by_name(codec_name.c_str());
  if (!codec) {
    if (!codec_was_given) return "this build of libav has no " + codec_name + " encoder; choose another with codec:";
    return "unknown video codec '" + codec_name +
           "' (any libav video encoder, e.g. libx264, libx265, libvpx-vp9, mpeg4, prores_ks, "
           "ffv1, gif)";
  }
  if (codec->type != AVMEDIA_TYPE_VIDEO) return "codec '" + codec_name + "' is not a video encoder";
  if (const AVOutputFormat* fmt = av_guess_format(nullptr, path.c_str(), nullptr)) {
    if (avformat_query_codec(fmt, codec->id, FF_COMPLIANCE_NORMAL) == 0)
      return "codec '" + codec_name + "' cannot be stored in ." + ext + " (try .mkv or .mov)";
  }
  return std::nullopt;
}
