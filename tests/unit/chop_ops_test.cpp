// Math, Constant, Null, Merge, Select, Timer and Noise CHOPs.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "netcook/core/cooker.h"
#include "netcook/core/errors.h"
#include "netcook/core/network.h"
#include "netcook/core/registry.h"

namespace netcook {
namespace {

constexpr double kPi = 3.14159265358979323846;

class ChopOpsTest : public ::testing::Test {
 protected:
  ChopOpsTest() {
    project = static_cast<CompOperator*>(&net.create("containerCOMP", "project1", net.root()));
    net.set_project(project);
    net.fps = 60;
  }
  ChopOperator& make(const std::string& type, const std::string& name, std::vector<Operator*> inputs = {}) {
    auto& op = static_cast<ChopOperator&>(net.create(type, name, *project));
    op.set_inputs(std::move(inputs));
    return op;
  }
  ChopOperator& constant(const std::string& name, std::vector<std::pair<std::string, double>> chans) {
    ChopOperator& op = make("constantCHOP", name);
    op.par("const0name").set_constant(std::string());
    for (std::size_t i = 0; i < chans.size(); ++i) {
      op.par("const" + std::to_string(i) + "name").set_constant(chans[i].first);
      op.par("const" + std::to_string(i) + "value").set_constant(chans[i].second);
    }
    return op;
  }
  const ChannelSet& cook(ChopOperator& op, double frame) {
    net.set_frame(frame);
    cooker.cook(op);
    return *op.channels();
  }
  static std::vector<std::string> names(const ChannelSet& c) {
    std::vector<std::string> out;
    for (const auto& ch : c.channels) out.push_back(ch.name);
    return out;
  }
  static float value(const ChannelSet& c, std::size_t i) { return c.channels.at(i).samples.at(0); }

  Network net;
  CompOperator* project = nullptr;
  Cooker cooker{net};
};

// ---- Math -------------------------------------------------------------

TEST_F(ChopOpsTest, MathMapsLfoFromMinusOneOneToZeroOne) {
  ChopOperator& lfo = make("lfoCHOP", "lfo1");
  lfo.par("frequency").set_constant(0.5);
  ChopOperator& math = make("mathCHOP", "math1", {&lfo});
  math.par("fromrange1").set_constant(-1.0);
  math.par("fromrange2").set_constant(1.0);
  EXPECT_EQ(math.par("fromrange1").spec().group, "fromrange");
  EXPECT_EQ(math.par("torange2").spec().group, "torange");
  for (int f = 1; f <= 200; ++f) {
    const ChannelSet& c = cook(math, f);
    const double t = (f - 1) / 60.0;
    ASSERT_EQ(names(c), std::vector<std::string>{"chan1"});
    EXPECT_NEAR(value(c, 0), (std::sin(2 * kPi * 0.5 * t) + 1) / 2, 1e-6) << "frame " << f;
    EXPECT_EQ(c.start, f - 1);
  }
}

TEST_F(ChopOpsTest, MathOrderOfOperations) {
  ChopOperator& k = constant("k", {{"a", 2}, {"b", -3}});
  ChopOperator& math = make("mathCHOP", "math1", {&k});
  math.par("preoff").set_constant(1.0);
  math.par("gain").set_constant(3.0);
  math.par("postoff").set_constant(0.5);
  // a: (2 + 1) * 3 + 0.5 = 9.5; b: (-3 + 1) * 3 + 0.5 = -5.5
  const ChannelSet& c = cook(math, 1);
  EXPECT_FLOAT_EQ(value(c, 0), 9.5f);
  EXPECT_FLOAT_EQ(value(c, 1), -5.5f);
  math.par("torange1").set_constant(10.0);
  math.par("torange2").set_constant(20.0);  // y = 10 + y * 10
  math.par("integer").set_constant(std::string("floor"));
  const ChannelSet& d = cook(math, 2);
  EXPECT_FLOAT_EQ(value(d, 0), 105.0f);
  EXPECT_FLOAT_EQ(value(d, 1), -45.0f);
  math.par("integer").set_constant(std::string("ceiling"));
  math.par("postoff").set_constant(0.55);
  EXPECT_FLOAT_EQ(value(cook(math, 3), 0), 106.0f);  // 10 + 9.55 * 10 = 105.5 -> 106
  math.par("integer").set_constant(std::string("round"));
  EXPECT_FLOAT_EQ(value(cook(math, 4), 0), 106.0f);
}

TEST_F(ChopOpsTest, MathCombinesInputsByIndex) {
  ChopOperator& a = constant("a", {{"x", 6}, {"y", 1}, {"z", 7}});
  ChopOperator& b = constant("b", {{"p", 2}, {"q", 0}});
  ChopOperator& math = make("mathCHOP", "math1", {&a, &b});
  auto run = [&](const char* op) {
    math.par("chopop").set_constant(std::string(op));
    net.set_frame(net.frame() + 1);
    cooker.cook(math);
    std::vector<float> v;
    for (const auto& ch : math.channels()->channels) v.push_back(ch.samples[0]);
    return v;
  };
  EXPECT_EQ(run("add"), (std::vector<float>{8, 1, 7}));
  EXPECT_EQ(run("sub"), (std::vector<float>{4, 1, 7}));
  EXPECT_EQ(run("mul"), (std::vector<float>{12, 0, 7}));
  EXPECT_EQ(run("div"), (std::vector<float>{3, 0, 7}));  // x / 0 = 0
  EXPECT_EQ(run("avg"), (std::vector<float>{4, 0.5f, 7}));
  EXPECT_EQ(run("min"), (std::vector<float>{2, 0, 7}));
  EXPECT_EQ(run("max"), (std::vector<float>{6, 1, 7}));
  EXPECT_EQ(names(*math.channels()), (std::vector<std::string>{"x", "y", "z"}));
  EXPECT_EQ(run("off"), (std::vector<float>{6, 1, 7, 2, 0}));  // every channel of every input
  EXPECT_EQ(names(*math.channels()), (std::vector<std::string>{"x", "y", "z", "p", "q"}));
}

// ---- Constant ---------------------------------------------------------

TEST_F(ChopOpsTest, ConstantDefaultsAndOldNames) {
  ChopOperator& k = make("constantCHOP", "constant1");
  const ChannelSet& c = cook(k, 1);
  EXPECT_EQ(names(c), std::vector<std::string>{"chan1"});
  EXPECT_EQ(value(c, 0), 0.0f);
  EXPECT_EQ(c.start, 0);
  // The older spellings address the same parameters.
  EXPECT_EQ(k.find_parameter("name0"), k.find_parameter("const0name"));
  EXPECT_EQ(k.find_parameter("value9"), k.find_parameter("const9value"));
  k.find_parameter("name0")->set_constant(std::string("index"));
  k.find_parameter("value0")->set_constant(3.5);
  k.find_parameter("name2")->set_constant(std::string("speed"));
  k.par("const2value").set_constant(-1.0);
  const ChannelSet& d = cook(k, 2);
  EXPECT_EQ(names(d), (std::vector<std::string>{"index", "speed"}));
  EXPECT_EQ(value(d, 0), 3.5f);
  EXPECT_EQ(value(d, 1), -1.0f);
}

TEST_F(ChopOpsTest, ConstantCooksOncePerSequence) {
  ChopOperator& k = make("constantCHOP", "constant1");
  for (int f = 1; f <= 10; ++f) cook(k, f);
  EXPECT_EQ(k.cook_state().total_cooks, 1);
}

// ---- Null -------------------------------------------------------------

TEST_F(ChopOpsTest, NullSharesChannelsAndHash) {
  ChopOperator& lfo = make("lfoCHOP", "lfo1");
  ChopOperator& null = make("nullCHOP", "null1", {&lfo});
  cook(null, 5);
  EXPECT_EQ(null.channels().get(), lfo.channels().get());
  EXPECT_EQ(null.cook_state().output_hash, lfo.cook_state().output_hash);
}

// ---- Merge ------------------------------------------------------------

TEST_F(ChopOpsTest, MergeConcatenatesKeepingClashingNames) {
  ChopOperator& a = constant("a", {{"chan1", 1}, {"x", 2}});
  ChopOperator& b = constant("b", {{"chan1", 3}});
  ChopOperator& lfo = make("lfoCHOP", "lfo1");
  lfo.par("channelname").set_constant(std::string("wave"));
  ChopOperator& merge = make("mergeCHOP", "merge1", {&a, &b, &lfo});
  const ChannelSet& c = cook(merge, 1);
  EXPECT_EQ(names(c), (std::vector<std::string>{"chan1", "x", "chan1", "wave"}));
  EXPECT_EQ(value(c, 2), 3.0f);
  EXPECT_EQ(c.find("chan1"), &c.channels[0]);
}

// ---- Select -----------------------------------------------------------

TEST_F(ChopOpsTest, SelectPatternsKeepOrderAndRename) {
  ChopOperator& k = constant("k", {{"tx", 1}, {"ty", 2}, {"tz", 3}, {"rx", 4}, {"c2", 5}, {"c3", 6}});
  ChopOperator& sel = make("selectCHOP", "select1", {&k});
  EXPECT_EQ(names(cook(sel, 1)), (std::vector<std::string>{"tx", "ty", "tz", "rx", "c2", "c3"}));
  sel.par("channames").set_constant(std::string("c3 t[xz] c3 r?"));
  const ChannelSet& c = cook(sel, 2);
  EXPECT_EQ(names(c), (std::vector<std::string>{"c3", "tx", "tz", "c3", "rx"}));
  EXPECT_EQ(value(c, 2), 3.0f);
  sel.par("channames").set_constant(std::string("t* nosuch"));
  sel.par("renamefrom").set_constant(std::string("t* rx"));
  sel.par("renameto").set_constant(std::string("pos_* rot"));
  EXPECT_EQ(names(cook(sel, 3)), (std::vector<std::string>{"pos_x", "pos_y", "pos_z"}));
}

TEST_F(ChopOpsTest, SelectChopParameterIsADependency) {
  ChopOperator& k = constant("k", {{"a", 1}});
  ChopOperator& sel = make("selectCHOP", "select1");
  sel.par("chop").set_constant(std::string("k"));
  EXPECT_EQ(names(cook(sel, 1)), (std::vector<std::string>{"a"}));
  // A change in the referenced CHOP recooks the select, as a wire would.
  k.par("const0name").set_constant(std::string("b"));
  EXPECT_EQ(names(cook(sel, 2)), (std::vector<std::string>{"b"}));
  sel.par("chop").set_constant(std::string("nosuch"));
  try {
    cook(sel, 3);
    FAIL() << "expected a CookError";
  } catch (const CookError& e) {
    EXPECT_NE(std::string(e.what()).find("/project1/select1"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("chop 'nosuch' is not a CHOP"), std::string::npos) << e.what();
  }
}

// ---- Timer ------------------------------------------------------------

TEST_F(ChopOpsTest, TimerRunsOnceThenIsDone) {
  ChopOperator& timer = make("timerCHOP", "timer1");
  EXPECT_TRUE(timer.is_stateful());
  auto row = [&](int f) {
    const ChannelSet& c = cook(timer, f);
    EXPECT_EQ(names(c),
              (std::vector<std::string>{"timer_fraction", "timer_seconds", "timer_frames", "running", "done"}));
    return std::vector<float>{value(c, 0), value(c, 1), value(c, 2), value(c, 3), value(c, 4)};
  };
  EXPECT_EQ(row(1), (std::vector<float>{0, 0, 0, 1, 0}));
  for (int f = 2; f < 31; ++f) row(f);
  EXPECT_EQ(row(31), (std::vector<float>{0.5f, 0.5f, 30, 1, 0}));
  for (int f = 32; f < 61; ++f) row(f);
  EXPECT_EQ(row(61), (std::vector<float>{1, 1, 60, 0, 1}));
  EXPECT_EQ(row(62), (std::vector<float>{1, 1, 60, 0, 1}));
}

TEST_F(ChopOpsTest, TimerCyclesSpeedAndPause) {
  ChopOperator& timer = make("timerCHOP", "timer1");
  timer.par("cycle").set_constant(true);
  timer.par("length").set_constant(0.5);  // 30 frames
  timer.par("speed").set_constant(2.0);
  float frac = 0;
  for (int f = 1; f <= 16; ++f) frac = value(cook(timer, f), 0);
  EXPECT_FLOAT_EQ(frac, 0.0f);  // 15 frames at speed 2 = 30: wraps to 0
  EXPECT_FLOAT_EQ(value(cook(timer, 17), 0), 2.0f / 30.0f);
  EXPECT_EQ(value(cook(timer, 18), 4), 0.0f);  // never done while cycling
  timer.par("play").set_constant(false);
  const ChannelSet& held = cook(timer, 19);
  EXPECT_FLOAT_EQ(value(held, 2), 4.0f);
  EXPECT_EQ(value(held, 3), 0.0f);  // not running
}

// ---- Noise ------------------------------------------------------------

TEST_F(ChopOpsTest, NoiseIsSmoothBoundedAndAFunctionOfTheFrame) {
  ChopOperator& n = make("noiseCHOP", "noise1");
  n.par("harmon").set_constant(std::int64_t{3});
  EXPECT_TRUE(n.depends_on_time());
  std::vector<float> v;
  for (int f = 1; f <= 600; ++f) v.push_back(value(cook(n, f), 0));
  float lo = 1e9f, hi = -1e9f, max_step = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    lo = std::min(lo, v[i]);
    hi = std::max(hi, v[i]);
    if (i) max_step = std::max(max_step, std::abs(v[i] - v[i - 1]));
  }
  EXPECT_GE(lo, -1.0f);
  EXPECT_LE(hi, 1.0f);
  EXPECT_GT(hi - lo, 0.3f);                   // it moves
  EXPECT_LT(max_step, 0.25f);                 // and smoothly (period 1 s = 60 frames)
  EXPECT_EQ(value(cook(n, 250), 0), v[249]);  // revisiting a frame gives the same value
  ChopOperator& other = make("noiseCHOP", "noise2");
  other.par("harmon").set_constant(std::int64_t{3});
  EXPECT_NE(value(cook(other, 250), 0), v[249]);  // the path is part of the seed
}

}  // namespace
}  // namespace netcook
