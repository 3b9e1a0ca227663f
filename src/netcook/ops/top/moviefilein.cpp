// Movie File In TOP: a frame of a movie or of an image sequence, chosen from
// the timeline as TouchDesigner does.
//
// Position, in the file's frames (index 0 = its first frame):
//   locked     the frame on screen (frame - 1) / timeline rate seconds into
//              the file: the file plays in step with the timeline from
//              timeline frame 1 (by the frames' own times, so uneven GIF
//              delays are followed; with overridesample, at samplerate).
//   specify    `index` in `indexunit`.
//   sequential starts at 0 on timeline frame 1 and advances by
//              speed * file rate / timeline rate each frame while `play` is
//              on (state kept across frames, pre-rolled like an LFO).
// Units: indices = file frames; frames = timeline frames; seconds; fraction
// of the file, 0 = first frame, 1 = last. The file rate is the movie's own
// (an image sequence's: the timeline's), or `samplerate` when
// `overridesample` is on.
// The clip is the whole file, or tstart..tend (inclusive, in frames of the
// whole file) when `trim` is on; positions count from the clip's first
// frame, and a fraction is of the clip. The position is rounded down to a
// whole frame; one before the clip follows textendleft, one after it
// textendright: hold the end frame, repeat (loop), mirror (back and forth),
// zero (transparent black).
// Decoding lives in io/video_reader: YUV through the file's matrix and
// range, no transfer function.
#include <cmath>
#include <limits>

#include "netcook/core/network.h"
#include "netcook/core/registry.h"
#include "netcook/core/state.h"
#include "netcook/io/video_reader.h"
#include "netcook/kernels/fill.h"
#include "netcook/ops/shared_menus.h"
#include "netcook/ops/top/common.h"

namespace netcook {
namespace {

enum class PlayMode { Locked, Specify, Sequential };
enum class IndexUnit { Indices, Frames, Seconds, Fraction };
enum class ImageIndexing { Zero, FileName };

const MenuMapping<IndexUnit>& unit_menu() {
  static const MenuMapping<IndexUnit> menu{{IndexUnit::Indices, "indices", "Index"},
                                           {IndexUnit::Frames, "frames", "Frames"},
                                           {IndexUnit::Seconds, "seconds", "Seconds"},
                                           {IndexUnit::Fraction, "fraction", "Fraction"}};
  return menu;
}

struct MovieFileInParameters : ParameterSet {
  StringPar file = text("file", "File", "",
                        "The movie (.mov .mp4 .mkv .webm .gif .avi ...) or image sequence (a path with #### or %04d) "
                        "to read; relative paths are read from the scene file's folder. A missing or unreadable file "
                        "is a scene error when the scene loads.");
  MenuPar<PlayMode> playmode =
      menu("playmode", "Play Mode", playmode_menu(), PlayMode::Locked,
           "locked: the file plays in step with the timeline; specify: the frame is `index`; sequential: plays from "
           "the first frame at `speed` while `play` is on.");
  TogglePar play = toggle("play", "Play", true, "Sequential mode: the position advances while on.");
  FloatPar speed = real("speed", "Speed", 1, "Sequential mode: speed multiplier (2 = double speed, negative plays backwards).");
  FloatPar index = real("index", "Index", 0, "Specify mode: the position, in `indexunit`.");
  MenuPar<IndexUnit> indexunit = menu("indexunit", "Index Unit", unit_menu(), IndexUnit::Indices,
                                      "Unit of `index`: indices (file frames from 0), frames (timeline frames), "
                                      "seconds, fraction (0 = first frame, 1 = last).");
  MenuPar<ImageIndexing> imageindexing =
      menu("imageindexing", "Image Sequence Indexing", imageindexing_menu(), ImageIndexing::Zero,
           "Image sequences: zero = index 0 is the lowest-numbered file, in number order; filename = index N is the "
           "file numbered N (a missing number holds the file numbered below it).");
  TogglePar trim = toggle("trim", "Trim", false, "Play only tstart..tend (inclusive) of the file.");
  FloatPar tstart = real("tstart", "Trim Start", 0, "First frame played when `trim` is on, in `tstartunit`.");
  MenuPar<IndexUnit> tstartunit = menu("tstartunit", "Trim Start Unit", unit_menu(), IndexUnit::Fraction,
                                       "Unit of `tstart`.");
  FloatPar tend = real("tend", "Trim End", 1, "Last frame played when `trim` is on, in `tendunit`.");
  MenuPar<IndexUnit> tendunit = menu("tendunit", "Trim End Unit", unit_menu(), IndexUnit::Fraction,
                                     "Unit of `tend`.");
  MenuPar<ExtendMode> textendleft =
      menu("textendleft", "Extend Left", shared_menus::extend(), ExtendMode::Hold,
           "Positions before the first frame (or tstart): hold it, repeat (loop), mirror, or zero (transparent "
           "black).");
  MenuPar<ExtendMode> textendright =
      menu("textendright", "Extend Right", shared_menus::extend(), ExtendMode::Repeat,
           "Positions after the last frame (or tend): hold it, repeat (loop, the default, as movies loop), mirror, "
           "or zero (transparent black).");
  TogglePar overridesample =
      toggle("overridesample", "Override Sample Rate", false, "Play the file at `samplerate` instead of its own rate.");
  FloatPar samplerate = real("samplerate", "Sample Rate", 30,
                             "Frames per second of the file when `overridesample` is on.")
                            .clamp(0.001, std::nullopt);

  static const MenuMapping<PlayMode>& playmode_menu() {
    static const MenuMapping<PlayMode> menu{{PlayMode::Locked, "locked", "Locked to Timeline"},
                                            {PlayMode::Specify, "specify", "Specify Index"},
                                            {PlayMode::Sequential, "sequential", "Sequential"}};
    return menu;
  }
  static const MenuMapping<ImageIndexing>& imageindexing_menu() {
    static const MenuMapping<ImageIndexing> menu{{ImageIndexing::Zero, "zero", "Zero Based"},
                                                 {ImageIndexing::FileName, "filename", "File Name"}};
    return menu;
  }

  // The Common page: useinput is the file's own size.
  top_common::CommonPage common{*this, top_common::CommonPage::Kind::Generator,
                                "Output width and height in pixels when outputresolution is custom (fit/limit: the "
                                "box the file's size is fitted into). A side over 32768 pixels is a cook error."};
};

const MovieFileInParameters& pars() {
  static const MovieFileInParameters p{};
  return p;
}

// a mod n in 0..n-1 for any sign of a.
std::int64_t wrap(std::int64_t a, std::int64_t n) {
  const std::int64_t m = a % n;
  return m < 0 ? m + n : m;
}

class MovieFileInTop : public TopOperator {
 public:
  using TopOperator::TopOperator;

  bool depends_on_time() const override { return true; }
  // Only sequential play remembers earlier frames; the other modes are a
  // function of the frame, so pre-roll need not decode anything for them.
  // (Judged from the scene's setting: sequential switched on later by a
  // script starts as if its speed had been constant since frame 1.)
  bool is_stateful() const override { return pars().playmode.planned(*this) == PlayMode::Sequential; }
  void reset_state() override {
    started_ = false;
    position_ = 0;
    last_frame_ = 0;
  }
  void save_state(StateWriter& w) const override {
    w.boolean(started_);
    w.f64(position_);
    w.f64(last_frame_);
  }
  void restore_state(StateReader& r) override {
    started_ = r.boolean();
    position_ = r.f64();
    last_frame_ = r.f64();
  }

  std::pair<int, int> planned_size(std::pair<int, int>) const override {
    if (reader_) return pars().common.planned(*this, {reader_->info().width, reader_->info().height});
    return pars().common.planned(*this, {network().default_width, network().default_height});
  }

  std::optional<FileProblem> open_files() override {
    const Parameter& file = pars().file.parameter(*this);
    if (file.mode() != ParameterMode::Constant) return std::nullopt;  // known only when cooking
    const std::string given = pars().file.planned(*this);
    if (given.empty()) return FileProblem{"file", path() + ": no file given (set par: {file: PATH})"};
    try {
      open(given);
    } catch (const IoError& e) {
      return FileProblem{"file", e.what()};
    }
    return std::nullopt;
  }

  void cook(const CookContext& ctx) override {
    const MovieFileInParameters& par = pars();
    const std::string given = par.file.eval(*this);
    if (given.empty()) throw CookError(path() + ": no file given (par file)");
    open(given);
    const FootageInfo& info = reader_->info();
    const double timeline_rate = ctx.rate > 0 ? ctx.rate : 60;
    const double file_rate = par.overridesample.eval(*this) ? par.samplerate.eval(*this)
                             : info.fps > 0                 ? info.fps
                                                            : timeline_rate;
    // Image sequences indexed by file name span 0..the highest number.
    const bool by_name = info.is_sequence && par.imageindexing.eval(*this) == ImageIndexing::FileName;
    const std::int64_t length = by_name ? std::max<std::int64_t>(info.file_numbers.back() + 1, 1) : info.frames;
    auto to_index = [&](double value, IndexUnit unit, std::int64_t span) {
      switch (unit) {
        case IndexUnit::Indices: return value;
        case IndexUnit::Frames: return value * file_rate / timeline_rate;
        case IndexUnit::Seconds: return value * file_rate;
        case IndexUnit::Fraction: return value * static_cast<double>(span - 1);
      }
      return value;
    };

    // The clip: the whole file, or its trim range (trim points count frames
    // of the whole file).
    std::int64_t first = 0, last = length - 1;
    if (par.trim.eval(*this)) {
      first = clamp_index(std::floor(to_index(par.tstart.eval(*this), par.tstartunit.eval(*this), length) + 1e-6),
                          length);
      last = clamp_index(std::floor(to_index(par.tend.eval(*this), par.tendunit.eval(*this), length) + 1e-6), length);
      if (last < first) std::swap(first, last);
    }
    const std::int64_t span = last - first + 1;

    // The position within the clip (0 = its first frame).
    double position = 0;
    switch (par.playmode.eval(*this)) {
      case PlayMode::Locked:
        position = info.frame_seconds.empty() || par.overridesample.eval(*this)
                       ? ctx.seconds() * file_rate
                       : static_cast<double>(frame_at_time(info, ctx.seconds() + info.frame_seconds[first]) - first);
        break;
      case PlayMode::Specify: position = to_index(par.index.eval(*this), par.indexunit.eval(*this), span); break;
      case PlayMode::Sequential: position = step_sequential(ctx, file_rate / timeline_rate); break;
    }
    // 1e-6: a position meant to be whole (seconds * rate) may land a hair
    // below it in floating point.
    const std::int64_t wanted = static_cast<std::int64_t>(std::floor(std::clamp(position, -9.0e15, 9.0e15) + 1e-6));
    std::int64_t frame = first + wanted;
    if (wanted < 0 || wanted >= span) {
      const ExtendMode rule = wanted < 0 ? par.textendleft.eval(*this) : par.textendright.eval(*this);
      switch (rule) {
        case ExtendMode::Hold: frame = wanted < 0 ? first : last; break;
        case ExtendMode::Repeat: frame = first + wrap(wanted, span); break;
        case ExtendMode::Mirror: {
          const std::int64_t m = wrap(wanted, 2 * span);
          frame = first + (m < span ? m : 2 * span - 1 - m);
          break;
        }
        case ExtendMode::Zero: frame = -1; break;
      }
    }

    auto image = Image::create(info.width, info.height);
    if (frame < 0) {
      const float clear[4] = {0, 0, 0, 0};
      fill(image->view(), clear, ctx.nthreads);
    } else {
      reader_->read_frame(by_name ? file_for_number(frame) : frame, image->view(), ctx.nthreads);
    }
    const auto size = par.common.eval(*this, std::make_pair(info.width, info.height));
    set_image(par.common.fit_to(*this, std::move(image), size, ctx.nthreads));
  }

 private:
  static std::int64_t clamp_index(double v, std::int64_t length) {
    return static_cast<std::int64_t>(std::clamp(v, 0.0, static_cast<double>(length - 1)));
  }

  // A movie's frame on screen at `t` seconds from its first frame: the last
  // one whose time is not after t (so uneven GIF delays are followed);
  // past the last frame's duration, counting on at the movie's rate so the
  // extend rules see where the position is.
  static std::int64_t frame_at_time(const FootageInfo& info, double t) {
    const auto& times = info.frame_seconds;
    const double at = t + info.time_tolerance + 1e-9;  // a time rounded half up still counts
    const double end = times.back() + 1.0 / info.fps;
    if (at >= end) return info.frames + static_cast<std::int64_t>(std::floor((at - end) * info.fps));
    if (at < times.front()) return -1 - static_cast<std::int64_t>(std::floor((times.front() - at) * info.fps));
    return static_cast<std::int64_t>(std::upper_bound(times.begin(), times.end(), at) - times.begin()) - 1;
  }

  // The sequence's file numbered `number`, or the one below it.
  std::int64_t file_for_number(std::int64_t number) const {
    const auto& numbers = reader_->info().file_numbers;
    auto it = std::upper_bound(numbers.begin(), numbers.end(), number);
    return it == numbers.begin() ? 0 : static_cast<std::int64_t>(it - numbers.begin()) - 1;
  }

  double step_sequential(const CookContext& ctx, double rate_ratio) {
    const MovieFileInParameters& par = pars();
    const double step = par.play.eval(*this) ? par.speed.eval(*this) * rate_ratio : 0.0;
    if (!started_ || ctx.frame <= 1 || ctx.frame < last_frame_) {
      // From timeline frame 1 (a first cook later assumes a constant speed).
      position_ = step * (ctx.frame - 1);
      started_ = true;
    } else {
      position_ += step * (ctx.frame - last_frame_);
    }
    last_frame_ = ctx.frame;
    return position_;
  }

  void open(const std::string& given) {
    std::string resolved = given;
    if (!given.empty() && given[0] != '/' && network().directory != ".")
      resolved = network().directory + "/" + given;
    if (reader_ && resolved == reader_path_) return;
    reader_.reset();
    reader_ = open_footage(resolved);
    reader_path_ = resolved;
  }

  std::unique_ptr<FootageReader> reader_;
  std::string reader_path_;
  bool started_ = false;
  double position_ = 0;
  double last_frame_ = 0;
};

}  // namespace

OperatorType moviefilein_top_type() {
  OperatorType t;
  t.name = "moviefileinTOP";
  t.family = Family::TOP;
  t.label = "Movie File In";
  t.summary =
      "Reads a frame of a movie (libavformat/libavcodec, frame-accurate: the N-th frame, never the nearest key "
      "frame) or of an image sequence (OpenImageIO), chosen from the timeline. YUV is converted to RGB with the "
      "file's own matrix and range; no transfer function is applied (values are the file's code values, 0..1). "
      "The output is the file's size.";
  t.set_parameters(pars());
  t.create = make_factory<MovieFileInTop>();
  return t;
}

}  // namespace netcook
