// The media loader (io/media.h): each entry point is found in the library
// its name prefix names, and failures name the library and the entry point.
#include <gtest/gtest.h>

#include <string>

#include "netcook/io/audio_reader.h"
#include "netcook/io/image_writer.h"
#include "netcook/io/media.h"
#include "netcook/io/video_reader.h"
#include "netcook/io/video_writer.h"

namespace netcook {
namespace {

std::string failure(const char* name) {
  try {
    io_detail::media_symbol(name);
  } catch (const IoError& e) {
    return e.what();
  }
  return "";
}

TEST(IoMedia, EveryEntryPointIsFoundInTheLibraryItsPrefixNames) {
  // #function keeps the list in step with the declarations: a renamed
  // entry point stops this compiling.
#define NETCOOK_EXPECT_ENTRY(function)                                                         \
  EXPECT_EQ(reinterpret_cast<void*>(io_detail::media_function<decltype(function)>(#function)), \
            io_detail::media_symbol(#function))                                                \
      << #function;                                                                            \
  EXPECT_NE(io_detail::media_symbol(#function), nullptr) << #function
  NETCOOK_EXPECT_ENTRY(netcook_video_open_writer);
  NETCOOK_EXPECT_ENTRY(netcook_video_open_writer_with_audio);
  NETCOOK_EXPECT_ENTRY(netcook_video_read_info);
  NETCOOK_EXPECT_ENTRY(netcook_video_check_settings);
  NETCOOK_EXPECT_ENTRY(netcook_video_read_audio);
  NETCOOK_EXPECT_ENTRY(netcook_video_open_movie);
  NETCOOK_EXPECT_ENTRY(netcook_image_write);
  NETCOOK_EXPECT_ENTRY(netcook_image_read_info);
  NETCOOK_EXPECT_ENTRY(netcook_image_read_rgba);
  NETCOOK_EXPECT_ENTRY(netcook_image_open_sequence);
#undef NETCOOK_EXPECT_ENTRY
}

TEST(IoMedia, AnEntryPointAbsentFromItsLibraryIsNamedWithTheLibrary) {
  // The image library's entry points are not in the video library.
  const std::string video = failure("netcook_video_write");
  EXPECT_NE(video.find("(loaded as libnetcook_video.so) has no entry point netcook_video_write"), std::string::npos)
      << video;
  const std::string image = failure("netcook_image_open_movie");
  EXPECT_NE(image.find("(loaded as libnetcook_image.so) has no entry point netcook_image_open_movie"),
            std::string::npos)
      << image;
}

TEST(IoMedia, ANameWithoutALibraryPrefixIsRefused) {
  const std::string message = failure("netcook_media_open_footage");
  EXPECT_NE(message.find("no media library holds entry point netcook_media_open_footage"), std::string::npos)
      << message;
}

}  // namespace
}  // namespace netcook
