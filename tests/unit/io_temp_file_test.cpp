// Temporary file names and the removal of a killed render's leftovers.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "netcook/io/temp_file.h"
#include "temp_dir_test.h"

namespace netcook {
namespace {

using io_detail::remove_stale_temp_files;
using io_detail::temp_file_pid;

class IoTempFile : public testing_support::TempDirTest {
 protected:
  void touch(const std::string& name) { std::ofstream(path(name)) << "partial"; }
  bool exists(const std::string& name) const { return std::filesystem::exists(dir_ / name); }
};

// A PID that is certainly not running: a child that has exited and been reaped.
long dead_pid() {
  const pid_t child = fork();
  if (child == 0) _exit(0);
  int status = 0;
  waitpid(child, &status, 0);
  return child;
}

TEST(TempFileName, ReadsThePidOfNetcooksOwnNames) {
  EXPECT_EQ(temp_file_pid(".frame.0001.png.tmp-1234-0.png"), 1234);
  EXPECT_EQ(temp_file_pid(".movie.mp4.tmp-77-12.mp4"), 77);
  EXPECT_EQ(temp_file_pid(".noext.tmp-5-3"), 5);
  EXPECT_EQ(temp_file_pid(".a.tmp-1.tmp-9-0.tmp-1"), 0);  // the extension must repeat NAME's
  for (const char* other : {"frame.0001.png", ".frame.png.tmp-x-0.png", ".frame.png.tmp-12-.png",
                            ".frame.png.tmp-12-0.exr", ".frame.png.tmp--0.png", ".hidden", "..tmp-1-0",
                            ".frame.png.tmp-1234567890-0.png"})
    EXPECT_EQ(temp_file_pid(other), 0) << other;
}

TEST(TempFileName, TheNamesWritersUseAreRecognised) {
  const std::string temp = io_detail::prepare_temp_path("/tmp/some/f.0007.exr");
  const std::string name = std::filesystem::path(temp).filename().string();
  EXPECT_EQ(temp_file_pid(name), static_cast<long>(getpid())) << name;
}

TEST_F(IoTempFile, RemovesOnlyTheFilesOfProcessesThatAreGone) {
  const long gone = dead_pid();
  const std::string stale = ".f.0001.png.tmp-" + std::to_string(gone) + "-0.png";
  const std::string stale_movie = ".m.mov.tmp-" + std::to_string(gone) + "-4.mov";
  const std::string mine = ".f.0002.png.tmp-" + std::to_string(getpid()) + "-1.png";
  const std::string parent = ".f.0003.png.tmp-" + std::to_string(getppid()) + "-0.png";
  for (const auto& name : {stale, stale_movie, mine, parent, std::string(".hidden"), std::string("f.0004.png")})
    touch(name);
  EXPECT_EQ(remove_stale_temp_files(dir_.string()), 2);
  EXPECT_FALSE(exists(stale));
  EXPECT_FALSE(exists(stale_movie));
  EXPECT_TRUE(exists(mine));    // this process is writing it
  EXPECT_TRUE(exists(parent));  // a live process's
  EXPECT_TRUE(exists(".hidden"));
  EXPECT_TRUE(exists("f.0004.png"));
}

TEST_F(IoTempFile, TheFirstWriteIntoAFolderCleansIt) {
  const std::string stale = ".f.0001.png.tmp-" + std::to_string(dead_pid()) + "-0.png";
  touch(stale);
  io_detail::prepare_temp_path(path("f.0001.png"));
  EXPECT_FALSE(exists(stale));
}

TEST_F(IoTempFile, AMissingFolderIsNotAnError) { EXPECT_EQ(remove_stale_temp_files(path("absent")), 0); }

}  // namespace
}  // namespace netcook
