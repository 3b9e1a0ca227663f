// LFO CHOP: the phase accumulator, each wave type's range, pre-roll.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "netcook/core/cooker.h"
#include "netcook/core/network.h"
#include "netcook/core/registry.h"

namespace netcook {
namespace {

constexpr double kPi = 3.14159265358979323846;

class LfoTest : public ::testing::Test {
 protected:
  LfoTest() {
    project = static_cast<CompOperator*>(&net.create("containerCOMP", "project1", net.root()));
    net.set_project(project);
    net.fps = 60;
  }
  ChopOperator& lfo(const std::string& name = "lfo1") {
    return static_cast<ChopOperator&>(net.create("lfoCHOP", name, *project));
  }
  // The LFO's one sample at `frame`.
  double at(ChopOperator& op, double frame) {
    net.set_frame(frame);
    cooker.cook(op);
    const ChannelSet& c = *op.channels();
    EXPECT_EQ(c.channels.size(), 1u);
    EXPECT_EQ(c.num_samples(), 1);
    EXPECT_EQ(c.start, frame - 1);
    EXPECT_EQ(c.rate, 60);
    return c.channels[0].samples[0];
  }

  Network net;
  CompOperator* project = nullptr;
  Cooker cooker{net};
};

TEST_F(LfoTest, SineIsExactFormulaEveryFrame) {
  ChopOperator& op = lfo();
  op.par("frequency").set_constant(0.5);
  EXPECT_EQ(op.channels(), nullptr);
  for (int f = 1; f <= 200; ++f) {
    const double t = (f - 1) / 60.0;
    EXPECT_NEAR(at(op, f), std::sin(2 * kPi * 0.5 * t), 1e-6) << "frame " << f;
  }
  EXPECT_EQ(op.channels()->channels[0].name, "chan1");
}

TEST_F(LfoTest, OffsetAmpPhaseAndFrameOneIsOffsetPlusPhase) {
  ChopOperator& op = lfo();
  op.par("frequency").set_constant(1.5);
  op.par("amp").set_constant(2.0);
  op.par("offset").set_constant(0.25);
  EXPECT_FLOAT_EQ(at(op, 1), 0.25f);  // phase 0: the offset
  op.par("phase").set_constant(0.1);
  for (int f = 2; f <= 150; ++f) {
    const double t = (f - 1) / 60.0;
    EXPECT_NEAR(at(op, f), 0.25 + 2 * std::sin(2 * kPi * (1.5 * t + 0.1)), 2e-6) << "frame " << f;
  }
}

TEST_F(LfoTest, ChannelName) {
  ChopOperator& op = lfo();
  op.par("channelname").set_constant(std::string("wobble"));
  at(op, 1);
  EXPECT_EQ(op.channels()->channels[0].name, "wobble");
}

TEST_F(LfoTest, FrequencyChangesAccumulatePhase) {
  ChopOperator& op = lfo();
  op.par("frequency").set_constant(1.0);
  for (int f = 1; f <= 30; ++f) at(op, f);
  op.par("frequency").set_constant(2.0);
  double v = 0;
  for (int f = 31; f <= 40; ++f) v = at(op, f);
  // phi(30) = 29/60; ten more frames at 2 Hz add 20/60.
  EXPECT_NEAR(v, std::sin(2 * kPi * 49.0 / 60.0), 1e-6);
}

TEST_F(LfoTest, StepsOncePerFrameAndResets) {
  ChopOperator& op = lfo();
  op.par("frequency").set_constant(1.0);
  at(op, 1);
  const double a = at(op, 2);
  cooker.cook(op);  // same frame: no second step
  EXPECT_FLOAT_EQ(op.channels()->channels[0].samples[0], static_cast<float>(a));
  for (int f = 3; f <= 10; ++f) at(op, f);
  cooker.reset_state();
  EXPECT_FLOAT_EQ(at(op, 1), 0.0f);
  EXPECT_NEAR(at(op, 2), a, 1e-7);
}

TEST_F(LfoTest, PreRolledMatchesFullRunAndFirstCookLaterAssumesConstantFrequency) {
  ChopOperator& full = lfo("full");
  ChopOperator& late = lfo("late");
  full.par("frequency").set_constant(0.7);
  late.par("frequency").set_constant(0.7);
  double expected = 0;
  for (int f = 1; f <= 100; ++f) {
    net.set_frame(f);
    cooker.cook(full);
    expected = full.channels()->channels[0].samples[0];
  }
  EXPECT_NEAR(at(late, 100), expected, 1e-6);
}

TEST_F(LfoTest, WaveTypeRanges) {
  struct Case {
    const char* wave;
    double lo, hi;
  };
  const Case cases[] = {{"sin", -1, 1}, {"normal", 0, 1},  {"tri", -1, 1},
                        {"ramp", 0, 1}, {"square", -1, 1}, {"pulse", 0, 1}};
  for (const Case& c : cases) {
    Network n2;
    auto& proj = static_cast<CompOperator&>(n2.create("containerCOMP", "project1", n2.root()));
    n2.set_project(&proj);
    auto& op = static_cast<ChopOperator&>(n2.create("lfoCHOP", "lfo1", proj));
    op.par("wavetype").set_constant(std::string(c.wave));
    op.par("frequency").set_constant(1.0);
    Cooker ck(n2);
    double lo = 1e9, hi = -1e9;
    for (int f = 1; f <= 240; ++f) {
      n2.set_frame(f);
      ck.cook(op);
      const double v = op.channels()->channels[0].samples[0];
      lo = std::min(lo, v);
      hi = std::max(hi, v);
      const std::string wave = c.wave;
      if (wave == "square") {
        EXPECT_TRUE(v == 1 || v == -1) << v;
      } else if (wave == "pulse") {
        EXPECT_EQ(v, (f - 1) % 60 == 0 ? 1.0 : 0.0) << "frame " << f;
      } else if (wave == "ramp") {
        EXPECT_NEAR(v, ((f - 1) % 60) / 60.0, 1e-6) << "frame " << f;
      }
    }
    EXPECT_GE(lo, c.lo - 1e-6) << c.wave;
    EXPECT_LE(hi, c.hi + 1e-6) << c.wave;
    EXPECT_NEAR(lo, c.lo, 0.02) << c.wave;  // the range is reached
    EXPECT_NEAR(hi, c.hi, 0.02) << c.wave;
  }
}

TEST_F(LfoTest, BiasMovesTrianglePeakAndSquareWidth) {
  ChopOperator& tri = lfo("tri");
  tri.par("wavetype").set_constant(std::string("tri"));
  tri.par("bias").set_constant(0.5);  // peak at u = 0.75
  ChopOperator& sq = lfo("sq");
  sq.par("wavetype").set_constant(std::string("square"));
  sq.par("bias").set_constant(-0.5);  // +1 while u < 0.25
  int high = 0;
  for (int f = 1; f <= 60; ++f) {
    const double u = (f - 1) / 60.0;
    EXPECT_NEAR(at(tri, f), u < 0.75 ? -1 + 2 * u / 0.75 : 1 - 2 * (u - 0.75) / 0.25, 1e-6) << f;
    high += at(sq, f) > 0;
  }
  EXPECT_EQ(high, 15);
}

}  // namespace
}  // namespace netcook
