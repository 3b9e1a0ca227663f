// netcook farm's library: settings and their precedence, the job plan, the
// batch scripts, the record's round trip and status from the files on disk.
// The Slurm side runs against a real Slurm in tests/farm/.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "netcook/farm/farm_job.h"
#include "netcook/farm/farm_settings.h"
#include "temp_dir_test.h"

namespace netcook::farm {
namespace {

class FarmTest : public testing_support::TempDirTest {
 protected:
  void write(const std::string& name, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(path(name)).parent_path());
    std::ofstream(path(name)) << text;
  }
  Scene scene(const std::string& outputs, const std::string& frames = "1-10") {
    return load_scene_from_string("netcook: 1\nframes: " + frames +
                                      "\nresolution: [8, 8]\nops:\n  noise1: {type: noiseTOP}\noutputs:\n" + outputs,
                                  path("shot.yaml"), nullptr);
  }
};

TEST_F(FarmTest, ProjectFileSettingsAreReadAndCheckedWithLocations) {
  write("netcook.yaml", "farm:\n  partition: render\n  mem: 4G\n  cpus_per_task: 2\n  sbatch_args: [--qos=low]\n");
  const FarmSettings s = read_project_settings(path("netcook.yaml"));
  EXPECT_EQ(s.partition.value_or(""), "render");
  EXPECT_EQ(s.mem.value_or(""), "4G");
  EXPECT_EQ(s.cpus_per_task.value_or(0), 2);
  EXPECT_EQ(s.sbatch_args, std::vector<std::string>{"--qos=low"});

  write("bad.yaml", "farm:\n  partiton: render\n  chunks: -3\n");
  try {
    read_project_settings(path("bad.yaml"));
    FAIL() << "no error";
  } catch (const SceneError& e) {
    ASSERT_EQ(e.diagnostics().size(), 2u);
    EXPECT_EQ(e.diagnostics()[0].where.line, 2);
    EXPECT_EQ(e.diagnostics()[0].where.column, 3);
    EXPECT_NE(e.diagnostics()[0].message.find("did you mean 'partition'"), std::string::npos);
    EXPECT_EQ(e.diagnostics()[1].where.line, 3);
    EXPECT_NE(e.diagnostics()[1].message.find("whole number of 1 or more"), std::string::npos);
  }
}

TEST_F(FarmTest, ProjectFileIsFoundUpwardFromTheScene) {
  write("netcook.yaml", "farm: {}\n");
  std::filesystem::create_directories(path("shots/a"));
  EXPECT_EQ(find_project_file(path("shots/a")), path("netcook.yaml"));
}

TEST_F(FarmTest, LaterSourcesWinAndSbatchArgumentsAddUp) {
  FarmSettings file, env, cli;
  file.partition = "a";
  file.mem = "1G";
  file.chunks = 4;
  file.sbatch_args = {"--qos=low"};
  env.partition = "b";
  env.chunk_size = 10;
  cli.partition = "c";
  cli.sbatch_args = {"--account=x"};
  const FarmSettings merged = merge_settings(merge_settings(file, env), cli);
  EXPECT_EQ(*merged.partition, "c");
  EXPECT_EQ(*merged.mem, "1G");
  EXPECT_FALSE(merged.chunks);  // chunk_size replaced the choice
  EXPECT_EQ(merged.chunk_size.value_or(0), 10);
  EXPECT_EQ(merged.sbatch_args, (std::vector<std::string>{"--qos=low", "--account=x"}));
}

TEST_F(FarmTest, EnvironmentSettings) {
  ::setenv("NETCOOK_FARM_MEM", "2G", 1);
  ::setenv("NETCOOK_FARM_SBATCH_ARGS", "--qos=high  --account=vfx", 1);
  const FarmSettings s = read_environment_settings();
  EXPECT_EQ(s.mem.value_or(""), "2G");
  EXPECT_EQ(s.sbatch_args, (std::vector<std::string>{"--qos=high", "--account=vfx"}));
  ::setenv("NETCOOK_FARM_CHUNKS", "0", 1);
  EXPECT_THROW(read_environment_settings(), SceneError);
  ::unsetenv("NETCOOK_FARM_MEM");
  ::unsetenv("NETCOOK_FARM_SBATCH_ARGS");
  ::unsetenv("NETCOOK_FARM_CHUNKS");
}

TEST_F(FarmTest, PlanScriptsRecordAndStatusFromDisk) {
  const Scene s = scene("  - {op: noise1, path: " + path("out/f.####.png") + "}\n  - {op: noise1, path: " +
                        path("out/it's.mp4") + ", quality: 70}\n");
  SubmitRequest request;
  request.scene = path("shot.yaml");
  request.settings.chunks = 3;
  request.settings.mem = "1G";
  request.sets = {"noise1.period=2"};
  request.netcook = "/opt/netcook";
  FarmJob job = plan_job(s, request);
  EXPECT_EQ(job.folder, path("out/.netcook-farm/shot"));
  EXPECT_EQ(job.frames, "1-10");
  EXPECT_EQ(job.chunks, 3);
  ASSERT_EQ(job.outputs.size(), 2u);
  EXPECT_FALSE(job.outputs[0].movie);
  EXPECT_EQ(job.outputs[1].frames_pattern, job.folder + "/frames/it's.####.exr");

  const std::string script = render_script_text(job);
  EXPECT_NE(script.find("#SBATCH --mem=1G"), std::string::npos);
  EXPECT_NE(script.find("--chunk \"$chunk/3\" --skip-existing --progress log"), std::string::npos);
  EXPECT_NE(script.find("--set 'noise1.period=2'"), std::string::npos);
  EXPECT_NE(script.find("--movies-as-frames '" + job.folder + "/frames'"), std::string::npos);
  const std::string encode = encode_scene_text(job, s);
  EXPECT_NE(encode.find("quality: 70"), std::string::npos);
  EXPECT_NE(encode.find("type: moviefileinTOP"), std::string::npos);

  write_job_files(job, s);
  const FarmJob loaded = load_job(job.folder);
  EXPECT_EQ(record_text(loaded), record_text(job));

  // Chunk 1 is frames 1-4: on disk for both outputs, it is done; nothing
  // was submitted, so the rest is missing.
  for (int f = 1; f <= 4; ++f)
    for (const auto& out : job.outputs) write(expand_frame_path(out.frames_pattern, f).substr(dir_.string().size() + 1), "x");
  const JobStatus status = job_status(loaded);
  EXPECT_EQ(status.frames_total, 10);
  EXPECT_EQ(status.frames_done, 4);
  ASSERT_EQ(status.chunks.size(), 3u);
  EXPECT_EQ(status.chunks[0].state, ChunkState::Done);
  EXPECT_EQ(status.chunks[1].state, ChunkState::Missing);
  EXPECT_TRUE(status.encode.needed);
  EXPECT_FALSE(status.complete());
}

TEST_F(FarmTest, TwoMoviesWithOneNameAreRefused) {
  EXPECT_THROW(plan_job(scene("  - {op: noise1, path: " + path("a/m.mp4") + "}\n  - {op: noise1, path: " +
                              path("b/m.mov") + "}\n"),
                        SubmitRequest{path("shot.yaml"), std::nullopt, {}, {}, {}, "netcook"}),
               SceneError);
}

}  // namespace
}  // namespace netcook::farm
