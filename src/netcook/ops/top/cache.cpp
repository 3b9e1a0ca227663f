// Cache TOP: keeps the last `cachesize` images of its input and outputs one
// of them; output index 0 is the newest, -1 the one before, ... (a delay
// line when Active stays on, a frozen loop once it is turned off).
//
// The cached images are state, like the Feedback TOP's kept frame: reset at
// timeline frame 1, stepped once per frame (the cooker cooks every stateful
// operator every frame, pre-roll included), saved in snapshots. So a render
// of frames 50-60 (or a --chunk) equals frames 50-60 of a full render.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>
#include <unordered_map>

#include "netcook/core/registry.h"
#include "netcook/core/state.h"
#include "netcook/kernels/composite.h"
#include "netcook/ops/top/common.h"

namespace netcook {
namespace {

constexpr std::int64_t kMaxCacheSize = 10000;

struct CacheParameters : ParameterSet {
  TogglePar active = toggle("active", "Active", true,
                            "While on, the input image of every frame (every Step Size-th) is added to the cache as "
                            "its newest image; the oldest beyond Cache Size is dropped.");
  PulsePar activepulse = pulse("activepulse", "Active Pulse",
                               "Captures the input once, on the cook after the pulse, even while Active is off "
                               "(par.activepulse.pulse() from a script, or an expression such as "
                               "me.time.frame == 30 to pulse on the frames it is true).");
  TogglePar cacheonce = toggle("cacheonce", "Get One Image on Startup", false,
                               "While the cache is empty, capture one image even when Active is off.");
  TogglePar replace = toggle("replace", "Replace Single", false,
                             "While on, the cached image at Replace Index is replaced by the input.");
  PulsePar replacespulse = pulse("replacespulse", "Replace Pulse",
                                 "Replaces the image at Replace Index once, on the cook after the pulse.");
  IntPar replaceindex = integer("replaceindex", "Replace Index", 0,
                                "The cached image Replace Single replaces, counted as Output Index: 0 the newest, "
                                "-1 the one before, ...; clamped to the images held.");
  IntPar cachesize = integer("cachesize", "Cache Size", 32,
                             "The most images kept. Each costs width x height x 16 bytes; the session's memory "
                             "estimate (--max-memory) counts them.")
                         .clamp(1, kMaxCacheSize);
  IntPar step = integer("step", "Step Size", 1,
                        "Capture every Step Size-th active frame (2: every second one), so the cache covers "
                        "Step Size times as long.")
                    .clamp(1, {});
  FloatPar outputindex = real("outputindex", "Output Index", 0,
                              "Which cached image is output: 0 the newest, -1 the one captured before it, ...; "
                              "clamped to the images held (positive values give the newest). Without Interpolate "
                              "a fractional index takes the newer of its two neighbours.");
  TogglePar interp = toggle("interp", "Interpolate Frames", false,
                            "A fractional Output Index mixes its two neighbouring images: -1.25 is 75% of image "
                            "-1 and 25% of image -2.");
  TogglePar reset = toggle("reset", "Reset", false,
                           "While on, the cache is emptied and held empty; the output is the input.");
  PulsePar resetpulse = pulse("resetpulse", "Reset Pulse",
                              "Empties the cache once, on the cook after the pulse; capturing goes on from there.");
  top_common::CommonPage common = top_common::router_common(*this);
};

const CacheParameters& pars() {
  static const CacheParameters p{};
  return p;
}

void write_image(StateWriter& w, const Image& image) {
  w.i64(image.width());
  w.i64(image.height());
  std::vector<float> row(static_cast<std::size_t>(image.width()) * Image::kChannels);
  for (int y = 0; y < image.height(); ++y) {
    std::memcpy(row.data(), image.view().row(y), row.size() * sizeof(float));
    w.floats(row);
  }
}

std::shared_ptr<const Image> read_image(StateReader& r, const std::string& where) {
  const auto width = r.i64(), height = r.i64();
  if (width <= 0 || height <= 0 || width > 32768 || height > 32768)
    throw std::runtime_error(where + ": bad image size in the snapshot");
  auto image = Image::create(static_cast<int>(width), static_cast<int>(height));
  for (int y = 0; y < image->height(); ++y) {
    const std::vector<float> row = r.floats();
    if (row.size() != static_cast<std::size_t>(width) * Image::kChannels)
      throw std::runtime_error(where + ": bad image row in the snapshot");
    std::memcpy(image->view().row(y), row.data(), row.size() * sizeof(float));
  }
  return image;
}

class CacheTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  bool is_stateful() const override { return true; }
  void reset_state() override {
    cache_.clear();
    captures_ = 0;
  }

  void save_state(StateWriter& w) const override {
    w.i64(captures_);
    w.u64(cache_.size());
    // An image cached on several frames (an input that did not change) is
    // written once and referred to after that.
    std::unordered_map<const Image*, std::size_t> first_slot;
    for (std::size_t i = 0; i < cache_.size(); ++i) {
      const std::size_t first = first_slot.emplace(cache_[i].get(), i).first->second;
      w.u64(first);
      if (first == i) write_image(w, *cache_[i]);
    }
  }
  void restore_state(StateReader& r) override {
    cache_.clear();
    captures_ = r.i64();
    const std::uint64_t n = r.u64();
    if (n > static_cast<std::uint64_t>(kMaxCacheSize)) throw std::runtime_error(path() + ": bad cache size in the snapshot");
    for (std::uint64_t i = 0; i < n; ++i) {
      const std::uint64_t first = r.u64();
      if (first > i) throw std::runtime_error(path() + ": bad image reference in the snapshot");
      cache_.push_back(first == i ? read_image(r, path()) : cache_[first]);
    }
  }

  std::pair<int, int> planned_size(std::pair<int, int> input) const override {
    return pars().common.planned(*this, input);
  }
  std::uint64_t planned_kept_images() const override {
    return static_cast<std::uint64_t>(std::clamp<std::int64_t>(pars().cachesize.planned(*this), 1, kMaxCacheSize));
  }

  void cook(const CookContext& ctx) override {
    const CacheParameters& p = pars();
    const auto* in = static_cast<const TopOperator*>(input(0));
    const std::shared_ptr<const Image>& image = in->image();
    const auto size = p.common.eval(*this);

    if (p.reset.eval(*this)) {
      reset_state();
      set_image(p.common.fit_to(*this, image, size, ctx.nthreads));
      return;
    }
    if (p.resetpulse.eval(*this)) reset_state();

    const auto capacity = static_cast<std::size_t>(p.cachesize.eval(*this));
    const bool capture = p.active.eval(*this) || p.activepulse.eval(*this) || (p.cacheonce.eval(*this) && cache_.empty());
    if (capture) {
      if (captures_ % p.step.eval(*this) == 0) cache_.push_front(image);
      ++captures_;
    }
    while (cache_.size() > capacity) cache_.pop_back();
    if ((p.replace.eval(*this) || p.replacespulse.eval(*this)) && !cache_.empty())
      cache_[slot(static_cast<double>(p.replaceindex.eval(*this)))] = image;

    if (cache_.empty()) {  // nothing captured yet: the input, as while Reset is on
      set_image(p.common.fit_to(*this, image, size, ctx.nthreads));
      return;
    }
    // Position back in time: 0 = newest, cache_.size() - 1 = oldest.
    const double back = std::clamp(-p.outputindex.eval(*this), 0.0, static_cast<double>(cache_.size() - 1));
    const std::size_t newer = static_cast<std::size_t>(std::floor(back));
    const double t = back - static_cast<double>(newer);
    if (!p.interp.eval(*this) || t <= 0 || newer + 1 >= cache_.size()) {
      set_image(p.common.fit_to(*this, cache_[newer], size, ctx.nthreads));
      return;
    }
    const auto a = p.common.fit_to(*this, cache_[newer], size, ctx.nthreads);
    const auto b = p.common.fit_to(*this, cache_[newer + 1], size, ctx.nthreads);
    auto out = Image::create(size.first, size.second);
    mix(a->view(), b->view(), out->view(), static_cast<float>(t), ctx.nthreads);
    set_image(std::move(out));
  }

 private:
  // The cache slot of an index counted as Output Index (0, -1, ...).
  std::size_t slot(double index) const {
    const double back = std::clamp(-index, 0.0, static_cast<double>(cache_.size() - 1));
    return static_cast<std::size_t>(std::floor(back));
  }

  std::deque<std::shared_ptr<const Image>> cache_;  // newest first
  std::int64_t captures_ = 0;                       // capturing frames since the reset, for Step Size
};

}  // namespace

OperatorType cache_top_type() {
  OperatorType t;
  t.name = "cacheTOP";
  t.family = Family::TOP;
  t.label = "Cache";
  t.summary =
      "Keeps the last Cache Size images of its input and outputs one: Output Index 0 is the newest, "
      "-1 the frame captured before it, and so on (a delay when Active stays on; turn Active off to "
      "freeze the cache and loop through it by animating Output Index). Replace Single overwrites one "
      "cached image, Reset empties the cache. Before anything is cached the output is the input. The "
      "cache is state: reset at timeline frame 1 and pre-rolled, so frames 50-60 rendered alone equal "
      "frames 50-60 of a full render; the memory estimate counts Cache Size images.";
  t.min_inputs = 1;
  t.max_inputs = 1;
  t.set_parameters(pars());
  t.create = make_factory<CacheTop>();
  return t;
}

}  // namespace netcook
