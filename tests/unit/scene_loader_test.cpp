// The scene loader: good scenes build the right network; bad ones report
// every mistake at the right line and column.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "netcook/core/parameter.h"
#include "netcook/core/registry.h"
#include "netcook/scene/scene.h"

namespace netcook {
namespace {

const std::string kDataDir = [] {
  std::string f = __FILE__;
  return f.substr(0, f.rfind("/unit/")) + "/data";
}();

class FakeExpression : public Expression {
 public:
  explicit FakeExpression(std::string s) : source_(std::move(s)) {}
  const std::string& source() const override { return source_; }

 private:
  std::string source_;
};

// Accepts any source but one containing "SYNTAX" or ending in a binary
// operator (as the corpus's `me.time.seconds *`); remembers where each
// expression was said to start.
class FakeEngine : public ExpressionEngine {
 public:
  std::shared_ptr<Expression> compile(const std::string& source, const SourceLocation& where) override {
    if (source.find("SYNTAX") != std::string::npos ||
        (!source.empty() && std::string("+-*/").find(source.back()) != std::string::npos))
      throw SceneError(where, "Python syntax error in expression: invalid syntax");
    compiled.push_back({source, where});
    return std::make_shared<FakeExpression>(source);
  }
  ParValue evaluate(const Expression&, Operator&, const ParameterSpec&) override { return 0.0; }
  std::vector<std::pair<std::string, SourceLocation>> compiled;
};

Scene load(const std::string& yaml, ExpressionEngine* engine = nullptr) {
  return load_scene_from_string(yaml, "test.yaml", engine);
}

// The diagnostics of a scene that must fail.
std::vector<Diagnostic> errors_of(const std::string& yaml) {
  FakeEngine engine;
  try {
    load(yaml, &engine);
  } catch (const SceneError& e) {
    return e.diagnostics();
  }
  ADD_FAILURE() << "scene loaded without error:\n" << yaml;
  return {};
}

// Exactly one diagnostic, at LINE:COL, containing `text`.
void expect_error(const std::string& yaml, int line, int column, const std::string& text) {
  const auto ds = errors_of(yaml);
  ASSERT_EQ(ds.size(), 1u) << (ds.empty() ? "" : ds[0].format() + (ds.size() > 1 ? "\n" + ds[1].format() : ""));
  EXPECT_EQ(ds[0].where.file, "test.yaml");
  EXPECT_EQ(ds[0].where.line, line) << ds[0].format();
  EXPECT_EQ(ds[0].where.column, column) << ds[0].format();
  EXPECT_NE(ds[0].message.find(text), std::string::npos) << ds[0].format();
}

Operator& op_at(const Scene& s, const std::string& path) {
  Operator* op = s.network->resolve(path, s.network->root());
  if (!op) throw std::runtime_error("no operator " + path);
  return *op;
}

double num(const Scene& s, const std::string& path, const std::string& par) {
  return as_double(op_at(s, path).par(par).constant());
}
std::string str(const Scene& s, const std::string& path, const std::string& par) {
  return std::get<std::string>(op_at(s, path).par(par).constant());
}

// --- good scenes --------------------------------------------------------

TEST(SceneLoader, DefaultsForAMinimalScene) {
  Scene s = load("netcook: 1\n");
  EXPECT_EQ(s.file, "test.yaml");
  EXPECT_DOUBLE_EQ(s.network->fps, 60);
  EXPECT_EQ(s.frames.first, 1);
  EXPECT_EQ(s.frames.last, 1);
  EXPECT_EQ(s.frames.count(), 1);
  EXPECT_EQ(s.network->default_width, 256);
  EXPECT_EQ(s.network->default_height, 256);
  ASSERT_NE(s.network->project(), nullptr);
  EXPECT_EQ(s.network->project()->path(), "/project1");
  EXPECT_EQ(s.network->project()->type_name(), "containerCOMP");
  EXPECT_TRUE(s.outputs.empty());
  EXPECT_TRUE(s.scripts.empty());
}

TEST(SceneLoader, TopLevelSettings) {
  Scene s = load("netcook: 1\nfps: 30\nframes: 10-20x5\nresolution: [320, 200]\nroot: show\n"
                 "ops:\n  noise1: {type: noiseTOP}\n  noise2: {type: noiseTOP, par: {resolutionw: 64}}\n"
                 "  blur1: {type: blurTOP, inputs: [noise1]}\n");
  EXPECT_DOUBLE_EQ(s.network->fps, 30);
  EXPECT_EQ(s.frames.frames(), (std::vector<int>{10, 15, 20}));
  EXPECT_EQ(s.network->project()->path(), "/show");
  EXPECT_EQ(s.network->default_width, 320);
  EXPECT_EQ(s.network->default_height, 200);
  // The scene's resolution is every generator's default...
  Parameter& w = op_at(s, "/show/noise1").par("resolutionw");
  EXPECT_EQ(std::get<std::int64_t>(w.constant()), 320);
  EXPECT_EQ(std::get<std::int64_t>(w.default_value()), 320);
  EXPECT_EQ(num(s, "/show/noise1", "resolutionh"), 200);
  // ...and a value the scene sets wins over it.
  EXPECT_EQ(num(s, "/show/noise2", "resolutionw"), 64);
  EXPECT_EQ(num(s, "/show/noise2", "resolutionh"), 200);
  // A filter has the Common page too: its custom size follows the scene's
  // resolution, but its output follows its input (outputresolution useinput).
  EXPECT_EQ(num(s, "/show/blur1", "resolutionw"), 320);
  EXPECT_EQ(to_display_string(op_at(s, "/show/blur1").par("outputresolution").constant()), "useinput");
}

TEST(SceneLoader, FramesAsList) {
  EXPECT_EQ(load("netcook: 1\nframes: [3, 7]\n").frames.count(), 5);
  EXPECT_EQ(load("netcook: 1\nframes: 42\n").frames.frames(), std::vector<int>{42});
}

TEST(SceneLoader, NestedNetworkAndPathInputs) {
  Scene s = load_scene(kDataDir + "/good/nested.yaml", nullptr);
  const auto& children = s.network->project()->children();
  ASSERT_EQ(children.size(), 5u);
  // Document order is kept.
  EXPECT_EQ(children[0]->name(), "noise1");
  EXPECT_EQ(children[1]->name(), "container1");
  EXPECT_EQ(children[4]->name(), "null1");
  Operator& inner_blur = op_at(s, "/project1/container1/blur1");
  ASSERT_EQ(inner_blur.inputs().size(), 1u);
  EXPECT_EQ(inner_blur.inputs()[0]->path(), "/project1/noise1");  // ../noise1
  Operator& level1 = op_at(s, "/project1/level1");
  EXPECT_EQ(level1.inputs()[0]->path(), "/project1/container1/noise1");  // container1/noise1
  Operator& blur2 = op_at(s, "/project1/blur2");
  EXPECT_EQ(blur2.inputs()[0]->path(), "/project1/noise1");  // /project1/noise1
  ASSERT_EQ(s.outputs.size(), 1u);
  EXPECT_EQ(s.outputs[0].op->path(), "/project1/container1/blur1");
  EXPECT_EQ(s.outputs[0].spec.path_pattern, "out/frame.####.png");
  EXPECT_EQ(s.outputs[0].spec.bits, 16);
  EXPECT_EQ(s.outputs[0].where.line, 30);
}

TEST(SceneLoader, ParameterValues) {
  Scene s = load(R"Y(netcook: 1
ops:
  noise1:
    type: noiseTOP
    par: {t: [0.5, 0, 2], resolution: [640, 360], type: 2, mono: false, seed: 7, harmonics: 3}
  const1: {type: constantTOP, par: {color: [1, 0, 0.25]}}
  blur1: {type: blurTOP, inputs: [noise1], par: {size: 5, filtertype: box, extend: 3}}
  blur2: {type: blurTOP, inputs: [noise1], par: {filter: gauss}}
  level1: {type: levelTOP, inputs: [blur1], par: {brightness: 0.25, gamma: 2}}
)Y");
  EXPECT_EQ(num(s, "/project1/noise1", "tx"), 0.5);
  EXPECT_EQ(num(s, "/project1/noise1", "tz"), 2);
  EXPECT_EQ(num(s, "/project1/noise1", "resolutionw"), 640);
  EXPECT_EQ(num(s, "/project1/noise1", "resolutionh"), 360);
  EXPECT_EQ(str(s, "/project1/noise1", "type"), "random");  // menu by index
  EXPECT_EQ(num(s, "/project1/noise1", "mono"), 0);
  EXPECT_EQ(num(s, "/project1/noise1", "harmon"), 3);  // alias
  EXPECT_EQ(num(s, "/project1/const1", "colorr"), 1);
  EXPECT_EQ(num(s, "/project1/const1", "colorb"), 0.25);
  EXPECT_EQ(num(s, "/project1/blur1", "size"), 5);
  EXPECT_EQ(str(s, "/project1/blur1", "filter"), "box");
  EXPECT_EQ(str(s, "/project1/blur1", "extend"), "zero");
  EXPECT_EQ(str(s, "/project1/blur2", "filter"), "gaussian");  // menu alias
  EXPECT_EQ(num(s, "/project1/level1", "brightness1"), 0.25);
  EXPECT_EQ(num(s, "/project1/level1", "gamma1"), 2);
  EXPECT_EQ(num(s, "/project1/level1", "contrast"), 1);  // not given: default
}

TEST(SceneLoader, ExpressionsCompileAtTheirLocation) {
  FakeEngine engine;
  Scene s = load("netcook: 1\nops:\n  noise1:\n    type: noiseTOP\n"
                 "    par:\n      period: {expr: \"100 + me.time.frame\"}\n      t: [0, {expr: me.time.seconds}, 0]\n",
                 &engine);
  EXPECT_EQ(s.network->expressions, &engine);
  Parameter& period = op_at(s, "/project1/noise1").par("period");
  EXPECT_EQ(period.mode(), ParameterMode::Expression);
  ASSERT_EQ(engine.compiled.size(), 2u);
  EXPECT_EQ(engine.compiled[0].first, "100 + me.time.frame");
  // Line 6, column 23 is the '1' after the opening quote.
  EXPECT_EQ(engine.compiled[0].second.line, 6);
  EXPECT_EQ(engine.compiled[0].second.column, 23);
  EXPECT_EQ(engine.compiled[1].second.line, 7);
  EXPECT_EQ(engine.compiled[1].second.column, 21);
  EXPECT_EQ(op_at(s, "/project1/noise1").par("ty").mode(), ParameterMode::Expression);
  EXPECT_EQ(op_at(s, "/project1/noise1").par("tx").mode(), ParameterMode::Constant);
}

TEST(SceneLoader, DatTextAndScripts) {
  Scene s = load(R"Y(netcook: 1
ops:
  setup: {type: textDAT, run: start, text: "print('hi')"}
  comp1:
    type: containerCOMP
    ops:
      inner:
        type: textDAT
        run: frame
        text: |
          x = 1
          print(x)
  notes: {type: textDAT, text: "just words"}
  last: {type: textDAT, run: frame}
)Y");
  auto& setup = static_cast<DatOperator&>(op_at(s, "/project1/setup"));
  EXPECT_EQ(setup.text(), "print('hi')");
  EXPECT_EQ(setup.text_origin.line, 3);
  EXPECT_EQ(setup.text_origin.column, 45);
  auto& inner = static_cast<DatOperator&>(op_at(s, "/project1/comp1/inner"));
  EXPECT_EQ(inner.text(), "x = 1\nprint(x)\n");
  EXPECT_EQ(inner.text_origin.file, "test.yaml");
  EXPECT_EQ(inner.text_origin.line, 11);  // the line after `text: |`
  EXPECT_EQ(inner.text_origin.column, 11);
  ASSERT_EQ(s.scripts.size(), 3u);  // depth first, document order; `notes` never runs
  EXPECT_EQ(s.scripts[0].dat->name(), "setup");
  EXPECT_EQ(s.scripts[0].run, RunMode::Start);
  EXPECT_EQ(s.scripts[1].dat->name(), "inner");
  EXPECT_EQ(s.scripts[1].run, RunMode::Frame);
  EXPECT_EQ(s.scripts[2].dat->name(), "last");
}

TEST(SceneLoader, DatFileIsRelativeToTheScene) {
  Scene s = load_scene(kDataDir + "/good/with_file.yaml", nullptr);
  auto& dat = static_cast<DatOperator&>(op_at(s, "/project1/script1"));
  EXPECT_EQ(dat.text(), "print('from a file')\n");
  EXPECT_EQ(dat.text_origin.file, kDataDir + "/good/script.py");
  EXPECT_EQ(dat.text_origin.line, 1);
  EXPECT_EQ(s.directory, kDataDir + "/good");
}

TEST(SceneLoader, OutputSettings) {
  Scene s = load("netcook: 1\nframes: 1-3\nops:\n  c: {type: constantTOP}\noutputs:\n"
                 "  - {op: c, path: 'a.####.exr', bits: 32f, compression: zip}\n"
                 "  - {op: /project1/c, path: b.mp4, quality: 80}\n");
  ASSERT_EQ(s.outputs.size(), 2u);
  EXPECT_EQ(s.outputs[0].spec.kind, OutputKind::Image);
  EXPECT_EQ(s.outputs[0].spec.bits, 32);
  EXPECT_EQ(s.outputs[0].spec.compression, "zip");
  EXPECT_EQ(s.outputs[1].spec.kind, OutputKind::Video);
  EXPECT_EQ(s.outputs[1].spec.quality, 80);
  EXPECT_EQ(s.outputs[1].op, s.outputs[0].op);
  // A still image path is fine for one frame, not for three.
  Scene one = load("netcook: 1\nops:\n  c: {type: constantTOP}\noutputs:\n  - {op: c, path: still.png}\n");
  EXPECT_NO_THROW(validate_scene_outputs(one, 1));
  EXPECT_THROW(validate_scene_outputs(one, 3), SceneError);
}

// --- frame ranges ---------------------------------------------------------

TEST(FrameRange, Parses) {
  std::string error;
  auto r = parse_frame_range("1-240", &error);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->count(), 240);
  r = parse_frame_range("1-10x3", &error);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->frames(), (std::vector<int>{1, 4, 7, 10}));
  r = parse_frame_range(" 12 ", &error);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->frames(), std::vector<int>{12});
  r = parse_frame_range("-5--3", &error);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->frames(), (std::vector<int>{-5, -4, -3}));
  for (const char* bad : {"", "abc", "10-1", "1-", "1-10x0", "1-10x", "1..10", "1-2-3", "1-99999999999", "1 - 5"}) {
    error.clear();
    EXPECT_FALSE(parse_frame_range(bad, &error)) << bad;
    EXPECT_NE(error.find("bad frame range"), std::string::npos) << bad;
  }
  EXPECT_FALSE(parse_frame_range("1-999999999", &error));  // more than kMaxFrameCount
}

TEST(FrameRange, Lists) {
  std::string error;
  auto r = parse_frame_range("1,5,10-14", &error);
  ASSERT_TRUE(r) << error;
  EXPECT_EQ(r->frames(), (std::vector<int>{1, 5, 10, 11, 12, 13, 14}));
  EXPECT_EQ(r->count(), 7);
  EXPECT_EQ(r->first, 1);
  EXPECT_EQ(r->last, 14);
  r = parse_frame_range("20, 1-9x4 ,5,20", &error);  // sorted, each frame once
  ASSERT_TRUE(r) << error;
  EXPECT_EQ(r->frames(), (std::vector<int>{1, 5, 9, 20}));
  for (const char* bad : {"1,", ",1", "1,,2", "1,b", "1,10-1", "1,2x", "1,5-9x0"}) {
    error.clear();
    EXPECT_FALSE(parse_frame_range(bad, &error)) << bad;
    EXPECT_NE(error.find("bad frame range"), std::string::npos) << bad;
  }
  EXPECT_FALSE(parse_frame_range("1-9999999,20000000-20000001", &error));  // the parts add up past kMaxFrameCount
  EXPECT_NE(error.find("more than"), std::string::npos);
}

TEST(FrameRange, Chunks) {
  const FrameRange range = *parse_frame_range("1-10", nullptr);
  std::vector<int> joined;
  for (int k = 1; k <= 3; ++k) {
    const FrameRange chunk = frame_range_chunk(range, k, 3);
    const std::vector<int> frames = chunk.frames();
    joined.insert(joined.end(), frames.begin(), frames.end());
    EXPECT_GE(chunk.count(), 3);
    EXPECT_LE(chunk.count(), 4);
  }
  EXPECT_EQ(joined, range.frames());
  EXPECT_EQ(frame_range_chunk(range, 1, 3).frames(), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(frame_range_chunk(range, 3, 3).frames(), (std::vector<int>{7, 8, 9, 10}));
  // Steps and lists split by frames rendered, not by frame numbers.
  const FrameRange stepped = *parse_frame_range("1-20x2", nullptr);
  EXPECT_EQ(frame_range_chunk(stepped, 2, 2).frames(), (std::vector<int>{11, 13, 15, 17, 19}));
  const FrameRange listed = *parse_frame_range("1,5,10-12", nullptr);
  EXPECT_EQ(frame_range_chunk(listed, 1, 2).frames(), (std::vector<int>{1, 5}));
  EXPECT_EQ(frame_range_chunk(listed, 2, 2).frames(), (std::vector<int>{10, 11, 12}));
  // More chunks than frames: some are empty, none repeats a frame.
  const FrameRange two = *parse_frame_range("4-5", nullptr);
  int total = 0;
  for (int k = 1; k <= 5; ++k) total += frame_range_chunk(two, k, 5).count();
  EXPECT_EQ(total, 2);
}

// --- overrides --------------------------------------------------------------

TEST(SceneOverrides, SetParameters) {
  FakeEngine engine;
  Scene s = load("netcook: 1\nops:\n  noise1: {type: noiseTOP}\n  blur1: {type: blurTOP, inputs: [noise1]}\n"
                 "  c1:\n    type: containerCOMP\n    ops:\n      n: {type: noiseTOP}\n",
                 &engine);
  apply_parameter_override(s, "blur1.size=3");
  EXPECT_EQ(num(s, "/project1/blur1", "size"), 3);
  apply_parameter_override(s, "blur1.filtertype=box");
  EXPECT_EQ(str(s, "/project1/blur1", "filter"), "box");
  apply_parameter_override(s, "c1/n.t=[1, 2, 3]");
  EXPECT_EQ(num(s, "/project1/c1/n", "ty"), 2);
  apply_parameter_override(s, "noise1.period={expr: 'me.time.frame'}");
  EXPECT_EQ(op_at(s, "/project1/noise1").par("period").mode(), ParameterMode::Expression);

  auto message = [&](const std::string& a) -> std::string {
    try {
      apply_parameter_override(s, a);
    } catch (const SceneError& e) {
      EXPECT_EQ(e.diagnostics().size(), 1u);
      EXPECT_EQ(e.diagnostics()[0].where.file, "--set");
      EXPECT_FALSE(e.diagnostics()[0].where.known());
      return e.diagnostics()[0].message;
    }
    ADD_FAILURE() << a << " was accepted";
    return "";
  };
  EXPECT_NE(message("blurr1.size=3").find("did you mean 'blur1'"), std::string::npos);
  EXPECT_NE(message("blur1.siz=3").find("did you mean 'size'"), std::string::npos);
  EXPECT_NE(message("blur1.size=big").find("expects a number"), std::string::npos);
  EXPECT_NE(message("blur1.filter=gaus").find("'gaussian'"), std::string::npos);
  EXPECT_NE(message("blur1.size=").find("no value"), std::string::npos);
  EXPECT_NE(message("blur1.size").find("OP.PAR=VALUE"), std::string::npos);
  EXPECT_NE(message("blur1.size=[1").find("cannot read the value"), std::string::npos);
  EXPECT_NE(message("noise1.period={expr: 'SYNTAX'}").find("invalid syntax"), std::string::npos);
}

TEST(SceneOverrides, ReplaceText) {
  Scene s = load("netcook: 1\nops:\n  script1: {type: textDAT, text: old}\n  noise1: {type: noiseTOP}\n");
  const std::string file = kDataDir + "/good/script.py";
  apply_text_override(s, "script1=" + file);
  auto& dat = static_cast<DatOperator&>(op_at(s, "/project1/script1"));
  EXPECT_EQ(dat.text(), "print('from a file')\n");
  EXPECT_EQ(dat.text_origin.file, file);
  EXPECT_EQ(dat.text_origin.line, 1);
  EXPECT_THROW(apply_text_override(s, "noise1=" + file), SceneError);
  EXPECT_THROW(apply_text_override(s, "script2=" + file), SceneError);
  EXPECT_THROW(apply_text_override(s, "script1=/no/such/file.py"), SceneError);
  try {
    apply_text_override(s, "script1=/no/such/file.py");
  } catch (const SceneError& e) {
    EXPECT_EQ(e.diagnostics()[0].format().rfind("--text: error: ", 0), 0u) << e.what();
  }
}

// --- diagnostics ------------------------------------------------------------

TEST(SceneDiagnostics, Positions) {
  expect_error("netcook: 1\nops:\n  blur1: {type: blurTOP, inputs: [noise1]}\n  noise1: {type: noiseTOP}\n"
               "ouputs: []\n",
               5, 1, "unknown top-level key 'ouputs'; did you mean 'outputs'?");
  expect_error("netcook: 1\nops:\n  noise1: {type: noiseTop}\n", 3, 18,
               "unknown operator type 'noiseTop'; did you mean 'noiseTOP'");
  expect_error("netcook: 1\nops:\n  n: {type: noiseTOP}\n  blur1: {type: blurTOP, inputs: [n], par: {siz: 3}}\n",
               4, 45, "blurTOP has no parameter 'siz'; did you mean 'size'?");
  expect_error("netcook: 1\nops:\n  n:\n    type: noiseTOP\n    par:\n      type: randum\n", 6, 13,
               "did you mean 'random'?");
  expect_error("netcook: 1\nops:\n  n: {type: noiseTOP, par: {t: [1, 2]}}\n", 3, 32, "tuple of 3");
  expect_error("netcook: 1\nops:\n  n: {type: noiseTOP, par: {period: ~}}\n", 3, 37, "no value");
  expect_error("netcook: 1\nops:\n  n: {type: noiseTOP, par: {period: {exp: x}}}\n", 3, 38, "expr");
  expect_error("netcook: 1\nops:\n  n: {type: noiseTOP, par: {period: \"SYNTAX\"}}\n", 3, 37, "expects a number");
  expect_error("netcook: 1\nops:\n  n: {type: noiseTOP, par: {period: {expr: \"1 SYNTAX\"}}}\n", 3, 45,
               "invalid syntax");
  expect_error("netcook: 1\nops:\n  n: {type: noiseTOP}\n  n: {type: noiseTOP}\n", 4, 3, "duplicate operator name 'n'");
  expect_error("netcook: 1\nops:\n  2n: {type: noiseTOP}\n", 3, 3, "bad operator name '2n'");
  expect_error("netcook: 1\nops:\n  n: {type: noiseTOP, inptus: []}\n", 3, 23, "did you mean 'inputs'?");
  expect_error("netcook: 1\nops:\n  n: {type: noiseTOP}\n  b: {type: blurTOP, inputs: [noise1]}\n", 4, 31,
               "no operator 'noise1'");
  expect_error("netcook: 1\nops:\n  t: {type: textDAT}\n  b: {type: blurTOP, inputs: [t]}\n", 4, 31,
               "cannot wire textDAT 't' into blurTOP 'b'");
  expect_error("netcook: 1\nops:\n  b: {type: blurTOP}\n", 3, 3, "blurTOP 'b' needs 1 input");
  expect_error("netcook: 1\nops:\n  n: {type: noiseTOP}\n  b: {type: blurTOP, inputs: [n, n]}\n", 4, 34,
               "takes at most 1 input");
  expect_error("netcook: 1\nops:\n  n: {type: noiseTOP, ops: {}}\n", 3, 23, "only allowed on a COMP");
  expect_error("netcook: 1\nops:\n  n: {type: noiseTOP, run: frame}\n", 3, 23, "only allowed on a DAT");
  expect_error("netcook: 1\nops:\n  t: {type: textDAT, run: always}\n", 3, 27, "run must be never, start or frame");
  expect_error("netcook: 2\n", 1, 10, "unsupported scene format version 2");
  expect_error("fps: 60\n", 1, 1, "missing 'netcook: 1'");
  expect_error("netcook: 1\nframes: 10-1\n", 2, 9, "ends (1) before it starts (10)");
  expect_error("netcook: 1\nresolution: [0, 10]\n", 2, 14, "resolution width 0 is out of range");
  expect_error("netcook: 1\nops: [\n", 3, 1, "YAML syntax error");
  expect_error("", 1, 1, "empty");
  expect_error("netcook: 1\nops:\n  c: {type: constantTOP}\noutputs:\n  - {op: cc, path: a.png}\n", 5, 10,
               "no operator 'cc' in /project1; did you mean 'c'?");
  expect_error("netcook: 1\nops:\n  t: {type: textDAT}\noutputs:\n  - {op: t, path: a.png}\n", 5, 10,
               "only TOPs");
  expect_error("netcook: 1\nops:\n  c: {type: constantTOP}\noutputs:\n  - {op: c, path: a.png, bits: 12}\n", 5, 32,
               "bits must be 8, 16 or 32f");
  expect_error("netcook: 1\nops:\n  c: {type: constantTOP}\noutputs:\n  - {op: c, path: a.png, pth: x}\n", 5, 26,
               "did you mean 'path'?");
  expect_error("netcook: 1\nframes: 1-2\nops:\n  c: {type: constantTOP}\noutputs:\n  - {op: c, path: a.png}\n", 6,
               19, "frame number");
}

TEST(SceneDiagnostics, Cycle) {
  expect_error("netcook: 1\nops:\n  a: {type: nullTOP, inputs: [b]}\n  b: {type: nullTOP, inputs: [a]}\n", 4, 31,
               "cycle: /project1/a -> /project1/b -> /project1/a");
  expect_error("netcook: 1\nops:\n  a: {type: nullTOP, inputs: [a]}\n", 3, 31, "cycle: /project1/a -> /project1/a");
}

TEST(SceneDiagnostics, AllMistakesSortedByLine) {
  const auto ds = errors_of(
      "netcook: 1\n"
      "ops:\n"
      "  b: {type: blurTOP, inputs: [nope], par: {size: big}}\n"
      "  n: {type: noiseTop}\n"
      "  l: {type: levelTOP, inputs: [n]}\n"  // n failed: no second report
      "outputz: []\n");
  ASSERT_EQ(ds.size(), 4u);
  EXPECT_EQ(ds[0].where.line, 3);
  EXPECT_LT(ds[0].where.column, ds[1].where.column);
  EXPECT_EQ(ds[2].where.line, 4);
  EXPECT_EQ(ds[3].where.line, 6);
  EXPECT_EQ(ds[0].format().rfind("test.yaml:3:", 0), 0u);
}

TEST(SceneDiagnostics, UnreadableFile) {
  try {
    load_scene("/no/such/scene.yaml", nullptr);
    FAIL();
  } catch (const SceneError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics()[0].format(),
              "/no/such/scene.yaml: error: cannot read scene: No such file or directory");
  }
}

TEST(SceneDiagnostics, HostileInputsNeverCrash) {
  const char* inputs[] = {
      "- 1\n- 2\n",
      "netcook: 1\nops: 5\n",
      "netcook: 1\nops:\n  a: 5\n",
      "netcook: 1\nops:\n  a: [1]\n",
      "netcook: 1\nops:\n  a:\n",
      "netcook: 1\nops:\n  a: {type: [x]}\n",
      "netcook: 1\nops:\n  a: {type: noiseTOP, par: [1]}\n",
      "netcook: 1\nops:\n  a: {type: noiseTOP, inputs: {x: 1}}\n",
      "netcook: 1\nops:\n  a: {type: blurTOP, inputs: [[x]]}\n",
      "netcook: 1\nops:\n  ? [a]\n  : {type: noiseTOP}\n",
      "netcook: 1\noutputs: {op: x}\n",
      "netcook: 1\noutputs: [5, {op: [1], path: {}}]\n",
      "netcook: 1\nframes: {a: 1}\n",
      "netcook: 1\nframes: [1, x]\n",
      "netcook: [1]\n",
      "netcook: 1\nfps: -1\n",
      "netcook: 1\nfps: .nan\n",
      "netcook: 1\nresolution: [99999999999999999999, 1]\n",
      "netcook: 1\nroot: 'a b'\n",
      "netcook: 1\n---\nnetcook: 1\n",
      "netcook: 1\nops:\n  a: &x {type: noiseTOP}\n  b: *y\n",
      "\t\x01\xff: [\n",
      "netcook: 1\nops:\n  t: {type: textDAT, text: [1], file: x}\n",
      "netcook: 1\nops:\n  t: {type: textDAT, file: /nonexistent/x.py}\n",
      "netcook: 1\nops:\n  n: {type: noiseTOP, par: {period: .inf, seed: {expr: 5}}}\n",
  };
  for (const char* yaml : inputs) {
    try {
      load(yaml);
      ADD_FAILURE() << "accepted: " << yaml;
    } catch (const SceneError& e) {
      ASSERT_FALSE(e.diagnostics().empty());
      for (const auto& d : e.diagnostics()) {
        EXPECT_TRUE(d.where.known()) << d.format();
        EXPECT_EQ(d.message.find("yaml-cpp"), std::string::npos) << d.format();
      }
    }
  }
}

// --- limits (scene/limits.h) ------------------------------------------------

// `levels` nested COMPs, each holding the next in its `ops:`.
std::string nested_comps(int levels) {
  std::string yaml = "netcook: 1\nops:\n", indent = "  ";
  for (int i = 0; i < levels; ++i) {
    yaml += indent + "c" + std::to_string(i) + ":\n" + indent + "  type: baseCOMP\n" + indent + "  ops:\n";
    indent += "    ";
  }
  return yaml + indent + "n: {type: noiseTOP}\n";
}

TEST(SceneLimits, ComponentDepth) {
  const Scene ok = load(nested_comps(kMaxComponentDepth));
  // The project, the COMPs and the noise at the bottom.
  EXPECT_EQ(ok.network->all_operators().size(), static_cast<std::size_t>(kMaxComponentDepth) + 2);
  // The `ops:` of COMP number kMaxComponentDepth + 1 is one level too many.
  const int line = 2 + 3 * (kMaxComponentDepth + 1);
  expect_error(nested_comps(kMaxComponentDepth + 1), line, 4 * kMaxComponentDepth + 5,
               "nests components more than 100 deep");
}

TEST(SceneLimits, YamlDepthBeforeYamlCppsGuard) {
  const auto nested = [](int n) {
    return "netcook: 1\nops:\n  n: {type: noiseTOP, par: {period: " + std::string(n, '[') + "1" +
           std::string(n, ']') + "}}\n";
  };
  // Within the limit the list is just a wrong value; past it, the nesting
  // is the error, at the list that crosses it.
  expect_error(nested(10), 3, 37, "takes one value, not a list");
  // Four levels (document, ops, n, par) come before the first list.
  expect_error(nested(kMaxYamlDepth), 3, 37 + kMaxYamlDepth - 4, "nested more than 400 levels deep");
}

TEST(SceneLimits, AliasExpansionStopsAtTheAlias) {
  // Each level's list repeats the previous one ten times: 10^9 nodes.
  std::string yaml = "netcook: 1\nops:\n  n: {type: noiseTOP}\nx0: &a0 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n";
  for (int i = 1; i < 9; ++i) {
    const std::string prev = "*a" + std::to_string(i - 1);
    yaml += "x" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) yaml += (k ? ", " : "") + prev;
    yaml += "]\n";
  }
  // x6 expands to 10^7 nodes: its third alias crosses the limit (counting
  // the aliases of x1..x5 before it).
  expect_error(yaml, 10, 20, "alias '*a5' expands the scene past 4000000 YAML nodes");
}

TEST(SceneLimits, OperatorsRepeatedThroughAliases) {
  // 50 constants, a COMP of those 50 times, that COMP 50 times...: the
  // count crosses kMaxSceneOperators inside the fourth level.
  std::string yaml = "netcook: 1\nops:\n  l1: {type: baseCOMP, ops: &l1 {";
  for (int k = 0; k < 50; ++k) yaml += std::string(k ? ", " : "") + "o" + std::to_string(k) + ": {type: constantCHOP}";
  yaml += "}}\n";
  for (int level = 2; level <= 4; ++level) {
    const std::string l = "l" + std::to_string(level), prev = "*l" + std::to_string(level - 1);
    yaml += "  " + l + ": {type: baseCOMP, ops: &" + l + " {";
    for (int k = 0; k < 50; ++k)
      yaml += std::string(k ? ", " : "") + "c" + std::to_string(k) + ": {type: baseCOMP, ops: " + prev + "}";
    yaml += "}}\n";
  }
  const auto ds = errors_of(yaml);
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].where.line, 6) << ds[0].format();
  EXPECT_NE(ds[0].message.find("alias '*l3' brings the scene past 250000 operators"), std::string::npos)
      << ds[0].format();
}

TEST(SceneLimits, AliasInsideItself) {
  expect_error("netcook: 1\nops: &all\n  box: {type: baseCOMP, ops: *all}\n", 3, 30,
               "alias '*all' refers to a node that contains it");
}

TEST(SceneLimits, HundredThousandOperatorChainLoads) {
  // The size the project promises to load (the time is measured by
  // bench/end_to_end.py, not here).
  constexpr int n = 100000;
  std::string yaml = "netcook: 1\nops:\n  n0: {type: constantTOP}\n";
  for (int i = 1; i < n; ++i)
    yaml += "  n" + std::to_string(i) + ": {type: nullTOP, inputs: [n" + std::to_string(i - 1) + "]}\n";
  const Scene s = load(yaml);
  EXPECT_EQ(s.network->project()->children().size(), static_cast<std::size_t>(n));
  const Operator& last = op_at(s, "/project1/n" + std::to_string(n - 1));
  ASSERT_EQ(last.inputs().size(), 1u);
  EXPECT_EQ(last.inputs()[0]->name(), "n" + std::to_string(n - 2));
}

TEST(SceneText, Utf8AndControlCharacters) {
  expect_error("netcook: 1\nops:\n  caf\xc3\xa9: {type: noiseTOP}\n  b\xe9: {type: noiseTOP}\n", 4, 4,
               "invalid UTF-8 (byte 0xE9)");
  expect_error("netcook: 1\n# overlong slash: \xc0\xaf\n", 2, 19, "invalid UTF-8 (byte 0xC0)");
  expect_error("netcook: 1\n# surrogate: \xed\xa0\x80\n", 2, 14, "invalid UTF-8 (byte 0xED)");
  expect_error("netcook: 1\nfps: 3\x1b[2J\n", 2, 7, "control character U+001B");
  expect_error(std::string("netcook: 1\nfps: 3\0\n", 19), 2, 7, "control character U+0000");
  // A UTF-8 name is fine (as a name it is then refused for its letters).
  expect_error("netcook: 1\nops:\n  caf\xc3\xa9: {type: noiseTOP}\n", 3, 3, "bad operator name 'caf\xc3\xa9'");
}

TEST(SceneText, MessagesNeverHoldControlCharacters) {
  // A quoted key may hold any character; the message quotes it escaped.
  const auto ds = errors_of("netcook: 1\n\"bad\\e[31mkey\\n\": 1\n");
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_NE(ds[0].message.find("unknown top-level key 'bad\\x1B[31mkey\\n'"), std::string::npos) << ds[0].message;
}

TEST(SceneLimits, ResolutionAndOutputNames) {
  expect_error("netcook: 1\nresolution: [100000, 10]\n", 2, 14,
               "resolution width 100000 is out of range: generator sizes are whole numbers from 1 to 32768");
  expect_error("netcook: 1\nops:\n  n: {type: noiseTOP, par: {resolutionh: 40000}}\n", 3, 42,
               "parameter 'resolutionh' is a generator size: whole numbers from 1 to 32768, not 40000");
  expect_error("netcook: 1\nops:\n  c: {type: constantTOP}\noutputs:\n  - {op: c, path: out/.exr}\n", 5, 19,
               "output path 'out/.exr' has no file name before '.exr'");
  const Scene ok = load("netcook: 1\nops:\n  c: {type: constantTOP}\noutputs:\n  - {op: c, path: out/####.png}\n");
  EXPECT_EQ(ok.outputs.size(), 1u);
}

// Every file of tests/data/bad fails with the diagnostic its first line
// announces: `# expect: LINE:COL: TEXT`. (tests/cli/test_bad_scenes.py checks
// the same through the CLI, with the real Python engine.)
TEST(SceneDiagnostics, BadSceneCorpus) {
  const std::regex header(R"(^# expect: (\d+):(\d+): (.+)$)");
  int files = 0;
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(kDataDir + "/bad"))
    if (entry.path().extension() == ".yaml") paths.push_back(entry.path());
  std::sort(paths.begin(), paths.end());
  for (const auto& path : paths) {
    ++files;
    std::ifstream in(path);
    std::string first;
    std::getline(in, first);
    std::smatch m;
    ASSERT_TRUE(std::regex_match(first, m, header)) << path << ": bad header: " << first;
    const int line = std::stoi(m[1]), column = std::stoi(m[2]);
    const std::string text = m[3];
    FakeEngine engine;
    try {
      load_scene(path.string(), &engine);
      ADD_FAILURE() << path << " loaded without error";
    } catch (const SceneError& e) {
      const auto& ds = e.diagnostics();
      EXPECT_EQ(ds.size(), 1u) << e.what();
      ASSERT_FALSE(ds.empty());
      EXPECT_EQ(ds[0].where.file, path.string());
      EXPECT_EQ(ds[0].where.line, line) << e.what();
      EXPECT_EQ(ds[0].where.column, column) << e.what();
      EXPECT_NE(ds[0].message.find(text), std::string::npos) << e.what();
    }
  }
  EXPECT_GE(files, 24);
}

}  // namespace
}  // namespace netcook
