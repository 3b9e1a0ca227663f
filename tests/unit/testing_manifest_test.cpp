// Test manifests: what a case holds once loaded, and the diagnostics.
#include <gtest/gtest.h>

#include <fstream>

#include "netcook/testing/manifest.h"
#include "temp_dir_test.h"

namespace netcook::testing {
namespace {

class ManifestTest : public testing_support::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    std::ofstream(path("scene.yaml")) << "netcook: 1\n";
    std::ofstream(path("alt.py")) << "print(1)\n";
  }
  Manifest load(const std::string& text) { return load_manifest_from_string(text, path("netcook-tests.yaml"), 60); }
  std::vector<std::string> errors(const std::string& text) {
    try {
      load(text);
    } catch (const SceneError& e) {
      std::vector<std::string> out;
      for (const auto& d : e.diagnostics()) out.push_back(d.format());
      return out;
    }
    return {};
  }
};

TEST_F(ManifestTest, DefaultsThenCaseKeys) {
  const Manifest m = load(
      "netcook-tests: 1\n"
      "defaults: {frames: 1-3, fail: 0.01, set: {a.b: 1, a.c: [1, 2]}, timeout: 9}\n"
      "cases:\n"
      "  one: {scene: scene.yaml}\n"
      "  two:\n"
      "    scene: scene.yaml\n"
      "    frames: [7, 2-4, 3]\n"
      "    set: {a.b: \"x y\"}\n"
      "    text: {dat1: alt.py}\n"
      "    compare: top1\n"
      "    golden: g/two\n"
      "    format: exr\n"
      "    min_ssim: 0.9\n"
      "    expect_stdout: [hello, {regex: 'h.*'}]\n");
  ASSERT_EQ(m.cases.size(), 2u);
  const TestCase& one = m.cases[0];
  EXPECT_EQ(one.name, "one");
  EXPECT_EQ(one.scene, dir_.string() + "/scene.yaml");
  EXPECT_EQ(one.frames, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(one.sets, (std::vector<std::string>{"a.b=1", "a.c=[1, 2]"}));
  EXPECT_EQ(one.golden_dir, dir_.string() + "/golden/one");
  EXPECT_EQ(one.format, GoldenFormat::Png16);
  EXPECT_DOUBLE_EQ(one.thresholds.fail, 0.01);
  EXPECT_DOUBLE_EQ(one.timeout_seconds, 9);
  const TestCase& two = m.cases[1];
  EXPECT_EQ(two.frames, (std::vector<int>{2, 3, 4, 7}));
  EXPECT_EQ(two.sets, (std::vector<std::string>{"a.c=[1, 2]", "a.b=\"x y\""}));
  EXPECT_EQ(two.texts, (std::vector<std::string>{"dat1=" + dir_.string() + "/alt.py"}));
  EXPECT_EQ(two.compare, (std::vector<std::string>{"top1"}));
  EXPECT_EQ(two.golden_dir, dir_.string() + "/g/two");
  EXPECT_EQ(two.format, GoldenFormat::Exr);
  EXPECT_EQ(two.thresholds.min_ssim, 0.9);
  ASSERT_EQ(two.expect_stdout.size(), 2u);
  EXPECT_FALSE(two.expect_stdout[0].regex);
  EXPECT_TRUE(two.expect_stdout[1].regex);
  EXPECT_EQ(two.where.line, 5);
}

TEST_F(ManifestTest, EveryProblemAtItsLine) {
  const auto e = errors(
      "netcook-tests: 1\n"
      "defaults: {golden: x}\n"
      "cases:\n"
      "  a: {scene: scene.yaml, fial: 1}\n"
      "  b: {scene: missing.yaml}\n"
      "  c: {frames: 1}\n"
      "  d: {scene: scene.yaml, allowfailures: -1, timeout: 0}\n");
  const std::string f = path("netcook-tests.yaml");
  ASSERT_EQ(e.size(), 6u) << ::testing::PrintToString(e);
  EXPECT_EQ(e[0], f + ":2:12: error: unknown key 'golden' in defaults (golden belongs to each case, not defaults)");
  EXPECT_EQ(e[1].rfind(f + ":4:26: error: unknown key 'fial' in case 'a'; did you mean 'fail'", 0), 0u) << e[1];
  EXPECT_EQ(e[2].rfind(f + ":5:14: error: scene file 'missing.yaml' not found", 0), 0u) << e[2];
  EXPECT_EQ(e[3], f + ":6:3: error: case 'c' needs 'scene:' (the scene file to render)");
  EXPECT_EQ(e[4], f + ":7:41: error: allowfailures must be a whole number >= 0, not the number -1");
  EXPECT_EQ(e[5].rfind(f + ":7:54: error: timeout must be", 0), 0u) << e[5];
}

TEST_F(ManifestTest, FindsManifestsSkippingHiddenFolders) {
  std::filesystem::create_directories(dir_ / "a/b");
  std::filesystem::create_directories(dir_ / ".git/x");
  std::ofstream((dir_ / "a/b" / kManifestName).string()) << "";
  std::ofstream((dir_ / kManifestName).string()) << "";
  std::ofstream((dir_ / ".git/x" / kManifestName).string()) << "";
  const auto found = find_manifests(dir_.string());
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0], (dir_ / "a/b" / kManifestName).string());
  EXPECT_EQ(found[1], (dir_ / kManifestName).string());
}

TEST(GoldenFileName, PadsFrames) {
  EXPECT_EQ(golden_file_name("level1", 3, GoldenFormat::Png16), "level1.0003.png");
  EXPECT_EQ(golden_file_name("a", 12345, GoldenFormat::Exr), "a.12345.exr");
}

}  // namespace
}  // namespace netcook::testing
