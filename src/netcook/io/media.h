// Internal to io/: the two media libraries, the parts of io/ that use libav
// and OpenImageIO, each loaded on first use.
//
// Debian's OpenImageIO pulls in some 260 shared libraries (OpenCV, GDAL,
// DCMTK, OpenVDB), libav a few dozen codec libraries; loading them took
// ~90% of a short render's start-up. So the .cpp files that use them are
// built into two libraries that the rest of netcook reaches through entry
// points this loader finds with dlsym:
//   - libnetcook_video.so (NETCOOK_VIDEO_SOURCES in io/CMakeLists.txt):
//     libav only; movies written and read, sound read. Entry points are
//     named netcook_video_*.
//   - libnetcook_image.so (NETCOOK_IMAGE_SOURCES): OpenImageIO; image
//     files other than PNG written, any image file read, image sequences
//     read as footage. Entry points are named netcook_image_*.
// The prefix of an entry point's name is the library it is looked up in.
// `netcook --version`, `ops`, `info`, scene checking and PNG renders
// (netcook's own PNG writer needs only libdeflate) load neither; movie
// renders and Movie File In on a movie load only the video library.
//
// Adding a file that uses OpenImageIO or libav:
//   1. list its .cpp in NETCOOK_IMAGE_SOURCES (OpenImageIO) or
//      NETCOOK_VIDEO_SOURCES (libav; never OpenImageIO) in io/CMakeLists.txt;
//   2. its header exposes no OpenImageIO/libav type; the functions other
//      code calls are declared NETCOOK_MEDIA_ENTRY (extern "C", C++ types
//      allowed; classes behind an abstract interface the entry returns)
//      and named netcook_image_* or netcook_video_* after their library;
//   3. callers outside that library call them as
//      NETCOOK_MEDIA_CALL(netcook_video_name, args...), which loads the
//      library on first use. Code inside the same library calls them
//      directly; code in the other library goes through NETCOOK_MEDIA_CALL
//      too, so that library loads only when it is needed.
#pragma once

#include <string>

#define NETCOOK_MEDIA_ENTRY extern "C" __attribute__((visibility("default")))
#define NETCOOK_MEDIA_CALL(function, ...) \
  (::netcook::io_detail::media_function<decltype(function)>(#function)(__VA_ARGS__))

namespace netcook::io_detail {

// The address of entry point `name` ("netcook_video_..." or
// "netcook_image_..."), loading its library first if needed (once per
// library, thread-safe). Throws IoError naming the library and the entry
// point when either cannot be found. libnetcook_KIND.so is looked for in
// $NETCOOK_KIND_LIBRARY (a path: NETCOOK_VIDEO_LIBRARY, NETCOOK_IMAGE_LIBRARY),
// beside the loaded netcook code (lib/, ../lib/), then in the build and
// install directories.
void* media_symbol(const char* name);

template <class Function>
Function* media_function(const char* name) {
  return reinterpret_cast<Function*>(media_symbol(name));
}

}  // namespace netcook::io_detail
