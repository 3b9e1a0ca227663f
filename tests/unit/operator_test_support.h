// What operator-level tests share: a small network built in code (no YAML),
// parameters set by name the way a scene or --set sets them (converted and
// clamped), cooking through the Cooker at a frame, and the output read back.
//
//   OperatorTestNetwork n;
//   TopOperator& src = n.source("src", 4, 3, [](int x, int y, int c) { return x + 10 * y + 0.1f * c; });
//   TopOperator& flip = n.top("flipTOP", "flip1", {&src});
//   n.set(flip, "flipx", true);
//   const Image& out = n.cook(flip, 1);
//   EXPECT_EQ(pixel(out, 0, 0)[0], 3.0f);
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "netcook/core/cooker.h"
#include "netcook/core/hash.h"
#include "netcook/core/network.h"
#include "netcook/core/registry.h"

namespace netcook::testing_support {

// A TOP whose image the test supplies: the known input transform and flip
// tests need (no registered operator makes a non-uniform image from data).
class SourceTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  // value(x, y, c) with (x, y) counted from the bottom-left, as in
  // TouchDesigner; stored top row first like every Image.
  void fill(int w, int h, const std::function<float(int, int, int)>& value) {
    auto image = Image::create(w, h);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x)
        for (int c = 0; c < Image::kChannels; ++c) image->view().row(h - 1 - y)[x * 4 + c] = value(x, y, c);
    next_ = std::move(image);
    ++version_;
  }
  void hash_extra(Hasher& h) const override { h.add(static_cast<std::uint64_t>(version_)); }
  void cook(const CookContext&) override { set_image(next_); }

 private:
  std::shared_ptr<const Image> next_;
  int version_ = 0;
};

inline const OperatorType& source_top_type() {
  static const OperatorType type = [] {
    OperatorType t;
    t.name = "testSourceTOP";  // not registered: only tests make it
    t.family = Family::TOP;
    t.create = make_factory<SourceTop>();
    return t;
  }();
  return type;
}

class OperatorTestNetwork {
 public:
  OperatorTestNetwork() {
    project_ = static_cast<CompOperator*>(&net.create("containerCOMP", "project1", net.root()));
    net.set_project(project_);
    net.fps = 60;
  }

  Operator& add(const std::string& type, const std::string& name, std::vector<Operator*> inputs = {}) {
    Operator& op = net.create(type, name, *project_);
    op.set_inputs(std::move(inputs));
    return op;
  }
  TopOperator& top(const std::string& type, const std::string& name, std::vector<Operator*> inputs = {}) {
    return static_cast<TopOperator&>(add(type, name, std::move(inputs)));
  }
  ChopOperator& chop(const std::string& type, const std::string& name, std::vector<Operator*> inputs = {}) {
    return static_cast<ChopOperator&>(add(type, name, std::move(inputs)));
  }
  // A w x h input holding value(x, y, c), (x, y) from the bottom-left.
  SourceTop& source(const std::string& name, int w, int h, const std::function<float(int, int, int)>& value) {
    const OperatorType& type = source_top_type();
    auto& op = static_cast<SourceTop&>(project_->add_child(type.create(type, name, project_, net)));
    op.fill(w, h, value);
    return op;
  }

  // Sets a parameter as the scene loader and --set do (Parameter::set_constant).
  void set(Operator& op, const std::string& par, const ParValue& value) { op.par(par).set_constant(value); }

  const Image& cook(TopOperator& op, double frame = 1) {
    net.set_frame(frame);
    cooker.cook(op);
    return *op.image();
  }
  const ChannelSet& cook(ChopOperator& op, double frame = 1) {
    net.set_frame(frame);
    cooker.cook(op);
    return *op.channels();
  }

  Network net;
  Cooker cooker{net, 1};

 private:
  CompOperator* project_ = nullptr;
};

// RGBA at (x, y) counted from the bottom-left (TouchDesigner's frame).
inline std::array<float, 4> pixel(const Image& image, int x, int y) {
  const float* p = image.view().row(image.height() - 1 - y) + 4 * x;
  return {p[0], p[1], p[2], p[3]};
}

}  // namespace netcook::testing_support
