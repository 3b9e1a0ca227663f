// Session: several in one process, frame sinks, snapshots, lifetime.
// Needs Python: the test binary embeds an interpreter (python_environment.h).
#include <gtest/gtest.h>

#include <cstring>

#include "netcook/python/script_context.h"
#include "netcook/session/session.h"
#include "netcook/python/bindings.h"
#include "python_environment.h"

// The test binary's own `td` (as the netcook executable's).
PYBIND11_EMBEDDED_MODULE(td, m) { netcook::py_bindings::init_td(m); }

namespace netcook {
namespace {

const char* kCounterScene = R"(netcook: 1
resolution: [16, 8]
frames: 1-5
ops:
  counter: {type: textDAT, text: "count = 0"}
  step:
    type: textDAT
    run: frame
    text: |
      m = mod.counter
      m.count += 1
      op('const1').par.colorr = m.count / 10
  const1: {type: constantTOP}
  lfo1: {type: lfoCHOP, par: {frequency: 0.3}}
  level1: {type: levelTOP, inputs: const1, par: {brightness1: {expr: "op('lfo1')['chan1']"}}}
outputs:
  - {op: level1, path: unused.####.exr}
)";

const char* kFeedbackScene = R"(netcook: 1
resolution: [8, 4]
frames: 1-12
ops:
  start: {type: constantTOP, par: {colorr: 1}}
  feedback1: {type: feedbackTOP, inputs: start, par: {top: level1}}
  level1: {type: levelTOP, inputs: feedback1, par: {contrast: 0.5}}
outputs:
  - {op: level1, path: unused.####.exr}
)";

std::vector<RenderedFrame> render_to_memory(Session& s, FrameRange range) {
  MemorySink memory;
  RenderRequest request;
  request.frames = range;
  request.sinks = {&memory};
  const RenderResult result = s.render(request);
  EXPECT_TRUE(result.ok()) << (result.failure ? result.failure->message : "stopped");
  return memory.frames;
}

bool same_pixels(const Image& a, const Image& b) {
  if (a.width() != b.width() || a.height() != b.height()) return false;
  for (int y = 0; y < a.height(); ++y)
    if (std::memcmp(a.view().row(y), b.view().row(y), sizeof(float) * 4 * a.width()) != 0) return false;
  return true;
}

TEST(Session, TwoSessionsInterleavedEqualEachAlone) {
  PythonEnvironment::require();
  auto alone_a = Session::from_string(kCounterScene, "a.yaml");
  auto alone_b = Session::from_string(kFeedbackScene, "b.yaml");
  const auto frames_a = render_to_memory(*alone_a, FrameRange{1, 5, 1});
  const auto frames_b = render_to_memory(*alone_b, FrameRange{1, 5, 1});
  alone_a.reset();
  alone_b.reset();
  auto a = Session::from_string(kCounterScene, "a.yaml");
  auto b = Session::from_string(kFeedbackScene, "b.yaml");
  for (int f = 1; f <= 5; ++f) {
    const auto got_a = render_to_memory(*a, FrameRange{f, f, 1});
    const auto got_b = render_to_memory(*b, FrameRange{f, f, 1});
    ASSERT_EQ(got_a.size(), 1u);
    ASSERT_EQ(got_b.size(), 1u);
    EXPECT_TRUE(same_pixels(*got_a[0].images[0], *frames_a[f - 1].images[0])) << "frame " << f;
    EXPECT_TRUE(same_pixels(*got_b[0].images[0], *frames_b[f - 1].images[0])) << "frame " << f;
  }
}

TEST(Session, RecreatedSessionsKeepNoState) {
  PythonEnvironment::require();
  for (int i = 0; i < 100; ++i) {
    auto s = Session::from_string(kCounterScene, "a.yaml");
    const auto out = s->cook(1, {s->network().resolve("const1", *s->network().project())});
    ASSERT_EQ(out.size(), 1u);
    EXPECT_FLOAT_EQ(out[0].image->view().row(0)[0], 0.1f) << "session " << i;
  }
}

TEST(Session, SnapshotResumesWithTheSameBytes) {
  PythonEnvironment::require();
  auto through = Session::from_string(kFeedbackScene, "b.yaml");
  const auto expected = render_to_memory(*through, FrameRange{1, 12, 1});
  auto first = Session::from_string(kFeedbackScene, "b.yaml");
  render_to_memory(*first, FrameRange{1, 6, 1});
  const Snapshot snapshot = first->snapshot();
  first.reset();
  auto resumed = Session::from_string(kFeedbackScene, "b.yaml");
  resumed->restore(snapshot);
  EXPECT_EQ(resumed->frame(), 6);
  const auto rest = render_to_memory(*resumed, FrameRange{7, 12, 1});
  ASSERT_EQ(rest.size(), 6u);
  for (std::size_t i = 0; i < rest.size(); ++i)
    EXPECT_TRUE(same_pixels(*rest[i].images[0], *expected[6 + i].images[0])) << "frame " << rest[i].frame;
}

TEST(Session, FailuresComeBackAsValues) {
  PythonEnvironment::require();
  auto s = Session::from_string(
      "netcook: 1\nframes: 1-3\nops:\n  s: {type: textDAT, run: frame, text: \"1/0\"}\n", "bad.yaml");
  MemorySink memory;
  RenderRequest request;
  request.sinks = {&memory};
  const RenderResult result = s->render(request);
  ASSERT_TRUE(result.failure);
  EXPECT_EQ(result.failure->kind, RenderFailure::Kind::Script);
  EXPECT_NE(result.failure->traceback.find("ZeroDivisionError"), std::string::npos);
  EXPECT_NE(result.failure->message.find("/project1/s"), std::string::npos);
  EXPECT_EQ(result.frames_rendered, 0);
}

TEST(Session, CancelStopsBetweenFrames) {
  PythonEnvironment::require();
  auto s = Session::from_string(kFeedbackScene, "b.yaml");
  std::atomic<bool> stop{false};
  CallbackSink after_three([&](const RenderedFrame& f) {
    if (f.frame == 3) stop = true;
  });
  RenderRequest request;
  request.sinks = {&after_three};
  request.cancel = &stop;
  const RenderResult result = s->render(request);
  EXPECT_EQ(result.stopped, StopReason::Cancelled);
  EXPECT_EQ(result.frames_rendered, 3);
}

}  // namespace
}  // namespace netcook
