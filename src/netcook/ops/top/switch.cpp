// Switch TOP: passes one of its inputs through, chosen by index; with blend
// on, a fractional index mixes the two neighbouring inputs.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "netcook/core/registry.h"
#include "netcook/kernels/composite.h"
#include "netcook/ops/top/common.h"

namespace netcook {
namespace {

enum class IndexExtend { Clamp, Loop, ZigZag };

struct SwitchParameters : ParameterSet {
  FloatPar index = real("index", "Index", 0,
                        "Which input passes through, counted from 0 (fractions round down unless blend is on).");
  TogglePar blend = toggle("blend", "Blend between Inputs", false,
                           "A fractional index i + t mixes inputs i and i+1: out = in_i + (in_i+1 - in_i) t, "
                           "both fitted to the output size.");
  MenuPar<IndexExtend> extend = menu("extend", "Extend", extend_menu(), IndexExtend::Clamp,
                                     "An index outside 0..n-1: clamp to the ends, loop around (i mod n), or "
                                     "zigzag back and forth (0 1 2 1 0 1 ...).");
  top_common::CommonPage common = top_common::router_common(*this);

  static const MenuMapping<IndexExtend>& extend_menu() {
    static const MenuMapping<IndexExtend> menu{{IndexExtend::Clamp, "clamp", "Clamp"},
                                               {IndexExtend::Loop, "loop", "Loop"},
                                               {IndexExtend::ZigZag, "zigzag", "ZigZag"}};
    return menu;
  }
};

const SwitchParameters& pars() {
  static const SwitchParameters p{};
  return p;
}

// Index i (any integer) among n inputs by the extend rule.
std::size_t input_at(std::int64_t i, std::int64_t n, IndexExtend extend) {
  switch (extend) {
    case IndexExtend::Clamp: return static_cast<std::size_t>(std::clamp<std::int64_t>(i, 0, n - 1));
    case IndexExtend::Loop: return static_cast<std::size_t>(((i % n) + n) % n);
    case IndexExtend::ZigZag: {
      if (n == 1) return 0;
      const std::int64_t period = 2 * (n - 1);
      const std::int64_t m = ((i % period) + period) % period;
      return static_cast<std::size_t>(m < n ? m : period - m);
    }
  }
  return 0;
}

class SwitchTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  bool owns_output() const override {
    return pars().blend.planned(*this) ||
           pars().common.outputresolution.planned(*this) != top_common::OutputResolution::UseInput;
  }
  std::pair<int, int> planned_size(std::pair<int, int> input) const override {
    return pars().common.planned(*this, input);
  }
  void cook(const CookContext& ctx) override {
    const SwitchParameters& par = pars();
    const auto n = static_cast<std::int64_t>(inputs().size());
    const double index = par.index.eval(*this);
    if (!std::isfinite(index)) throw std::runtime_error("index is not a finite number");
    const double lower = std::floor(std::clamp(index, -1e15, 1e15));
    const IndexExtend extend = par.extend.eval(*this);
    const std::size_t i0 = input_at(static_cast<std::int64_t>(lower), n, extend);
    const auto* first = static_cast<const TopOperator*>(input(i0));
    const auto size = par.common.eval(*this, std::make_pair(first->width(), first->height()));
    const float t = static_cast<float>(index - lower);
    if (!par.blend.eval(*this) || t == 0.0f) {
      if (size == std::make_pair(first->width(), first->height())) {
        pass_through(*first);
        return;
      }
      set_image(par.common.fitted_input(*this, i0, size, ctx.nthreads));
      return;
    }
    const std::size_t i1 = input_at(static_cast<std::int64_t>(lower) + 1, n, extend);
    const auto a = par.common.fitted_input(*this, i0, size, ctx.nthreads);
    const auto b = par.common.fitted_input(*this, i1, size, ctx.nthreads);
    auto out = Image::create(size.first, size.second);
    mix(a->view(), b->view(), out->view(), t, ctx.nthreads);
    set_image(std::move(out));
  }
};

}  // namespace

OperatorType switch_top_type() {
  OperatorType t;
  t.name = "switchTOP";
  t.family = Family::TOP;
  t.label = "Switch";
  t.summary =
      "Passes input `index` (from 0) through unchanged, its size through the Common page (useinput = "
      "the chosen input's). `extend` maps an index outside the inputs (clamp, loop, zigzag). With "
      "`blend`, a fractional index i + t mixes inputs i and i+1 linearly (both fitted to input i's "
      "size).";
  t.min_inputs = 1;
  t.max_inputs = 9999;
  t.set_parameters(pars());
  t.create = make_factory<SwitchTop>();
  return t;
}

}  // namespace netcook
