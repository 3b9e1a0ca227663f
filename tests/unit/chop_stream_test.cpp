// The stream CHOPs' shared limit function and their state: saving after
// frame N and restoring gives the frames after N an uninterrupted run
// gives; a truncated record throws.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "netcook/core/cooker.h"
#include "netcook/core/network.h"
#include "netcook/core/registry.h"
#include "netcook/core/state.h"
#include "netcook/ops/chop/stream_support.h"

namespace netcook {
namespace {

TEST(StreamLimit, ClampLoopZigzag) {
  EXPECT_EQ(apply_limit(LimitType::Off, 7.5, 0, 1, 1), 7.5);
  EXPECT_EQ(apply_limit(LimitType::Clamp, 7.5, 0, 1, 1), 1);
  EXPECT_EQ(apply_limit(LimitType::Clamp, -2, 0, 1, 1), 0);
  EXPECT_DOUBLE_EQ(apply_limit(LimitType::Loop, 1.25, 0, 1, 1), 0.25);
  EXPECT_DOUBLE_EQ(apply_limit(LimitType::Loop, -0.25, 0, 1, 1), 0.75);
  // Counts loop over max - min + 1 values: 1 2 3 4 1 ...
  EXPECT_EQ(apply_limit(LimitType::Loop, 4, 1, 4, 4), 4);
  EXPECT_EQ(apply_limit(LimitType::Loop, 5, 1, 4, 4), 1);
  EXPECT_DOUBLE_EQ(apply_limit(LimitType::Zigzag, 1.25, 0, 1, 1), 0.75);
  EXPECT_DOUBLE_EQ(apply_limit(LimitType::Zigzag, 2.25, 0, 1, 1), 0.25);
  EXPECT_DOUBLE_EQ(apply_limit(LimitType::Zigzag, -0.25, 0, 1, 1), 0.25);
  EXPECT_EQ(apply_limit(LimitType::Loop, 3, 2, 2, 0), 2);  // empty range: the minimum
}

class ChopStreamState : public ::testing::TestWithParam<const char*> {
 protected:
  ChopStreamState() {
    project = static_cast<CompOperator*>(&net.create("containerCOMP", "project1", net.root()));
    net.set_project(project);
    net.fps = 60;
    input = &static_cast<ChopOperator&>(net.create("constantCHOP", "sig", *project));
    op = &static_cast<ChopOperator&>(net.create(GetParam(), "op1", *project));
    op->set_inputs({input});
  }
  std::vector<float> cook(int frame) {
    // A wiggle with jumps, a pure function of the frame.
    input->par("const0value").set_constant(std::sin(frame * 0.3) + (frame % 11 < 4 ? 1.0 : 0.0));
    net.set_frame(frame);
    cooker.cook(*op);
    return op->channels()->channels.at(0).samples;
  }
  Network net;
  CompOperator* project = nullptr;
  ChopOperator* input = nullptr;
  ChopOperator* op = nullptr;
  Cooker cooker{net};
};

TEST_P(ChopStreamState, RestoredStateResumesExactly) {
  ASSERT_TRUE(op->is_stateful());
  for (int f = 1; f <= 25; ++f) cook(f);
  StateWriter w;
  op->save_state(w);
  const std::string saved = w.take();
  std::vector<std::vector<float>> expected;
  for (int f = 26; f <= 60; ++f) expected.push_back(cook(f));

  op->reset_state();
  cook(1);  // something else in between
  StateReader r(saved);
  op->restore_state(r);
  EXPECT_TRUE(r.at_end());
  for (int f = 26; f <= 60; ++f) EXPECT_EQ(cook(f), expected[f - 26]) << GetParam() << " frame " << f;

  const std::string cut = saved.substr(0, saved.size() - 1);  // the reader keeps a reference
  StateReader truncated(cut);
  EXPECT_THROW(op->restore_state(truncated), std::runtime_error);
  if (std::string(GetParam()) == "lfoCHOP") return;  // its record holds no counts
  std::string garbage = saved;  // a huge count where the channel count is
  for (std::size_t i = 9; i < 17 && i < garbage.size(); ++i) garbage[i] = '\x7f';
  StateReader bad(garbage);
  EXPECT_THROW(op->restore_state(bad), std::runtime_error);
}

INSTANTIATE_TEST_SUITE_P(StreamChops, ChopStreamState,
                         ::testing::Values("filterCHOP", "lagCHOP", "speedCHOP", "triggerCHOP", "countCHOP",
                                           "trailCHOP", "lfoCHOP"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace netcook
