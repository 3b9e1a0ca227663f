// Feedback TOP: the image its `top` parameter's TOP had at the end of the
// previous frame.
//
// `top` is a previous-frame reference, not a dependency of this frame, so
// a loop (feedback1 -> level1, feedback1.top = level1) is legal: the cooker
// never recurses through it. At the end of each frame the cooker cooks the
// target and remember_frame() keeps its image for the next frame. On the
// first frame after a reset, and while `reset` is on, the output is the
// input (the starting image). The kept image is state: reset at timeline
// frame 1, pre-rolled, saved in snapshots.
#include <cstring>

#include "netcook/core/network.h"
#include "netcook/core/registry.h"
#include "netcook/core/state.h"
#include "netcook/ops/top/common.h"

namespace netcook {
namespace {

struct FeedbackParameters : ParameterSet {
  OpRefPar top = op_ref("top", "Target TOP", "The TOP whose previous frame is output.").previous_frame();
  TogglePar reset = toggle("reset", "Reset", false, "While on, output the input (the starting image).");
  PulsePar resetpulse = pulse("resetpulse", "Reset Pulse",
                              "Once, on the cook after the pulse: output the input, forgetting the kept image.");
  top_common::CommonPage common = top_common::router_common(*this);
};

const FeedbackParameters& pars() {
  static const FeedbackParameters p{};
  return p;
}

class FeedbackTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  bool is_stateful() const override { return true; }
  void reset_state() override { previous_.reset(); }

  void save_state(StateWriter& w) const override {
    w.boolean(previous_ != nullptr);
    if (!previous_) return;
    w.i64(previous_->width());
    w.i64(previous_->height());
    std::vector<float> row(static_cast<std::size_t>(previous_->width()) * Image::kChannels);
    for (int y = 0; y < previous_->height(); ++y) {
      std::memcpy(row.data(), previous_->view().row(y), row.size() * sizeof(float));
      w.floats(row);
    }
  }
  void restore_state(StateReader& r) override {
    previous_.reset();
    if (!r.boolean()) return;
    const auto width = r.i64(), height = r.i64();
    if (width <= 0 || height <= 0 || width > 32768 || height > 32768)
      throw std::runtime_error(path() + ": bad image size in the snapshot");
    auto image = Image::create(static_cast<int>(width), static_cast<int>(height));
    for (int y = 0; y < image->height(); ++y) {
      const std::vector<float> row = r.floats();
      if (row.size() != static_cast<std::size_t>(width) * Image::kChannels)
        throw std::runtime_error(path() + ": bad image row in the snapshot");
      std::memcpy(image->view().row(y), row.data(), row.size() * sizeof(float));
    }
    previous_ = std::move(image);
  }

  std::pair<int, int> planned_size(std::pair<int, int> input) const override {
    return pars().common.planned(*this, input);
  }
  // The input's size sets the output's (Common page); the previous frame
  // is fitted to it when the target's size differs.
  void cook(const CookContext& ctx) override {
    const auto* in = static_cast<const TopOperator*>(input(0));
    const auto size = pars().common.eval(*this);
    const bool use_input = !previous_ || pars().reset.eval(*this) || pars().resetpulse.eval(*this);
    set_image(pars().common.fit_to(*this, use_input ? in->image() : previous_, size, ctx.nthreads));
  }

  void remember_frame() override {
    for (Operator* target : previous_frame_references())
      if (auto* top = dynamic_cast<TopOperator*>(target)) previous_ = top->image();
  }

 private:
  std::shared_ptr<const Image> previous_;  // the target's image at the end of the last frame
};

}  // namespace

OperatorType feedback_top_type() {
  OperatorType t;
  t.name = "feedbackTOP";
  t.family = Family::TOP;
  t.label = "Feedback";
  t.summary =
      "Outputs the image its Target TOP had at the end of the previous frame, so a network can "
      "read its own last result (trails, accumulation, reaction-diffusion). The input is the "
      "starting image: the output on the timeline's first frame, on the first frame after the "
      "target was missing, and while Reset is on. The loop through `top` is legal because it "
      "reads the previous frame; a render of frames 50-60 pre-rolls it and equals the same "
      "frames of a full render.";
  t.min_inputs = 1;
  t.max_inputs = 1;
  t.set_parameters(pars());
  t.create = make_factory<FeedbackTop>();
  return t;
}

}  // namespace netcook
