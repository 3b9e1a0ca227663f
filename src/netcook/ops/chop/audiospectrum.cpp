// Audio Spectrum CHOP: the magnitude spectrum of the last `fftsize`
// samples of its input, at every frame.
//
// The window ends with the input's last sample at this frame (the end of
// an audio CHOP's frame slice). The CHOP keeps the last `fftsize` samples
// of every input channel from frame to frame (stateful: reset at timeline
// frame 1, pre-rolled, in snapshots), so the window may span many frames'
// slices; samples before the input started are 0. The FFT is FFTW's
// (libfftw3, double precision, FFTW_ESTIMATE plans: the same plan, hence the
// same bytes, on every run).
#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>

#include <fftw3.h>

#include "netcook/core/registry.h"
#include "netcook/core/state.h"

namespace netcook {
namespace {

enum class Window { Hann, Hamming, Blackman, Rectangular };

constexpr double kPi = 3.14159265358979323846;

struct AudioSpectrumParameters : ParameterSet {
  IntPar fftsize = integer("fftsize", "FFT Size", 1024,
                           "Samples in the analysis window, ending at the input's last sample of this frame "
                           "(any size; powers of two are fastest). The frequency resolution is input rate / "
                           "fftsize.")
                       .clamp(16, 65536);
  MenuPar<Window> window = menu("window", "Window", window_menu(), Window::Hann,
                                "Window function applied before the FFT: hann 0.5 - 0.5 cos(2 pi n / N); "
                                "hamming 0.54 - 0.46 cos(2 pi n / N); blackman 0.42 - 0.5 cos(2 pi n / N) + "
                                "0.08 cos(4 pi n / N); rectangular 1.");
  IntPar bands = integer("bands", "Bands", 0,
                         "0: one output sample per FFT bin, 0 .. fftsize / 2 (bin k is frequency k * rate / "
                         "fftsize). N > 0: N bands spaced logarithmically from lowfreq to half the input rate; a "
                         "band's value is the mean magnitude of the bins inside it (the nearest bin when none is).")
                     .clamp(0, 4096);
  FloatPar lowfreq = real("lowfreq", "Low Frequency", 20, "Lower edge of the first band (Hz), with bands > 0.")
                         .clamp(0.001, std::nullopt);

  static const MenuMapping<Window>& window_menu() {
    static const MenuMapping<Window> menu{{Window::Hann, "hann", "Hann"},
                                          {Window::Hamming, "hamming", "Hamming"},
                                          {Window::Blackman, "blackman", "Blackman"},
                                          {Window::Rectangular, "rectangular", "Rectangular"}};
    return menu;
  }
};

const AudioSpectrumParameters& pars() {
  static const AudioSpectrumParameters p{};
  return p;
}

double window_at(Window w, std::size_t n, std::size_t size) {
  const double x = 2 * kPi * static_cast<double>(n) / static_cast<double>(size);
  switch (w) {
    case Window::Hann: return 0.5 - 0.5 * std::cos(x);
    case Window::Hamming: return 0.54 - 0.46 * std::cos(x);
    case Window::Blackman: return 0.42 - 0.5 * std::cos(x) + 0.08 * std::cos(2 * x);
    case Window::Rectangular: return 1;
  }
  return 1;
}

// FFTW's planner is not thread-safe (fftw_execute is).
std::mutex& planner_mutex() {
  static std::mutex m;
  return m;
}

// One real-to-complex transform of a fixed size, with its buffers.
class Fft {
 public:
  explicit Fft(std::size_t size) : size_(size) {
    std::lock_guard<std::mutex> lock(planner_mutex());
    in_ = fftw_alloc_real(size);
    out_ = fftw_alloc_complex(size / 2 + 1);
    if (!in_ || !out_) throw std::bad_alloc();
    plan_ = fftw_plan_dft_r2c_1d(static_cast<int>(size), in_, out_, FFTW_ESTIMATE);
    if (!plan_) throw std::runtime_error("FFTW could not plan a transform of size " + std::to_string(size));
  }
  ~Fft() {
    std::lock_guard<std::mutex> lock(planner_mutex());
    fftw_destroy_plan(plan_);
    fftw_free(in_);
    fftw_free(out_);
  }
  Fft(const Fft&) = delete;
  Fft& operator=(const Fft&) = delete;
  std::size_t size() const { return size_; }
  double* input() { return in_; }
  const fftw_complex* run() {
    fftw_execute(plan_);
    return out_;
  }

 private:
  std::size_t size_;
  double* in_ = nullptr;
  fftw_complex* out_ = nullptr;
  fftw_plan plan_ = nullptr;
};

class AudioSpectrumChop : public ChopOperator {
 public:
  using ChopOperator::ChopOperator;
  bool is_stateful() const override { return true; }
  void reset_state() override {
    history_.clear();
    next_index_ = 0;
    input_rate_ = 0;
  }
  void save_state(StateWriter& w) const override {
    w.f64(next_index_);
    w.f64(input_rate_);
    w.u64(history_.size());
    for (const auto& h : history_) w.floats(h);
  }
  void restore_state(StateReader& r) override {
    next_index_ = r.f64();
    input_rate_ = r.f64();
    history_.resize(r.u64());
    for (auto& h : history_) h = r.floats();
  }

  void cook(const CookContext& ctx) override {
    const AudioSpectrumParameters& par = pars();
    const auto size = static_cast<std::size_t>(par.fftsize.eval(*this));
    const ChannelSet* in = input_channels(0);
    remember(in, size);

    if (!fft_ || fft_->size() != size) fft_ = std::make_unique<Fft>(size);
    const Window window = par.window.eval(*this);
    if (window_.size() != size || window_kind_ != window) {
      window_.resize(size);
      window_sum_ = 0;
      for (std::size_t n = 0; n < size; ++n) window_sum_ += window_[n] = window_at(window, n, size);
      window_kind_ = window;
    }
    const std::size_t bins = size / 2 + 1;
    const double rate = input_rate_ > 0 ? input_rate_ : ctx.rate;
    const auto bands = static_cast<std::size_t>(par.bands.eval(*this));
    const double low = par.lowfreq.eval(*this);

    auto out = std::make_shared<ChannelSet>();
    // Bins: sample index / rate is the frequency in Hz. Bands: one per index.
    out->rate = bands == 0 ? static_cast<double>(size) / rate : 1;
    out->start = 0;
    std::vector<double> magnitude(bins);
    for (std::size_t c = 0; c < history_.size(); ++c) {
      const std::vector<float>& h = history_[c];
      double* x = fft_->input();
      for (std::size_t n = 0; n < size; ++n) x[n] = static_cast<double>(h[n]) * window_[n];
      const fftw_complex* X = fft_->run();
      // Scaled so a sine of amplitude A centred on a bin reads A.
      for (std::size_t k = 0; k < bins; ++k) {
        const double scale = (k == 0 || 2 * k == size ? 1.0 : 2.0) / window_sum_;
        magnitude[k] = std::hypot(X[k][0], X[k][1]) * scale;
      }
      Channel ch{in && c < in->channels.size() ? in->channels[c].name : "chan" + std::to_string(c + 1), {}};
      if (bands == 0) {
        ch.samples.assign(magnitude.begin(), magnitude.end());
      } else {
        ch.samples.resize(bands);
        const double nyquist = rate / 2, bin_hz = rate / static_cast<double>(size);
        const double ratio = nyquist > low ? nyquist / low : 1;
        for (std::size_t b = 0; b < bands; ++b) {
          const double lo = low * std::pow(ratio, static_cast<double>(b) / bands);
          const double hi = low * std::pow(ratio, static_cast<double>(b + 1) / bands);
          const auto k0 = static_cast<std::size_t>(std::ceil(lo / bin_hz - 1e-9));
          double sum = 0;
          std::size_t count = 0;
          for (std::size_t k = k0; k < bins && static_cast<double>(k) * bin_hz < hi; ++k, ++count) sum += magnitude[k];
          if (count == 0) {
            const auto nearest = std::min(bins - 1, static_cast<std::size_t>(std::lround(std::sqrt(lo * hi) / bin_hz)));
            sum = magnitude[nearest];
            count = 1;
          }
          ch.samples[b] = static_cast<float>(sum / static_cast<double>(count));
        }
      }
      out->channels.push_back(std::move(ch));
    }
    set_channels(std::move(out));
  }

 private:
  // Appends this frame's input samples to the per-channel history of the
  // last `size` samples. A jump in the input's sample line (a new rate, a
  // trimmed or cued file) starts the history afresh.
  void remember(const ChannelSet* in, std::size_t size) {
    if (!in) {
      history_.clear();
      return;
    }
    const bool continuous = in->rate == input_rate_ && in->start == next_index_ &&
                            history_.size() == in->channels.size();
    if (!continuous) history_.assign(in->channels.size(), std::vector<float>(size, 0.0f));
    for (std::size_t c = 0; c < in->channels.size(); ++c) {
      std::vector<float>& h = history_[c];
      if (h.size() != size) {
        // fftsize changed: keep the most recent samples.
        std::vector<float> resized(size, 0.0f);
        const std::size_t keep = std::min(size, h.size());
        std::copy(h.end() - static_cast<std::ptrdiff_t>(keep), h.end(), resized.end() - static_cast<std::ptrdiff_t>(keep));
        h.swap(resized);
      }
      const std::vector<float>& s = in->channels[c].samples;
      if (s.size() >= size) {
        std::copy(s.end() - static_cast<std::ptrdiff_t>(size), s.end(), h.begin());
      } else {
        std::move(h.begin() + static_cast<std::ptrdiff_t>(s.size()), h.end(), h.begin());
        std::copy(s.begin(), s.end(), h.end() - static_cast<std::ptrdiff_t>(s.size()));
      }
    }
    input_rate_ = in->rate;
    next_index_ = in->start + in->num_samples();
  }

  std::vector<std::vector<float>> history_;
  double next_index_ = 0;
  double input_rate_ = 0;
  std::unique_ptr<Fft> fft_;
  std::vector<double> window_;
  double window_sum_ = 1;
  Window window_kind_ = Window::Hann;
};

}  // namespace

OperatorType audiospectrum_chop_type() {
  OperatorType t;
  t.name = "audiospectrumCHOP";
  t.family = Family::CHOP;
  t.label = "Audio Spectrum";
  t.summary =
      "Magnitude spectrum of the last fftsize samples of each input channel, ending at the input's last "
      "sample of this frame, windowed (hann, hamming, blackman, rectangular) and transformed with FFTW. "
      "Magnitudes are scaled so a sine of amplitude A on a bin reads A: |X_k| * 2 / sum(window) (DC and "
      "Nyquist without the 2). Output per input channel: fftsize / 2 + 1 samples, bin k = frequency "
      "k * rate / fftsize (the output's rate is fftsize / input rate, so index / rate is the frequency), or "
      "`bands` log-spaced band means from lowfreq to Nyquist. Keeps the input's recent samples from frame to "
      "frame (pre-rolled for ranges starting later).";
  t.min_inputs = 1;
  t.max_inputs = 1;
  t.set_parameters(pars());
  t.create = make_factory<AudioSpectrumChop>();
  return t;
}

}  // namespace netcook
