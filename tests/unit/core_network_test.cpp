// Core: parameters, path resolution and cached, pull-based cooking.
#include <gtest/gtest.h>

#include "netcook/core/cooker.h"
#include "netcook/core/network.h"
#include "netcook/core/registry.h"

namespace netcook {
namespace {

struct SmallNetwork {
  Network net;
  CompOperator* project;
  TopOperator* noise;
  TopOperator* blur;
  TopOperator* null;
  CompOperator* container;
  SmallNetwork() {
    project = static_cast<CompOperator*>(&net.create("containerCOMP", "project1", net.root()));
    net.set_project(project);
    noise = static_cast<TopOperator*>(&net.create("noiseTOP", "noise1", *project));
    blur = static_cast<TopOperator*>(&net.create("blurTOP", "blur1", *project));
    null = static_cast<TopOperator*>(&net.create("nullTOP", "null1", *project));
    container = static_cast<CompOperator*>(&net.create("containerCOMP", "container1", *project));
    net.create("constantTOP", "const1", *container);
    blur->set_inputs({noise});
    null->set_inputs({blur});
    noise->par("resolutionw").set_constant(std::int64_t{32});
    noise->par("resolutionh").set_constant(std::int64_t{16});
  }
};

TEST(Network, PathsResolveLikeTouchDesignerOp) {
  SmallNetwork s;
  EXPECT_EQ(s.noise->path(), "/project1/noise1");
  EXPECT_EQ(s.net.resolve("blur1", *s.project), s.blur);
  EXPECT_EQ(s.net.resolve("/project1/blur1", *s.container), s.blur);
  EXPECT_EQ(s.net.resolve("../blur1", *s.container), s.blur);
  EXPECT_EQ(s.net.resolve("container1/const1", *s.project)->path(), "/project1/container1/const1");
  EXPECT_EQ(s.net.resolve("..", *s.project), &s.net.root());
  EXPECT_EQ(s.net.resolve("/", *s.project), &s.net.root());
  EXPECT_EQ(s.net.resolve("nosuch", *s.project), nullptr);
  EXPECT_EQ(s.net.resolve("../../..", *s.project), nullptr);
  EXPECT_EQ(s.net.resolve("blur1/x", *s.project), nullptr);  // a TOP has no children
  EXPECT_EQ(s.net.find_by_id(s.blur->id()), s.blur);
}

TEST(Parameters, AliasesMenusAndModes) {
  SmallNetwork s;
  Parameter& filter = s.blur->par("filtertype");  // the tutorial's spelling
  EXPECT_EQ(filter.name(), "filter");
  filter.set_constant(std::string("gauss"));
  EXPECT_EQ(std::get<std::string>(filter.eval()), "gaussian");
  filter.set_constant(std::int64_t{1});  // menus take indices too
  EXPECT_EQ(std::get<std::string>(filter.eval()), "box");
  EXPECT_THROW(filter.set_constant(std::string("gaussain")), std::invalid_argument);
  try {
    filter.set_constant(std::string("gaussain"));
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'gaussian'"), std::string::npos) << e.what();
  }
  Parameter& size = s.blur->par("size");
  EXPECT_THROW(size.set_constant(std::string("big")), std::invalid_argument);
  size.set_constant(-5.0);  // clamped to the declared range
  EXPECT_EQ(std::get<double>(size.eval()), 0.0);
  size.reset();
  EXPECT_EQ(std::get<double>(size.eval()), 10.0);
  Parameter& harmon = s.noise->par("harmonics");
  harmon.set_constant(2.6);  // ints round
  EXPECT_EQ(std::get<std::int64_t>(harmon.eval()), 3);
  EXPECT_EQ(s.noise->find_parameter("nosuch"), nullptr);
}

TEST(Parameters, PulsesLastUntilTheOwnerCooksValuePulsesRestore) {
  SmallNetwork s;
  Cooker cooker(s.net, 1);
  auto& cache = static_cast<TopOperator&>(s.net.create("cacheTOP", "cache1", *s.project));
  cache.set_inputs({s.noise});
  Parameter& reset = cache.par("resetpulse");
  EXPECT_EQ(as_double(reset.eval()), 0.0);
  reset.pulse();
  EXPECT_EQ(as_double(reset.eval()), 1.0);  // armed: read as 1 by anyone before the cook
  EXPECT_EQ(as_double(reset.eval()), 1.0);
  EXPECT_EQ(reset.pulse_count(), 1u);
  cooker.cook(cache);
  EXPECT_EQ(as_double(reset.eval()), 0.0);  // the cook used it
  reset.set_constant(true);                  // a non-zero value pulses
  EXPECT_TRUE(reset.pulse_armed());
  EXPECT_EQ(as_double(reset.constant()), 0.0);  // and is not kept
  EXPECT_EQ(reset.pulse_count(), 2u);
  EXPECT_THROW(s.blur->par("size").pulse(), std::invalid_argument);  // a value is needed there

  // A value pulse: held for the next cook, then the constant comes back.
  Parameter& size = s.blur->par("size");
  size.set_constant(3.0);
  size.pulse_value(7.0, 0);
  EXPECT_EQ(as_double(size.eval()), 7.0);
  cooker.cook(*s.null);
  EXPECT_EQ(as_double(size.eval()), 3.0);
  EXPECT_EQ(s.net.pending_value_pulses, 0);
  // For frames: restored at the end of the last one, whatever cooks.
  s.net.absolute_frame = 10;
  size.pulse_value(5.0, 2);
  cooker.cook(*s.null);
  s.net.end_frame_pulses();
  EXPECT_EQ(as_double(size.eval()), 5.0);  // frame 10 ended, frame 11 still to come
  s.net.absolute_frame = 11;
  s.net.end_frame_pulses();
  EXPECT_EQ(as_double(size.eval()), 3.0);
  EXPECT_THROW(size.pulse_value(std::string("big"), 0), std::invalid_argument);
  EXPECT_EQ(as_double(size.eval()), 3.0);  // nothing changed
}

TEST(Cooker, UnchangedNetworkCooksOnce) {
  SmallNetwork s;
  Cooker cooker(s.net, 1);
  for (int f = 1; f <= 5; ++f) {
    s.net.set_frame(f);
    cooker.cook(*s.null);
  }
  EXPECT_EQ(s.noise->cook_state().total_cooks, 1);
  EXPECT_EQ(s.blur->cook_state().total_cooks, 1);
  EXPECT_EQ(s.null->cook_state().total_cooks, 1);
  ASSERT_TRUE(s.null->image());
  EXPECT_EQ(s.null->image().get(), s.blur->image().get());  // null shares its input's buffer
  EXPECT_EQ(s.null->width(), 32);
  EXPECT_EQ(s.null->height(), 16);
}

TEST(Cooker, ChangedParameterRecooksOnlyDownstream) {
  SmallNetwork s;
  Cooker cooker(s.net, 1);
  s.net.set_frame(1);
  cooker.cook(*s.null);
  s.net.set_frame(2);
  s.blur->par("size").set_constant(3.0);
  cooker.cook(*s.null);
  EXPECT_EQ(s.noise->cook_state().total_cooks, 1);
  EXPECT_EQ(s.blur->cook_state().total_cooks, 2);
  EXPECT_EQ(s.null->cook_state().total_cooks, 2);
  // Setting the same value again is not a change.
  s.net.set_frame(3);
  s.blur->par("size").set_constant(3.0);
  cooker.cook(*s.null);
  EXPECT_EQ(s.blur->cook_state().total_cooks, 2);
}

TEST(Cooker, UpstreamChangePropagates) {
  SmallNetwork s;
  Cooker cooker(s.net, 1);
  s.net.set_frame(1);
  cooker.cook(*s.null);
  auto first = s.null->image();
  s.net.set_frame(2);
  s.noise->par("tz").set_constant(0.5);
  cooker.cook(*s.null);
  EXPECT_EQ(s.noise->cook_state().total_cooks, 2);
  EXPECT_EQ(s.null->cook_state().total_cooks, 2);
  EXPECT_NE(s.null->image().get(), first.get());
}

TEST(Errors, SuggestionsForNearNames) {
  EXPECT_EQ(did_you_mean("siz", {"size", "filter", "extend"}), "; did you mean 'size'?");
  EXPECT_EQ(did_you_mean("noiseTop", Registry::instance().names()), "; did you mean 'noiseTOP'?");
  EXPECT_EQ(did_you_mean("zzzzzz", {"size"}), "");
  Diagnostic d;
  d.where.file = "scene.yaml";
  d.where.line = 3;
  d.where.column = 7;
  d.message = "bad thing";
  EXPECT_EQ(d.format(), "scene.yaml:3:7: error: bad thing");
}

TEST(Registry, EveryTypeIsComplete) {
  for (const OperatorType* t : Registry::instance().types()) {
    EXPECT_FALSE(t->summary.empty()) << t->name;
    EXPECT_TRUE(t->create) << t->name;
    for (const auto& p : t->parameters) {
      EXPECT_FALSE(p.help.empty()) << t->name << "." << p.name;
      std::string error;
      EXPECT_TRUE(convert_to_type(p, p.default_value, &error)) << t->name << "." << p.name << ": " << error;
    }
  }
}

}  // namespace
}  // namespace netcook
