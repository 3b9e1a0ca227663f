// PNG encode of one 1080p RGBA8 frame, in memory, one thread (writers run
// one per core): netcook's writer (libdeflate, io/png_writer.h) beside
// OpenImageIO's (libpng + zlib) at the same level and filter. Time is ms per
// frame; the counter `bytes` is the file's size.
//
// Built-in frames: uniform noise (the frame of issue 16, nearly
// incompressible) and "render-like" (docs/output-formats.md: a smooth
// gradient per channel plus +-1% noise, alpha 1), where the filters matter.
//
// NETCOOK_BENCH_PNG_FRAMES=name=file.png,name2=file2.png adds
// BM_PngFile/<name>/<writer>/<level>/<filter> for frames read from files
// (8-bit RGBA after reading): bench/end_to_end.py passes the quickstart
// frame and its own noise frame, and times cv2.imencode on the same pixels,
// so the three writers are compared in one run.
#include <benchmark/benchmark.h>

#include <OpenImageIO/filesystem.h>
#include <OpenImageIO/imageio.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "netcook/io/png_writer.h"

namespace netcook {
namespace {

constexpr int kW = 1920, kH = 1080;

const std::vector<uint8_t>& builtin_frame(bool render_like) {
  static const std::vector<uint8_t> frames[2] = {[] {
    std::vector<uint8_t> v(size_t(kW) * kH * 4);
    std::mt19937 rng(5);
    for (auto& b : v) b = static_cast<uint8_t>(rng());
    return v;
  }(), [] {
    std::vector<uint8_t> v(size_t(kW) * kH * 4);
    std::mt19937 rng(6);
    std::uniform_real_distribution<float> u(-0.01f, 0.01f);
    for (int y = 0; y < kH; ++y)
      for (int x = 0; x < kW; ++x) {
        uint8_t* p = &v[(size_t(y) * kW + x) * 4];
        const float g[3] = {float(x) / kW, float(y) / kH, float(x + y) / (kW + kH)};
        for (int c = 0; c < 3; ++c) p[c] = static_cast<uint8_t>(std::clamp(g[c] + u(rng), 0.0f, 1.0f) * 255.0f + 0.5f);
        p[3] = 255;
      }
    return v;
  }()};
  return frames[render_like ? 1 : 0];
}

struct Frame {
  const uint8_t* pixels;
  int width, height;
};

void encode_netcook(benchmark::State& state, Frame f, int level, int filter, bool fast = false) {
  io_detail::PngEncodeOptions opts{level, filter};
  opts.fast = fast;  // `compression: fast`: igzip level 1
  // The bytes land in a reused vector, as OpenImageIO's below land in one.
  std::vector<uint8_t> out;
  for (auto _ : state) {
    out.clear();
    io_detail::encode_png(
        f.width, f.height, 4, 8, opts,
        [&](int y, uint8_t* row) { std::copy_n(f.pixels + size_t(y) * f.width * 4, size_t(f.width) * 4, row); },
        [&](const uint8_t* data, size_t size) { out.insert(out.end(), data, data + size); });
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["bytes"] = static_cast<double>(out.size());
}

void encode_openimageio(benchmark::State& state, Frame f, int level, int filter) {
  size_t bytes = 0;
  for (auto _ : state) {
    std::vector<unsigned char> out;
    OIIO::Filesystem::IOVecOutput proxy(out);
    auto writer = OIIO::ImageOutput::create("png");
    writer->set_ioproxy(&proxy);
    OIIO::ImageSpec spec(f.width, f.height, 4, OIIO::TypeDesc::UINT8);
    spec.attribute("oiio:UnassociatedAlpha", 1);
    spec.attribute("png:compressionLevel", level);
    // libpng's flags: PNG_FILTER_NONE 0x08, SUB 0x10, UP 0x20, AVG 0x40,
    // PAETH 0x80; all of them = 0xf8 (the adaptive choice).
    spec.attribute("png:filter", filter < 0 ? 0xf8 : 0x08 << filter);
    if (!writer->open("frame.png", spec) || !writer->write_image(OIIO::TypeDesc::UINT8, f.pixels) ||
        !writer->close()) {
      state.SkipWithError("OpenImageIO could not encode");
      return;
    }
    bytes = out.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}

// Args: level, filter (0..4 fixed, -1 adaptive).
void BM_PngEncodeNetcook(benchmark::State& state, bool render_like) {
  encode_netcook(state, {builtin_frame(render_like).data(), kW, kH}, static_cast<int>(state.range(0)),
                 static_cast<int>(state.range(1)));
}
void BM_PngEncodeOpenImageIO(benchmark::State& state, bool render_like) {
  encode_openimageio(state, {builtin_frame(render_like).data(), kW, kH}, static_cast<int>(state.range(0)),
                     static_cast<int>(state.range(1)));
}
// Level 1 is netcook's default (sub filter); 6 and 9 use the adaptive choice.
#define NETCOOK_PNG_ARGS Args({1, 1})->Args({6, -1})->Args({9, -1})->Unit(benchmark::kMillisecond)->UseRealTime()
BENCHMARK_CAPTURE(BM_PngEncodeNetcook, noise, false)->NETCOOK_PNG_ARGS->Args({12, -1});
BENCHMARK_CAPTURE(BM_PngEncodeNetcook, render_like, true)->NETCOOK_PNG_ARGS->Args({12, -1});
// `compression: fast` (igzip level 1, up filter).
void BM_PngEncodeNetcookFast(benchmark::State& state, bool render_like) {
  encode_netcook(state, {builtin_frame(render_like).data(), kW, kH}, 1, 2, true);
}
BENCHMARK_CAPTURE(BM_PngEncodeNetcookFast, noise, false)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_PngEncodeNetcookFast, render_like, true)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_PngEncodeOpenImageIO, noise, false)->NETCOOK_PNG_ARGS;
BENCHMARK_CAPTURE(BM_PngEncodeOpenImageIO, render_like, true)->NETCOOK_PNG_ARGS;
#undef NETCOOK_PNG_ARGS

// The frames named in NETCOOK_BENCH_PNG_FRAMES, kept for the whole run.
std::vector<std::vector<uint8_t>>& file_frames() {
  static std::vector<std::vector<uint8_t>> frames;
  return frames;
}

bool register_file_frames() {
  const char* list = std::getenv("NETCOOK_BENCH_PNG_FRAMES");
  if (!list) return false;
  std::string all = list;
  size_t at = 0;
  while (at <= all.size()) {
    const size_t comma = std::min(all.find(',', at), all.size());
    const std::string item = all.substr(at, comma - at);
    at = comma + 1;
    const size_t eq = item.find('=');
    if (eq == std::string::npos) continue;
    const std::string name = item.substr(0, eq), file = item.substr(eq + 1);
    OIIO::ImageSpec config;
    config.attribute("oiio:UnassociatedAlpha", 1);  // the samples as stored, not premultiplied
    auto in = OIIO::ImageInput::open(file, &config);
    if (!in || in->spec().nchannels != 4) {
      std::fprintf(stderr, "NETCOOK_BENCH_PNG_FRAMES: cannot read %s as RGBA\n", file.c_str());
      std::exit(1);
    }
    const int w = in->spec().width, h = in->spec().height;
    file_frames().emplace_back(size_t(w) * h * 4);
    if (!in->read_image(0, 0, 0, 4, OIIO::TypeDesc::UINT8, file_frames().back().data())) std::exit(1);
    const Frame f{file_frames().back().data(), w, h};
    for (int level : {1, 6, 9}) {
      // Level 1: sub, netcook's default there; 6 and 9: the adaptive choice.
      const int filter = level == 1 ? 1 : -1;
      const std::string args = "/" + std::to_string(level) + "/" + std::to_string(filter);
      benchmark::RegisterBenchmark(("BM_PngFile/" + name + "/netcook" + args).c_str(), encode_netcook, f, level, filter,
                                   false)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime();
      benchmark::RegisterBenchmark(("BM_PngFile/" + name + "/openimageio" + args).c_str(), encode_openimageio, f,
                                   level, filter)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime();
    }
    // netcook only: every fixed filter at level 1 (what the default could
    // be), and the other fast levels with sub (what level 1 could map to).
    const std::pair<int, int> extra[] = {{1, -1}, {1, 0}, {1, 2}, {1, 3}, {1, 4}, {0, 1}, {2, 1}, {3, 1}, {4, -1}};
    for (auto [level, filter] : extra)
      benchmark::RegisterBenchmark(
          ("BM_PngFile/" + name + "/netcook/" + std::to_string(level) + "/" + std::to_string(filter)).c_str(),
          encode_netcook, f, level, filter, false)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime();
    // `compression: fast`: igzip level 1 with the up filter.
    benchmark::RegisterBenchmark(("BM_PngFile/" + name + "/netcook-fast/1/2").c_str(), encode_netcook, f, 1, 2, true)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  return true;
}
const bool registered_file_frames = register_file_frames();

}  // namespace
}  // namespace netcook
