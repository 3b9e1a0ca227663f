// The grading library's pure parts: exercise specs and their diagnostics,
// the worker's record and job formats, check scoring and feedback on
// hand-made observations, and the report formats.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "netcook/grading/checks.h"
#include "netcook/grading/exercise.h"
#include "netcook/grading/observation.h"
#include "netcook/grading/reports.h"
#include "temp_dir_test.h"

namespace netcook::grading {
namespace {

namespace fs = std::filesystem;

class GradingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("netcook-grading-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "scene.yaml")
        << "netcook: 1\nframes: 1-10\nops:\n  script1: {type: textDAT, run: frame, text: ''}\n";
    std::ofstream(dir_ / "solution.py") << "print(1)\n";
  }
  void TearDown() override { fs::remove_all(dir_); }

  Exercise load(const std::string& checks) {
    return load_exercise_from_string(
        "netcook-exercise: 1\nscene: scene.yaml\nsubmission: {dat: script1}\n"
        "solution: solution.py\nchecks:\n" +
            checks,
        (dir_ / "exercise.yaml").string());
  }
  std::string error_of(const std::string& checks) {
    try {
      load(checks);
    } catch (const SceneError& e) {
      return e.what();
    }
    return "";
  }
  fs::path dir_;
};

TEST_F(GradingTest, LoadsChecksWithDefaults) {
  const Exercise e = load(
      "  - name: size\n    points: 3\n    frames: 1-5x2\n    parameter: {par: blur1.size, expected: reference, "
      "tolerance: 0.1}\n"
      "  - name: wiring\n    visibility: hidden\n    operator: {op: blur1, type: blurTOP, inputs: [noise1]}\n");
  ASSERT_EQ(e.checks.size(), 2u);
  EXPECT_EQ(e.frames.size(), 10u);  // the scene's frames
  EXPECT_EQ(e.checks[0].frames, (std::vector<int>{1, 3, 5}));
  const auto& p = std::get<ParameterCheck>(e.checks[0].what);
  EXPECT_EQ(p.op, "blur1");
  EXPECT_EQ(p.par, "size");
  EXPECT_EQ(p.expected.kind, Expected::Kind::Reference);
  EXPECT_EQ(e.checks[1].visibility, "hidden");
  EXPECT_EQ(e.max_score(), 4);
  EXPECT_EQ(e.kind, SubmissionKind::Dat);
  EXPECT_EQ(e.dats, (std::vector<std::string>{"script1"}));
  EXPECT_TRUE(fs::path(e.solution).is_absolute());
}

TEST_F(GradingTest, SpecErrorsHaveLinesAndSuggestions) {
  const std::string spec = (dir_ / "exercise.yaml").string();
  EXPECT_NE(error_of("  - name: a\n    chanel: {op: lfo1, expected: 1}\n")
                .find(spec + ":7:5: error: unknown check key 'chanel'; did you mean 'channel'?"),
            std::string::npos);
  EXPECT_NE(error_of("  - name: a\n    parameter: {par: blur1.size, expected: 1, tolerence: 1}\n")
                .find("unknown key 'tolerence' in parameter:; did you mean 'tolerance'?"),
            std::string::npos);
  EXPECT_NE(
      error_of("  - name: a\n    points: -1\n    operator: {op: x}\n").find("points must be a number of points >= 0"),
      std::string::npos);
  EXPECT_NE(error_of("  - name: a\n    operator: {op: x}\n  - name: a\n    operator: {op: y}\n")
                .find("two checks are named 'a'"),
            std::string::npos);
  EXPECT_NE(error_of("  - name: a\n    python: {file: missing.py}\n").find("check file 'missing.py' not found"),
            std::string::npos);
}

TEST(GradingNumbers, NumbersInALine) {
  EXPECT_EQ(numbers_in("Blur: 10.3, Noise Period: -2e-3 (script1) x = .5"), (std::vector<double>{10.3, -0.002, 0.5}));
  EXPECT_TRUE(numbers_in("no numbers, chan1").empty());
}

TEST(GradingRecord, JobRoundTrips) {
  WorkerJob job;
  job.scene = "/a/scene.yaml";
  job.texts = {"script1=script1.py"};
  job.last_frame = 120;
  job.record_frames = {1, 31};
  job.parameters = {"blur1.size"};
  job.images = {{"null1", {1, 60}}};
  job.read_only = {"/a/scene.yaml"};
  const WorkerJob back = decode_job(encode_job(job));
  EXPECT_EQ(back.scene, job.scene);
  EXPECT_EQ(back.record_frames, job.record_frames);
  EXPECT_EQ(back.images, job.images);
  EXPECT_EQ(back.read_only, job.read_only);
  EXPECT_THROW(decode_job("{\"scene\": 1}"), std::runtime_error);
}

TEST(GradingRecord, CutOffRecordKeepsTheFramesBefore) {
  const std::string lines =
      "{\"kind\":\"loaded\",\"operators\":[{\"path\":\"/project1/"
      "blur1\",\"name\":\"blur1\",\"type\":\"blurTOP\",\"inputs\":[\"noise1\"]}]}\n"
      "{\"kind\":\"frame\",\"frame\":1,\"output\":\"a\\n\",\"parameters\":{\"blur1.size\":3.5,\"noise1.type\":"
      "\"sparse\"},\"done\":true}\n"
      "{\"kind\":\"frame\",\"frame\":2,\"out";  // killed mid-line
  const Observations obs = parse_record(lines, "/w");
  EXPECT_TRUE(obs.loaded);
  EXPECT_FALSE(obs.finished);
  EXPECT_EQ(obs.frames_completed, 1);
  EXPECT_EQ(obs.output.at(1), "a\n");
  EXPECT_DOUBLE_EQ(obs.parameters.at("blur1.size").at(1).number, 3.5);
  EXPECT_FALSE(obs.parameters.at("noise1.type").at(1).is_number);
  ASSERT_EQ(obs.operators.size(), 1u);
  EXPECT_EQ(obs.operators[0].inputs, (std::vector<std::string>{"noise1"}));
  const auto record = nlohmann::json::parse(obs.record_json);
  EXPECT_EQ(record["frames"]["1"]["parameters"]["blur1.size"], 3.5);
}

TEST(GradingRecord, RawImagesRoundTrip) {
  const std::string path =
      (fs::temp_directory_path() / ("netcook-raw-" + std::to_string(::getpid()) + ".raw")).string();
  std::vector<float> rgba(3 * 2 * 4);
  for (std::size_t i = 0; i < rgba.size(); ++i) rgba[i] = static_cast<float>(i) / 7;
  write_raw_image(path, rgba.data(), 3, 2, 12);
  int w = 0, h = 0;
  EXPECT_EQ(read_raw_image(path, w, h), rgba);
  EXPECT_EQ(w, 3);
  EXPECT_EQ(h, 2);
  std::ofstream(path, std::ios::trunc) << "not an image";
  EXPECT_THROW(read_raw_image(path, w, h), std::runtime_error);
  std::remove(path.c_str());
}

// Observations of a run that printed `value` as blur1.size for `frames`
// frames, then (when fail_at) failed.
Observations run_of(double value, int frames, int fail_at = 0) {
  Observations obs;
  obs.loaded = true;
  obs.finished = true;
  obs.frames_completed = fail_at ? fail_at - 1 : frames;
  for (int f = 1; f <= obs.frames_completed; ++f) {
    Observations::Value v;
    v.number = value;
    obs.parameters["blur1.size"][f] = v;
    char line[64];
    std::snprintf(line, sizeof line, "Blur: %.1f\n", value);
    obs.output[f] = line;
  }
  if (fail_at) obs.failure = Observations::Failure{fail_at, "script1.py:3: error: ZeroDivisionError", "Traceback"};
  obs.operators = {{"/project1/blur1", "blur1", "blurTOP", {"noise1"}}};
  return obs;
}

TEST_F(GradingTest, PartialCreditAndFeedback) {
  Exercise e = load(
      "  - name: size\n    points: 4\n    parameter: {par: blur1.size, expected: 17.1, tolerance: 0.1}\n"
      "  - name: format\n    points: 2\n    output: {regex: 'Blur: \\d+\\.\\d'}\n"
      "  - name: numbers\n    output: {numbers: reference, tolerance: 0.05}\n"
      "  - name: wiring\n    points: 3\n    operator: {op: blur1, type: levelTOP, inputs: [noise1]}\n");
  const Observations reference = run_of(17.1, 10);
  auto results = evaluate_checks(e, run_of(3.2, 10, 6), reference);
  ASSERT_EQ(results.size(), 4u);
  // Frames 1-5 ran, all wrong; 6-10 never reached.
  EXPECT_EQ(results[0].score, 0);
  EXPECT_NE(results[0].feedback.find("frame 1: blur1.size was 3.2, expected 17.1 ± 0.1"), std::string::npos);
  EXPECT_NE(results[0].feedback.find(
                "5 frames were not reached: the run stopped at frame 6: script1.py:3: error: ZeroDivisionError"),
            std::string::npos);
  EXPECT_DOUBLE_EQ(results[1].score, 1);  // 5 of 10 frames printed the right format
  EXPECT_NE(results[2].feedback.find("frame 1: printed 3.2, expected 17.1 (each ± 0.05)"), std::string::npos);
  EXPECT_DOUBLE_EQ(results[3].score, 2);  // exists and wired, wrong type
  EXPECT_EQ(results[3].feedback, "blur1 is a blurTOP, expected a levelTOP");
  results = evaluate_checks(e, reference, reference);
  EXPECT_DOUBLE_EQ(results[0].score, 4);
  EXPECT_EQ(results[0].feedback, "right at all 10 frames checked (blur1.size)");
}

TEST_F(GradingTest, ReportsNameEveryCheckAndTheSandbox) {
  Exercise e = load(
      "  - name: 'size, at 31'\n    points: 2\n    visibility: after_due_date\n    parameter: {par: blur1.size, "
      "expected: 1}\n");
  SubmissionGrade g;
  g.submission = "alice/script1.py";
  g.mechanism = "seccomp + rlimits";
  g.run_end = "exited";
  g.max_score = 2;
  g.score = 0.5;
  CheckResult c;
  c.name = "size, at 31";
  c.kind = "parameter";
  c.visibility = "after_due_date";
  c.score = 0.5;
  c.max_score = 2;
  c.feedback = "frame 31: blur1.size was 3.2, expected 1";
  g.checks = {c};
  EXPECT_EQ(csv_report(e, {g}),
            "submission,\"size, at 31\",total,max_score,sandbox,run\n"
            "alice/script1.py,0.5,0.5,2,seccomp + rlimits,exited\n");
  const auto gs = nlohmann::json::parse(gradescope_results(e, g));
  EXPECT_EQ(gs["score"], 0.5);
  EXPECT_EQ(gs["tests"][0]["max_score"], 2);
  EXPECT_EQ(gs["tests"][0]["visibility"], "after_due_date");
  EXPECT_EQ(gs["tests"][0]["status"], "failed");
  EXPECT_NE(gs["output"].get<std::string>().find("sandbox: seccomp + rlimits"), std::string::npos);
  const std::string table = terminal_report(e, g);
  EXPECT_NE(table.find("0.5/2"), std::string::npos);
  EXPECT_NE(table.find("frame 31: blur1.size was 3.2, expected 1"), std::string::npos);
}

}  // namespace
}  // namespace netcook::grading
