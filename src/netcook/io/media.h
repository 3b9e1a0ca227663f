// Internal to io/: libnetcook_media.so, the part of io/ that uses
// OpenImageIO and libav, loaded on first use.
//
// Debian's OpenImageIO and libav pull in some 260 shared libraries
// (OpenCV, GDAL, DCMTK, OpenVDB, codecs); loading them took ~90% of a
// short render's start-up. So the .cpp files that use them are built into
// libnetcook_media.so (NETCOOK_MEDIA_SOURCES in io/CMakeLists.txt) and the
// rest of netcook reaches them through entry points that this loader finds
// with dlsym: `netcook --version`, `ops`, `info`, scene checking and PNG
// renders (netcook's own PNG writer needs only libdeflate) never load them.
//
// Adding a file that uses OpenImageIO or libav:
//   1. list its .cpp in NETCOOK_MEDIA_SOURCES (io/CMakeLists.txt);
//   2. its header exposes no OpenImageIO/libav type; the functions other
//      code calls are declared NETCOOK_MEDIA_ENTRY (extern "C", C++ types
//      allowed; classes behind an abstract interface the entry returns);
//   3. callers outside the media library call them as
//      NETCOOK_MEDIA_CALL(netcook_media_name, args...), which loads the
//      library on first use. Code inside it calls them directly.
#pragma once

#include <string>

#define NETCOOK_MEDIA_ENTRY extern "C" __attribute__((visibility("default")))
#define NETCOOK_MEDIA_CALL(function, ...) \
  (::netcook::io_detail::media_function<decltype(function)>(#function)(__VA_ARGS__))

namespace netcook::io_detail {

// The address of entry point `name`, loading the library first if needed
// (once, thread-safe). Throws IoError when the library or the entry point
// cannot be found. The library is looked for in $NETCOOK_MEDIA_LIBRARY
// (a path), beside the loaded netcook code (lib/, ../lib/), then in the
// build and install directories.
void* media_symbol(const char* name);

template <class Function>
Function* media_function(const char* name) {
  return reinterpret_cast<Function*>(media_symbol(name));
}

// Whether the media library has been loaded in this process.
bool media_loaded();

}  // namespace netcook::io_detail
