#include "netcook/io/video_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>

#include "netcook/io/libav_support.h"
#include "netcook/kernels/yuv.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

namespace fs = std::filesystem;

namespace netcook {

namespace {

using io_detail::av_message;
using io_detail::quiet_libav;

[[noreturn]] void fail(const std::string& path, const std::string& reason) {
  throw IoError("cannot read " + path + ": " + reason);
}

// libswscale's coefficient table for a stream's matrix. Unspecified: what
// players assume, BT.709 for HD and BT.601 below.
int sws_matrix(AVColorSpace space, int height) {
  switch (space) {
    case AVCOL_SPC_BT709: return SWS_CS_ITU709;
    case AVCOL_SPC_BT470BG:
    case AVCOL_SPC_SMPTE170M: return SWS_CS_ITU601;
    case AVCOL_SPC_SMPTE240M: return SWS_CS_SMPTE240M;
    case AVCOL_SPC_FCC: return SWS_CS_FCC;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL: return SWS_CS_BT2020;
    default: return height >= 720 ? SWS_CS_ITU709 : SWS_CS_ITU601;
  }
}

bool is_full_range(const AVFrame& frame) {
  if (frame.color_range == AVCOL_RANGE_JPEG) return true;
  switch (frame.format) {
    case AV_PIX_FMT_YUVJ420P:
    case AV_PIX_FMT_YUVJ422P:
    case AV_PIX_FMT_YUVJ444P:
    case AV_PIX_FMT_YUVJ440P:
    case AV_PIX_FMT_YUVJ411P: return true;
    default: return false;
  }
}

class MovieReader : public FootageReader {
 public:
  explicit MovieReader(const std::string& path) : path_(path) {
    quiet_libav();
    int r = avformat_open_input(&fmt_, path.c_str(), nullptr, nullptr);
    if (r < 0) fail(path, av_message(r));
    try {
      open();
    } catch (...) {
      release();
      throw;
    }
  }
  ~MovieReader() override { release(); }

  void read_frame(std::int64_t index, ImageView out, int nthreads) override {
    if (index < 0 || index >= info_.frames)
      fail(path_, "frame " + std::to_string(index) + " out of range 0.." + std::to_string(info_.frames - 1));
    if (out.width != info_.width || out.height != info_.height || out.channels != 4)
      fail(path_, "frame buffer of the wrong size");
    if (index != current_index_) decode_to(index);
    if (frame_->width != info_.width || frame_->height != info_.height)
      fail(path_, "the frame size changes within the movie");
    if (auto source = planar_yuv(*frame_))
      yuv_to_rgba(*source, out, nthreads);
    else
      convert(out);
  }

 private:
  void open() {
    int r = avformat_find_stream_info(fmt_, nullptr);
    if (r < 0) fail(path_, av_message(r));
    stream_ = av_find_best_stream(fmt_, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (stream_ < 0) fail(path_, "no video stream");
    AVStream* st = fmt_->streams[stream_];
    for (unsigned i = 0; i < fmt_->nb_streams; ++i)
      if (static_cast<int>(i) != stream_) fmt_->streams[i]->discard = AVDISCARD_ALL;

    // Every frame's timestamp, and the key frames', from one demuxing pass:
    // the container's own index is often only key frames (mkv cues) or
    // absent (gif), and frame-accurate reading needs them all.
    AVPacket* pkt = av_packet_alloc();
    if (!pkt) fail(path_, "out of memory");
    std::int64_t sequence = 0;
    while ((r = av_read_frame(fmt_, pkt)) >= 0) {
      if (pkt->stream_index == stream_) {
        std::int64_t ts = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts;
        if (ts == AV_NOPTS_VALUE) ts = sequence;  // no timestamps at all: decode order
        frame_pts_.push_back(ts);
        if (pkt->flags & AV_PKT_FLAG_KEY) key_pts_.push_back(ts);
        ++sequence;
      }
      av_packet_unref(pkt);
    }
    av_packet_free(&pkt);
    if (r != AVERROR_EOF) fail(path_, av_message(r));
    std::sort(frame_pts_.begin(), frame_pts_.end());
    frame_pts_.erase(std::unique(frame_pts_.begin(), frame_pts_.end()), frame_pts_.end());
    std::sort(key_pts_.begin(), key_pts_.end());
    if (frame_pts_.empty()) fail(path_, "the video stream holds no frames");
    if (key_pts_.empty() || key_pts_.front() > frame_pts_.front()) key_pts_.insert(key_pts_.begin(), frame_pts_.front());

    const AVCodec* codec = avcodec_find_decoder(st->codecpar->codec_id);
    if (!codec) fail(path_, std::string("no decoder for ") + avcodec_get_name(st->codecpar->codec_id));
    dec_ = avcodec_alloc_context3(codec);
    if (!dec_) fail(path_, "out of memory");
    r = avcodec_parameters_to_context(dec_, st->codecpar);
    if (r < 0) fail(path_, av_message(r));
    dec_->thread_count = 0;
    dec_->pkt_timebase = st->time_base;
    r = avcodec_open2(dec_, codec, nullptr);
    if (r < 0) fail(path_, "opening the decoder: " + av_message(r));
    frame_ = av_frame_alloc();
    packet_ = av_packet_alloc();
    if (!frame_ || !packet_) fail(path_, "out of memory");

    info_.width = st->codecpar->width;
    info_.height = st->codecpar->height;
    if (info_.width <= 0 || info_.height <= 0) fail(path_, "the video has no frame size");
    info_.frames = static_cast<std::int64_t>(frame_pts_.size());
    const double tick = av_q2d(st->time_base);
    for (std::int64_t pts : frame_pts_) info_.frame_seconds.push_back(static_cast<double>(pts - frame_pts_.front()) * tick);
    info_.time_tolerance = 0.5 * tick;
    const AVRational rate = st->avg_frame_rate.num > 0 ? st->avg_frame_rate : st->r_frame_rate;
    info_.fps = rate.num > 0 && rate.den > 0 ? av_q2d(rate) : 0;
    if (!(info_.fps > 0)) fail(path_, "the video has no frame rate");
    info_.codec = avcodec_get_name(st->codecpar->codec_id);
    const auto format = static_cast<AVPixelFormat>(st->codecpar->format);
    const char* name = av_get_pix_fmt_name(format);
    info_.pixel_format = name ? name : "";
    const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(format);
    info_.has_alpha = desc && (desc->flags & AV_PIX_FMT_FLAG_ALPHA);
  }

  void release() noexcept {
    sws_freeContext(sws_);
    sws_ = nullptr;
    av_frame_free(&frame_);
    av_packet_free(&packet_);
    avcodec_free_context(&dec_);
    if (fmt_) avformat_close_input(&fmt_);
  }

  std::int64_t key_before(std::int64_t pts) const {
    auto it = std::upper_bound(key_pts_.begin(), key_pts_.end(), pts);
    return it == key_pts_.begin() ? key_pts_.front() : *std::prev(it);
  }

  void seek_to(std::int64_t key) {
    int r = av_seek_frame(fmt_, stream_, key, AVSEEK_FLAG_BACKWARD);
    if (r < 0) fail(path_, "seeking: " + av_message(r));
    avcodec_flush_buffers(dec_);
    flushing_ = false;
    current_index_ = -1;
    current_pts_ = AV_NOPTS_VALUE;
    ++seeks_;
  }

  // Leaves the decoded frame `index` in frame_.
  void decode_to(std::int64_t index) {
    const std::int64_t target = frame_pts_[static_cast<std::size_t>(index)];
    std::int64_t key = key_before(target);
    // Decoding forward from where the decoder stands beats seeking when no
    // key frame lies between it and the target, and always for the next
    // frame: intra-only files (ProRes) have a key frame at every frame, and
    // seeking to each one flushed the decoder's threads every frame.
    const bool next = current_index_ >= 0 && index == current_index_ + 1;
    const bool forward = current_pts_ != AV_NOPTS_VALUE && current_pts_ < target && (key <= current_pts_ || next);
    if (!forward) seek_to(key);
    bool fresh = !forward;  // decoding from a seek to `key`
    for (int attempt = 0;; ++attempt) {
      if (decode_until(target) == 0) break;
      if (!fresh) {
        // Going forward missed it (the decoder ran out): from the key frame.
        seek_to(key);
        fresh = true;
        continue;
      }
      // Landed after the target (a demuxer that seeks to the key frame after
      // the timestamp, or an open GOP): start from the key frame before.
      auto it = std::lower_bound(key_pts_.begin(), key_pts_.end(), key);
      if (attempt > 8 || it == key_pts_.begin())
        fail(path_, "frame " + std::to_string(index) + " could not be decoded (no key frame before it)");
      key = *std::prev(it);
      seek_to(key);
    }
    current_index_ = index;
  }

  // 0: frame_ holds the frame with pts `target`; 1: the decoder passed it.
  int decode_until(std::int64_t target) {
    for (;;) {
      int r = avcodec_receive_frame(dec_, frame_);
      if (r == 0) {
        ++frames_decoded_;
        std::int64_t pts = frame_->best_effort_timestamp;
        if (pts == AV_NOPTS_VALUE) pts = frame_->pts;
        current_pts_ = pts;
        if (pts == target) return 0;
        if (pts > target) return 1;
        continue;
      }
      if (r == AVERROR_EOF) {
        current_pts_ = AV_NOPTS_VALUE;
        return 1;
      }
      if (r != AVERROR(EAGAIN)) fail(path_, "decoding: " + av_message(r));
      if (flushing_) fail(path_, "decoding: the decoder stopped without EOF");
      // Feed the next packet of our stream, or flush at the end.
      for (;;) {
        r = av_read_frame(fmt_, packet_);
        if (r == AVERROR_EOF) {
          r = avcodec_send_packet(dec_, nullptr);
          flushing_ = true;
          if (r < 0 && r != AVERROR_EOF) fail(path_, "decoding: " + av_message(r));
          break;
        }
        if (r < 0) fail(path_, av_message(r));
        if (packet_->stream_index != stream_) {
          av_packet_unref(packet_);
          continue;
        }
        r = avcodec_send_packet(dec_, packet_);
        av_packet_unref(packet_);
        if (r < 0 && r != AVERROR_INVALIDDATA) fail(path_, "decoding: " + av_message(r));
        break;
      }
    }
  }

  // The frame as kernels/yuv.h reads it: planar Y'CbCr of 8 to 16 bits
  // (little-endian), 4:2:0, 4:2:2, 4:4:0 or 4:4:4, optional alpha, with a
  // matrix and chroma siting the kernel knows. nullopt: libswscale converts.
  static std::optional<YuvSource> planar_yuv(const AVFrame& frame) {
    const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(frame.format));
    if (!desc || (desc->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BE | AV_PIX_FMT_FLAG_FLOAT |
                                 AV_PIX_FMT_FLAG_HWACCEL | AV_PIX_FMT_FLAG_BAYER)) ||
        !(desc->flags & AV_PIX_FMT_FLAG_PLANAR) || desc->nb_components < 3 || desc->log2_chroma_w > 1 ||
        desc->log2_chroma_h > 1)
      return std::nullopt;
    YuvSource s;
    s.bits = desc->comp[0].depth;
    if (s.bits < 8 || s.bits > 16) return std::nullopt;
    const int bytes = s.bits == 8 ? 1 : 2;
    for (int c = 0; c < desc->nb_components; ++c) {
      const AVComponentDescriptor& comp = desc->comp[c];
      if (comp.plane != c || comp.depth != s.bits || comp.step != bytes || comp.shift != 0 || comp.offset != 0)
        return std::nullopt;
      s.planes[c] = frame.data[c];
      s.strides[c] = frame.linesize[c];
    }
    switch (frame.colorspace) {
      case AVCOL_SPC_BT709: break;
      case AVCOL_SPC_BT470BG:
      case AVCOL_SPC_SMPTE170M: s.kr = 0.299f, s.kb = 0.114f; break;
      case AVCOL_SPC_BT2020_NCL: s.kr = 0.2627f, s.kb = 0.0593f; break;
      case AVCOL_SPC_UNSPECIFIED:
      case AVCOL_SPC_RESERVED:
        if (frame.height < 720) s.kr = 0.299f, s.kb = 0.114f;  // what players assume, as sws_matrix
        break;
      default: return std::nullopt;
    }
    // Siting: unspecified is MPEG-2/H.264's default, left (co-sited
    // horizontally, centred vertically); 4:2:2 and 4:4:4 have no vertical
    // subsampling to site.
    switch (frame.chroma_location) {
      case AVCHROMA_LOC_UNSPECIFIED:
      case AVCHROMA_LOC_LEFT: s.chroma_centred_x = false, s.chroma_centred_y = true; break;
      case AVCHROMA_LOC_CENTER: s.chroma_centred_x = true, s.chroma_centred_y = true; break;
      case AVCHROMA_LOC_TOPLEFT: s.chroma_centred_x = false, s.chroma_centred_y = false; break;
      case AVCHROMA_LOC_TOP: s.chroma_centred_x = true, s.chroma_centred_y = false; break;
      default: return std::nullopt;
    }
    s.chroma_shift_x = desc->log2_chroma_w;
    s.chroma_shift_y = desc->log2_chroma_h;
    s.full_range = is_full_range(frame);
    return s;
  }

  void convert(ImageView out) {
    const auto src_format = static_cast<AVPixelFormat>(frame_->format);
    sws_ = sws_getCachedContext(sws_, frame_->width, frame_->height, src_format, frame_->width, frame_->height,
                                AV_PIX_FMT_RGBA64LE, SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT | SWS_BITEXACT,
                                nullptr, nullptr, nullptr);
    if (!sws_) fail(path_, "no conversion from " + info_.pixel_format + " to RGBA");
    const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(src_format);
    const bool rgb = desc && (desc->flags & AV_PIX_FMT_FLAG_RGB);
    if (!rgb) {
      const int* matrix = sws_getCoefficients(sws_matrix(frame_->colorspace, frame_->height));
      sws_setColorspaceDetails(sws_, matrix, is_full_range(*frame_) ? 1 : 0, matrix, 1, 0, 1 << 16, 1 << 16);
    }
    rgba16_.resize(static_cast<std::size_t>(info_.width) * info_.height * 4);
    uint8_t* dst[4] = {reinterpret_cast<uint8_t*>(rgba16_.data()), nullptr, nullptr, nullptr};
    const int dst_stride[4] = {info_.width * 8, 0, 0, 0};
    sws_scale(sws_, frame_->data, frame_->linesize, 0, frame_->height, dst, dst_stride);
    const bool alpha = desc && (desc->flags & AV_PIX_FMT_FLAG_ALPHA);
    constexpr float kScale = 1.0f / 65535.0f;
    for (int y = 0; y < info_.height; ++y) {
      const std::uint16_t* s = rgba16_.data() + static_cast<std::size_t>(y) * info_.width * 4;
      float* d = out.data + y * out.stride;
      for (int x = 0; x < info_.width * 4; x += 4) {
        d[x] = s[x] * kScale;
        d[x + 1] = s[x + 1] * kScale;
        d[x + 2] = s[x + 2] * kScale;
        d[x + 3] = alpha ? s[x + 3] * kScale : 1.0f;
      }
    }
  }

  std::string path_;
  AVFormatContext* fmt_ = nullptr;
  AVCodecContext* dec_ = nullptr;
  AVFrame* frame_ = nullptr;
  AVPacket* packet_ = nullptr;
  SwsContext* sws_ = nullptr;
  int stream_ = -1;
  std::vector<std::int64_t> frame_pts_;  // presentation order
  std::vector<std::int64_t> key_pts_;    // sorted
  std::vector<std::uint16_t> rgba16_;
  std::int64_t current_index_ = -1;               // index of the frame in frame_
  std::int64_t current_pts_ = AV_NOPTS_VALUE;  // pts of the last frame decoded
  bool flushing_ = false;
};

}  // namespace

// open_footage() of a movie (video_reader.h; io/media.cpp calls in here;
// image sequences are read in the image library, image_sequence_reader.cpp).
FootageReader* libav_open_movie(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) fail(path, std::strerror(ENOENT));
  if (fs::is_directory(path, ec)) fail(path, "is a folder");
  return new MovieReader(path);
}

}  // namespace netcook

netcook::FootageReader* netcook_video_open_movie(const std::string& path) { return netcook::libav_open_movie(path); }
