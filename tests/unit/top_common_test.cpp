// The TOP Common page (ops/top/common.h): every TOP has it, the output size
// rules, input fitting, npasses and the aspect.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "netcook/ops/top/common.h"
#include "operator_test_support.h"

namespace netcook {
namespace {

using testing_support::OperatorTestNetwork;
using testing_support::pixel;
using top_common::OutputResolution;

const std::vector<std::string> kCommonPage = {"outputresolution", "resolutionw",     "resolutionh", "outputaspect",
                                              "aspect1",          "aspect2",         "inputfiltertype",
                                              "fillmode"};

TEST(TopCommonPage, EveryTopHasItWithTheSameMenus) {
  int tops = 0;
  for (const OperatorType* type : Registry::instance().types()) {
    if (type->family != Family::TOP) continue;
    ++tops;
    for (const std::string& name : kCommonPage) {
      const ParameterSpec* spec = type->find_parameter(name);
      ASSERT_NE(spec, nullptr) << type->name << " lacks " << name;
    }
    EXPECT_EQ(type->find_parameter("outputresolution")->menu_names(),
              (std::vector<std::string>{"useinput", "eighth", "quarter", "half", "2x", "4x", "8x", "fit", "limit",
                                        "custom"}))
        << type->name;
    EXPECT_EQ(type->find_parameter("fillmode")->menu_names(),
              (std::vector<std::string>{"useinput", "fill", "width", "height", "best", "outside", "nativeres"}))
        << type->name;
    EXPECT_EQ(type->find_parameter("inputfiltertype")->menu_names(),
              (std::vector<std::string>{"nearest", "linear", "mipmap"}))
        << type->name;
    // Filters (exactly one input, an image in and an image out) repeat with
    // npasses; Null, Feedback, Cache and Resolution hand their input on (resized).
    if (type->min_inputs == 1 && type->max_inputs == 1 && type->name != "nullTOP" && type->name != "feedbackTOP" &&
        type->name != "cacheTOP" && type->name != "resolutionTOP") {
      EXPECT_NE(type->find_parameter("npasses"), nullptr) << type->name;
    }
  }
  EXPECT_GE(tops, 9);
}

TEST(TopCommonPage, OutputSizeRules) {
  const std::pair<int, int> in{640, 360}, box{100, 100};
  using top_common::output_size;
  EXPECT_EQ(output_size(OutputResolution::UseInput, in, box), in);
  EXPECT_EQ(output_size(OutputResolution::Eighth, in, box), std::make_pair(80, 45));
  EXPECT_EQ(output_size(OutputResolution::Quarter, in, box), std::make_pair(160, 90));
  EXPECT_EQ(output_size(OutputResolution::Half, in, box), std::make_pair(320, 180));
  EXPECT_EQ(output_size(OutputResolution::Twice, in, box), std::make_pair(1280, 720));
  EXPECT_EQ(output_size(OutputResolution::FourTimes, in, box), std::make_pair(2560, 1440));
  EXPECT_EQ(output_size(OutputResolution::EightTimes, in, box), std::make_pair(5120, 2880));
  EXPECT_EQ(output_size(OutputResolution::Fit, in, box), std::make_pair(100, 56));  // 56.25 rounds to 56
  EXPECT_EQ(output_size(OutputResolution::Fit, {10, 20}, box), std::make_pair(50, 100));  // fit grows too
  EXPECT_EQ(output_size(OutputResolution::Limit, in, box), std::make_pair(100, 56));
  EXPECT_EQ(output_size(OutputResolution::Limit, {10, 20}, box), std::make_pair(10, 20));  // limit never grows
  EXPECT_EQ(output_size(OutputResolution::Custom, in, box), box);
  EXPECT_EQ(output_size(OutputResolution::Eighth, {3, 5}, box), std::make_pair(1, 1));  // at least 1
}

float coordinate_value(int x, int y, int c) {
  if (c == 0) return static_cast<float>(x);
  if (c == 1) return static_cast<float>(y);
  return c == 2 ? 100.0f : 1.0f;
}

TEST(TopCommonPage, FilterOutputFollowsOutputResolution) {
  OperatorTestNetwork n;
  auto& src = n.source("src", 8, 4, coordinate_value);
  TopOperator& level = n.top("levelTOP", "level1", {&src});
  n.set(level, "outputresolution", std::string("half"));
  n.set(level, "inputfiltertype", std::string("nearest"));
  const Image& out = n.cook(level);
  ASSERT_EQ(out.width(), 4);
  ASSERT_EQ(out.height(), 2);
  // Nearest at half size: output pixel x samples source 2x + 1 (its centre
  // 2x + 1 lies on the border, floor takes the right one).
  EXPECT_EQ(pixel(out, 0, 0), (std::array<float, 4>{1, 1, 100, 1}));
  EXPECT_EQ(pixel(out, 3, 1), (std::array<float, 4>{7, 3, 100, 1}));
  // Linear at half size: the average of the 2x2 block.
  n.set(level, "inputfiltertype", std::string("linear"));
  EXPECT_EQ(pixel(n.cook(level, 2), 1, 0), (std::array<float, 4>{2.5f, 0.5f, 100, 1}));
  // The memory estimate agrees with the cooked size.
  EXPECT_EQ(level.planned_size({8, 4}), std::make_pair(4, 2));
}

TEST(TopCommonPage, FillModesPlaceTheInput) {
  OperatorTestNetwork n;
  auto& src = n.source("src", 4, 2, coordinate_value);
  TopOperator& null = n.top("nullTOP", "null1", {&src});
  n.set(null, "outputresolution", std::string("custom"));
  n.set(null, "resolutionw", std::int64_t{4});
  n.set(null, "resolutionh", std::int64_t{4});
  n.set(null, "inputfiltertype", std::string("nearest"));
  n.set(null, "fillmode", std::string("best"));  // 4x2 into 4x4: rows 1..2, transparent above and below
  const Image& best = n.cook(null);
  ASSERT_EQ(best.width(), 4);
  EXPECT_EQ(pixel(best, 2, 0), (std::array<float, 4>{0, 0, 0, 0}));
  EXPECT_EQ(pixel(best, 2, 1), (std::array<float, 4>{2, 0, 100, 1}));
  EXPECT_EQ(pixel(best, 2, 2), (std::array<float, 4>{2, 1, 100, 1}));
  EXPECT_EQ(pixel(best, 2, 3), (std::array<float, 4>{0, 0, 0, 0}));
  n.set(null, "fillmode", std::string("fill"));  // stretched: each source row twice
  const Image& fill = n.cook(null, 2);
  EXPECT_EQ(pixel(fill, 3, 0), (std::array<float, 4>{3, 0, 100, 1}));
  EXPECT_EQ(pixel(fill, 3, 3), (std::array<float, 4>{3, 1, 100, 1}));
  n.set(null, "fillmode", std::string("outside"));  // scaled by 2: the middle 2x2 source pixels cover it
  const Image& outside = n.cook(null, 3);
  EXPECT_EQ(pixel(outside, 0, 0), (std::array<float, 4>{1, 0, 100, 1}));
  EXPECT_EQ(pixel(outside, 3, 3), (std::array<float, 4>{2, 1, 100, 1}));
  n.set(null, "fillmode", std::string("nativeres"));  // 1:1, centred
  const Image& native = n.cook(null, 4);
  EXPECT_EQ(pixel(native, 0, 1), (std::array<float, 4>{0, 0, 100, 1}));
  EXPECT_EQ(pixel(native, 3, 2), (std::array<float, 4>{3, 1, 100, 1}));
  EXPECT_EQ(pixel(native, 3, 3), (std::array<float, 4>{0, 0, 0, 0}));
}

TEST(TopCommonPage, NullHandsItsInputOnAtItsSize) {
  OperatorTestNetwork n;
  auto& src = n.source("src", 4, 2, coordinate_value);
  TopOperator& null = n.top("nullTOP", "null1", {&src});
  n.cook(null);
  EXPECT_EQ(null.image().get(), src.image().get());
  EXPECT_FALSE(null.owns_output());
  n.set(null, "outputresolution", std::string("2x"));
  EXPECT_TRUE(null.owns_output());
  EXPECT_EQ(n.cook(null, 2).width(), 8);
}

TEST(TopCommonPage, PassesRepeatTheOperation) {
  OperatorTestNetwork n;
  auto& src = n.source("src", 3, 2, [](int, int, int) { return 1.0f; });
  TopOperator& level = n.top("levelTOP", "level1", {&src});
  n.set(level, "opacity", 0.5);
  n.set(level, "npasses", std::int64_t{3});
  EXPECT_EQ(pixel(n.cook(level), 1, 1), (std::array<float, 4>{0.125f, 0.125f, 0.125f, 0.125f}));
  TopOperator& flip = n.top("flipTOP", "flip1", {&src});
  n.set(flip, "flop", true);
  n.set(flip, "npasses", std::int64_t{2});  // two flops: back to 3 x 2
  EXPECT_EQ(n.cook(flip).width(), 3);
  EXPECT_EQ(flip.planned_size({3, 2}), std::make_pair(3, 2));
}

TEST(TopCommonPage, GeneratorsReadTheirResolutionAsTheInput) {
  OperatorTestNetwork n;
  TopOperator& c = n.top("constantTOP", "constant1");
  n.set(c, "resolutionw", std::int64_t{40});
  n.set(c, "resolutionh", std::int64_t{30});
  EXPECT_EQ(n.cook(c).width(), 40);
  n.set(c, "outputresolution", std::string("half"));
  const Image& half = n.cook(c, 2);
  EXPECT_EQ(half.width(), 20);
  EXPECT_EQ(half.height(), 15);
  EXPECT_EQ(c.planned_size({0, 0}), std::make_pair(20, 15));
}

TEST(TopCommonPage, Aspect) {
  // A page of its own, on a test type, so its handles can be called directly.
  struct Pars : ParameterSet {
    top_common::CommonPage page = top_common::generator_resolution(*this);
  };
  static const Pars pars;
  static const OperatorType t = [] {
    OperatorType o;
    o.name = "testAspectTOP";
    o.family = Family::TOP;
    o.set_parameters(pars);
    o.create = make_factory<testing_support::SourceTop>();
    return o;
  }();
  OperatorTestNetwork n;
  Operator& op = n.net.root().add_child(t.create(t, "aspect1", &n.net.root(), n.net));
  op.par("resolutionw").set_constant(std::int64_t{40});
  op.par("resolutionh").set_constant(std::int64_t{20});
  EXPECT_DOUBLE_EQ(pars.page.aspect(op, {10, 10}, 0.0), 2.0);  // useinput without input: the resolution
  EXPECT_DOUBLE_EQ(pars.page.aspect(op, {10, 10}, 1.5), 1.5);  // useinput: the input's
  op.par("outputaspect").set_constant(std::string("resolution"));
  EXPECT_DOUBLE_EQ(pars.page.aspect(op, {30, 10}, 1.5), 3.0);
  op.par("outputaspect").set_constant(std::string("custom"));
  EXPECT_DOUBLE_EQ(pars.page.aspect(op, {30, 10}, 1.5), 16.0 / 9.0);
}

}  // namespace
}  // namespace netcook
