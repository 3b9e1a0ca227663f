// CheckedFile (the IOProxy every image is written through) and the write
// failures it turns into IoError: buffered writes land at the right offsets
// whatever the mix of seeks and pwrites, and a failed write or a file past
// RLIMIT_FSIZE is reported with its errno for every image format.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "file_size_limit.h"
#include "netcook/io/checked_file.h"
#include "netcook/io/image_writer.h"
#include "temp_dir_test.h"

namespace netcook {
namespace {

namespace fs = std::filesystem;
using io_detail::CheckedFile;
using testing_support::FileSizeLimit;

class IoCheckedFile : public testing_support::TempDirTest {};

std::vector<unsigned char> file_bytes(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST_F(IoCheckedFile, WritesSeeksAndPwritesLandWhereAsked) {
  // A model of the file (a plain byte vector) next to the proxy, driven by
  // the same random mix of small and large writes, seeks and pwrites.
  std::vector<unsigned char> model;
  CheckedFile file(path("f.bin"));
  ASSERT_EQ(file.first_errno(), 0);
  std::mt19937 rng(7);
  auto put = [&](size_t at, const std::vector<unsigned char>& bytes) {
    if (model.size() < at + bytes.size()) model.resize(at + bytes.size(), 0);
    std::copy(bytes.begin(), bytes.end(), model.begin() + static_cast<std::ptrdiff_t>(at));
  };
  for (int step = 0; step < 400; ++step) {
    // Sizes from a few bytes to more than the 1 MiB buffer.
    const size_t n = (rng() % 4 == 0) ? 1 + rng() % (3u << 20) / 4 : 1 + rng() % 64;
    std::vector<unsigned char> bytes(n);
    for (auto& b : bytes) b = static_cast<unsigned char>(rng());
    switch (rng() % 6) {
      case 0: {  // seek somewhere already written (as TIFF and PNG headers do)
        const int64_t to = model.empty() ? 0 : static_cast<int64_t>(rng() % model.size());
        ASSERT_TRUE(file.seek(to));
        break;
      }
      case 1: {
        const size_t at = model.empty() ? 0 : rng() % model.size();
        ASSERT_EQ(file.pwrite(bytes.data(), n, static_cast<int64_t>(at)), n);
        put(at, bytes);
        break;
      }
      default: {
        const size_t at = static_cast<size_t>(file.tell());
        ASSERT_EQ(file.write(bytes.data(), n), n);
        put(at, bytes);
      }
    }
    if (step % 50 == 0) {  // reads see what was written, buffered or not
      ASSERT_EQ(file.size(), model.size());
      if (!model.empty()) {
        const size_t at = rng() % model.size();
        unsigned char b = 0;
        ASSERT_EQ(file.pread(&b, 1, static_cast<int64_t>(at)), 1u);
        ASSERT_EQ(b, model[at]) << "offset " << at;
      }
    }
  }
  EXPECT_EQ(file.finish(true), 0);
  EXPECT_EQ(file_bytes(path("f.bin")), model);
}

TEST_F(IoCheckedFile, AFailedWriteIsKeptUntilFinish) {
  // /dev/full accepts the open and fails every write with ENOSPC.
  CheckedFile file("/dev/full");
  ASSERT_EQ(file.first_errno(), 0);
  const std::vector<unsigned char> bytes(100, 1);
  // Small writes are buffered, so the failure shows when they are flushed.
  EXPECT_EQ(file.write(bytes.data(), bytes.size()), bytes.size());
  EXPECT_EQ(file.finish(false), ENOSPC);
  EXPECT_EQ(file.first_errno(), ENOSPC);
}

TEST_F(IoCheckedFile, AnUnopenableFileIsAnError) {
  CheckedFile file(path("no/such/folder/f.bin"));
  EXPECT_EQ(file.first_errno(), ENOENT);
  const char b = 0;
  EXPECT_EQ(file.write(&b, 1), 0u);
  EXPECT_EQ(file.finish(false), ENOENT);
}

TEST_F(IoCheckedFile, EveryImageFormatReportsAFileTooLarge) {
  std::vector<float> px(128 * 128 * 4);
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  for (auto& v : px) v = u(rng);
  const ConstImageView image(px.data(), 128, 128, 128 * 4, 4);
  for (const char* ext : {"png", "exr", "tif", "jpg", "bmp", "tga", "hdr", "webp"}) {
    const std::string file = path(std::string("f.") + ext);
    std::string message = "(no error)";
    {
      const FileSizeLimit limit(4096);  // far below any of these files
      ASSERT_TRUE(limit.ok());
      try {
        write_image(file, image, output_spec_for_path(file));
      } catch (const IoError& e) {
        message = e.what();
      }
    }
    EXPECT_EQ(message, "cannot write " + file + ": File too large") << ext;
    EXPECT_FALSE(fs::exists(file)) << ext;
    for (const auto& e : fs::directory_iterator(dir_)) ADD_FAILURE() << ext << ": left behind " << e.path();
  }
  // The writers ignore SIGXFSZ (else the signal would have ended this test
  // binary before write(2) could return EFBIG).
  struct sigaction action {};
  ASSERT_EQ(::sigaction(SIGXFSZ, nullptr, &action), 0);
  EXPECT_EQ(action.sa_handler, SIG_IGN);
}

}  // namespace
}  // namespace netcook
