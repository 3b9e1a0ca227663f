// Audio File In CHOP: a sound file, locked to the timeline.
//
// The whole file is decoded into memory when the scene loads (or when
// `file` or `rate` change), resampled to `rate` (io/audio_reader.h). At
// frame N the CHOP holds the time slice of frame N at that rate
// (core/channels.h frame_slice): sample k of the output line is sample
// k + tstart of the file, so frame N sees the same samples whatever range
// is rendered, and the CHOP carries no state from frame to frame.
#include <cmath>
#include <memory>
#include <stdexcept>

#include "netcook/core/errors.h"
#include "netcook/core/hash.h"
#include "netcook/core/network.h"
#include "netcook/core/registry.h"
#include "netcook/io/audio_reader.h"

namespace netcook {
namespace {

struct AudioFileInParameters : ParameterSet {
  StringPar file = text("file", "File", "",
                        "The sound to read: any file libav reads with an audio stream (.wav .flac .mp3 .ogg "
                        ".m4a, a movie's sound); relative paths are read from the scene file's folder. Decoded "
                        "whole when the scene loads; a missing or unreadable file is a scene error.");
  FloatPar volume = real("volume", "Volume", 1, "Gain applied to every sample (1 = as in the file).");
  FloatPar rate = real("rate", "Sample Rate", 0,
                       "Samples per second of the output (a whole number); the file is resampled to it with "
                       "libswresample. 0: the file's own rate.")
                      .clamp(0, 384000);
  TogglePar trim = toggle("trim", "Trim", false, "Play only tstart..tend (seconds of the file).");
  FloatPar tstart = real("tstart", "Trim Start", 0,
                         "When trim is on: the file time (seconds) heard at timeline frame 1.")
                        .clamp(0, std::nullopt);
  FloatPar tend = real("tend", "Trim End", 0,
                       "When trim is on: the file time (seconds) where the sound stops (silence after it); "
                       "0 or less: the end of the file.");
  TogglePar cue = toggle("cue", "Cue", false,
                         "While on, every frame plays the frame-long stretch of the file starting at cuepoint "
                         "(TouchDesigner's cue holds the play head there).");
  FloatPar cuepoint = real("cuepoint", "Cue Point", 0, "Where cue holds the play head, in seconds of the file.")
                          .clamp(0, std::nullopt);
};

const AudioFileInParameters& pars() {
  static const AudioFileInParameters p{};
  return p;
}

class AudioFileInChop : public ChopOperator {
 public:
  using ChopOperator::ChopOperator;
  bool depends_on_time() const override { return true; }

  std::optional<FileProblem> open_files() override {
    const Parameter& file = pars().file.parameter(*this);
    if (file.mode() != ParameterMode::Constant || pars().rate.parameter(*this).mode() != ParameterMode::Constant)
      return std::nullopt;  // known only when cooking
    const std::string given = pars().file.planned(*this);
    if (given.empty()) return FileProblem{"file", path() + ": no file given (set par: {file: PATH})"};
    try {
      load(given, pars().rate.eval(*this));
    } catch (const IoError& e) {
      return FileProblem{"file", e.what()};
    }
    return std::nullopt;
  }

  void hash_extra(Hasher& h) const override { h.add(loaded_path_); }

  void cook(const CookContext& ctx) override {
    const AudioFileInParameters& par = pars();
    const std::string given = par.file.eval(*this);
    if (given.empty()) throw CookError(path() + ": no file given (par file)");
    load(given, par.rate.eval(*this));

    const double rate = audio_.rate;
    const SampleSlice slice = frame_slice(ctx.frame, ctx.rate, rate);
    const auto length = static_cast<std::int64_t>(audio_.frames());
    std::int64_t offset = 0, stop = length;  // file samples heard: [offset, stop)
    if (par.trim.eval(*this)) {
      offset = static_cast<std::int64_t>(std::llround(par.tstart.eval(*this) * rate));
      const double tend = par.tend.eval(*this);
      if (tend > 0) stop = std::min(length, static_cast<std::int64_t>(std::llround(tend * rate)));
    }
    std::int64_t first = slice.first + offset;
    if (par.cue.eval(*this)) first = static_cast<std::int64_t>(std::llround(par.cuepoint.eval(*this) * rate));
    const float volume = static_cast<float>(par.volume.eval(*this));

    auto out = std::make_shared<ChannelSet>();
    out->rate = rate;
    out->start = static_cast<double>(slice.first);
    for (std::size_t c = 0; c < audio_.channels.size(); ++c) {
      Channel ch{"chan" + std::to_string(c + 1), std::vector<float>(static_cast<std::size_t>(slice.count), 0.0f)};
      const std::vector<float>& src = audio_.channels[c];
      for (std::int64_t i = 0; i < slice.count; ++i) {
        const std::int64_t at = first + i;
        if (at >= 0 && at < stop) ch.samples[static_cast<std::size_t>(i)] = src[static_cast<std::size_t>(at)] * volume;
      }
      out->channels.push_back(std::move(ch));
    }
    set_channels(std::move(out));
  }

 private:
  void load(const std::string& given, double rate) {
    std::string resolved = given;
    if (!given.empty() && given[0] != '/' && network().directory != ".") resolved = network().directory + "/" + given;
    if (loaded_ && resolved == loaded_path_ && rate == loaded_rate_) return;
    if (rate > 0 && std::floor(rate) != rate)
      throw IoError("cannot read " + resolved + ": rate must be a whole number of samples per second, not " +
                    std::to_string(rate));
    audio_ = read_audio_file(resolved, rate);
    loaded_ = true;
    loaded_path_ = resolved;
    loaded_rate_ = rate;
  }

  DecodedAudio audio_;
  bool loaded_ = false;
  std::string loaded_path_;
  double loaded_rate_ = 0;
};

}  // namespace

OperatorType audiofilein_chop_type() {
  OperatorType t;
  t.name = "audiofileinCHOP";
  t.family = Family::CHOP;
  t.label = "Audio File In";
  t.summary =
      "A sound file locked to the timeline: the whole file is decoded at load (any format libav reads) and "
      "resampled to `rate` (0: the file's rate). At frame N the CHOP holds the samples of the time slice "
      "[(N - 1) / fps, N / fps): indices floor((N - 1) * rate / fps) .. floor(N * rate / fps) - 1, sample k "
      "being file sample k (+ tstart * rate with trim); silence outside the file. One channel per file "
      "channel: chan1, chan2, ...";
  t.min_inputs = 0;
  t.max_inputs = 0;
  t.set_parameters(pars());
  t.create = make_factory<AudioFileInChop>();
  return t;
}

}  // namespace netcook
