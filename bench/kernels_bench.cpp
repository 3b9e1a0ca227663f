// Kernel benchmarks at 1920x1080 RGBA float32 on 2 threads.
//
// Counters: GB/s = bytes read + written per second (src once + dst once;
// generators only write), fps = frames per second, bw_fraction = that
// traffic's share of this machine's measured copy bandwidth (1.0 = as fast
// as memcpy of the same bytes), x_stream_time = time / time to stream the
// bytes (its inverse). The copy bandwidth is measured in-process first
// (BM_StreamCopy reports it).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <random>
#include <vector>

#include <OpenImageIO/filesystem.h>
#include <OpenImageIO/imageio.h>

#include "bandwidth.h"
#include "netcook/io/png_writer.h"
#include "netcook/kernels/blur.h"
#include "netcook/kernels/convert.h"
#include "netcook/kernels/fill.h"
#include "netcook/kernels/flip.h"
#include "netcook/kernels/level.h"
#include "netcook/kernels/noise.h"
#include "netcook/kernels/parallel.h"
#include "netcook/kernels/ramp.h"
#include "netcook/kernels/shapes.h"
#include "netcook/kernels/simd_info.h"
#include "netcook/kernels/transform.h"
#include "netcook/text/font.h"

namespace netcook {
namespace {
}  // namespace
constexpr int kThreads = 2;
namespace {

constexpr int kW = 1920, kH = 1080;
constexpr double kFrameBytes = double(kW) * kH * 4 * sizeof(float);

struct Frames {
  std::vector<float> src, dst;
  Frames() : src(size_t(kW) * kH * 4), dst(size_t(kW) * kH * 4, 0.0f) {
    std::mt19937 rng(1);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    for (auto& v : src) v = u(rng);
  }
  ConstImageView in() const { return ConstImageView(src.data(), kW, kH, kW * 4, 4); }
  ImageView out() { return ImageView{dst.data(), kW, kH, kW * 4, 4}; }
};

Frames& frames() {
  static Frames f;
  return f;
}

void report(benchmark::State& state, double bytes_per_frame) {
  const double bw = bench::copy_bandwidth(kThreads);
  const double stream_s = bytes_per_frame / bw;
  using C = benchmark::Counter;
  state.counters["GB/s"] = C(bytes_per_frame / 1e9, C::kIsIterationInvariantRate);
  state.counters["fps"] = C(1.0, C::kIsIterationInvariantRate);
  state.counters["bw_fraction"] = C(stream_s, C::kIsIterationInvariantRate);
  state.counters["x_stream_time"] = C(stream_s, C::kIsIterationInvariantRate | C::kInvert);
  state.SetLabel(simd_target_name());
}

// Every kernel benchmark: wall-clock time (the kernels are multi-threaded),
// milliseconds, and a "min" row when run with --benchmark_repetitions (the
// least disturbed run on a shared machine).
void configure(benchmark::internal::Benchmark* b) {
  b->UseRealTime()->Unit(benchmark::kMillisecond)->ComputeStatistics(
      "min", [](const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); });
}

void BM_StreamCopy(benchmark::State& state) {
  set_thread_count(kThreads);
  const double bw = bench::copy_bandwidth(kThreads);
  for (auto _ : state) benchmark::DoNotOptimize(bw);
  state.counters["copy_GB/s"] = bw / 1e9;
  state.SetLabel(simd_target_name());
}
BENCHMARK(BM_StreamCopy)->Iterations(1);

// memcpy of one 1080p frame into another on 2 threads: the same bytes the
// point kernels move, with the same cache footprint (the frames partly fit
// in a large L3, so this can beat the DRAM copy bandwidth).
void BM_FrameCopy(benchmark::State& state) {
  set_thread_count(kThreads);
  Frames& f = frames();
  const size_t row_bytes = size_t(kW) * 4 * sizeof(float);
  for (auto _ : state) {
    parallel_rows(kH, kW, 0, [&](int y0, int y1) {
      std::memcpy(f.dst.data() + size_t(y0) * kW * 4, f.src.data() + size_t(y0) * kW * 4,
                  row_bytes * (y1 - y0));
    });
    benchmark::ClobberMemory();
  }
  report(state, 2 * kFrameBytes);
}
BENCHMARK(BM_FrameCopy)->Apply(configure);

void BM_Level(benchmark::State& state) {
  set_thread_count(kThreads);
  Frames& f = frames();
  LevelParams p;
  p.brightness1 = 0.1f;
  p.contrast = 1.2f;
  p.inlow = 0.05f;
  p.outhigh = 0.9f;
  p.opacity = 0.8f;
  for (auto _ : state) {
    level(f.in(), f.out(), p);
    benchmark::ClobberMemory();
  }
  report(state, 2 * kFrameBytes);
}
BENCHMARK(BM_Level)->Apply(configure);

void BM_LevelGamma(benchmark::State& state) {
  set_thread_count(kThreads);
  Frames& f = frames();
  LevelParams p;
  p.gamma1 = 2.2f;
  for (auto _ : state) {
    level(f.in(), f.out(), p);
    benchmark::ClobberMemory();
  }
  report(state, 2 * kFrameBytes);
}
BENCHMARK(BM_LevelGamma)->Apply(configure);

void BM_Fill(benchmark::State& state) {
  set_thread_count(kThreads);
  Frames& f = frames();
  const float c[4] = {0.2f, 0.4f, 0.6f, 1.0f};
  for (auto _ : state) {
    fill(f.out(), c);
    benchmark::ClobberMemory();
  }
  report(state, kFrameBytes);
}
BENCHMARK(BM_Fill)->Apply(configure);

// Float to integers, as every 8- and 16-bit writer does before encoding:
// the frame read once, the integers written once. RGBA kept (png, tif, ...)
// and alpha dropped (jpg).
template <class T>
void run_convert(benchmark::State& state, int out_channels) {
  set_thread_count(kThreads);
  Frames& f = frames();
  const std::ptrdiff_t stride = std::ptrdiff_t(kW) * out_channels;
  std::vector<T> out(size_t(stride) * kH);
  for (auto _ : state) {
    if constexpr (sizeof(T) == 1)
      float_to_uint8(f.in(), out_channels, out.data(), stride);
    else
      float_to_uint16(f.in(), out_channels, out.data(), stride);
    benchmark::ClobberMemory();
  }
  report(state, kFrameBytes + double(out.size()) * sizeof(T));
}
void BM_FloatToUint8(benchmark::State& state, int out_channels) { run_convert<uint8_t>(state, out_channels); }
void BM_FloatToUint16(benchmark::State& state, int out_channels) { run_convert<uint16_t>(state, out_channels); }
BENCHMARK_CAPTURE(BM_FloatToUint8, rgba, 4)->Apply(configure);
BENCHMARK_CAPTURE(BM_FloatToUint8, rgb, 3)->Apply(configure);
BENCHMARK_CAPTURE(BM_FloatToUint16, rgba, 4)->Apply(configure);

void BM_Blur(benchmark::State& state, BlurFilter filter) {
  set_thread_count(kThreads);
  Frames& f = frames();
  BlurParams p;
  p.size = static_cast<float>(state.range(0));
  p.filter = filter;
  p.extend = ExtendMode::Hold;
  for (auto _ : state) {
    blur(f.in(), f.out(), p);
    benchmark::ClobberMemory();
  }
  report(state, 2 * kFrameBytes);
}
BENCHMARK_CAPTURE(BM_Blur, gaussian, BlurFilter::Gaussian)
    ->Arg(1)->Arg(5)->Arg(10)->Arg(20)->Arg(40)->Apply(configure);
BENCHMARK_CAPTURE(BM_Blur, box, BlurFilter::Box)
    ->Arg(5)->Arg(20)->Apply(configure);

void BM_Noise(benchmark::State& state, NoiseType type, bool mono) {
  set_thread_count(kThreads);
  Frames& f = frames();
  NoiseParams p;
  p.type = type;
  p.seed = 7;
  p.period = type == NoiseType::Random ? 0.0f : 100.0f;
  p.harmonics = static_cast<int>(state.range(0));
  p.monochrome = mono;
  float tz = 0.0f;
  for (auto _ : state) {
    p.tz = tz;
    tz += 0.01f;
    noise(f.out(), p);
    benchmark::ClobberMemory();
  }
  report(state, kFrameBytes);
}
BENCHMARK_CAPTURE(BM_Noise, harmonic_mono, NoiseType::Harmonic, true)
    ->DenseRange(0, 4)->Apply(configure);
BENCHMARK_CAPTURE(BM_Noise, harmonic_color, NoiseType::Harmonic, false)
    ->Arg(2)->Apply(configure);
BENCHMARK_CAPTURE(BM_Noise, sparse_mono, NoiseType::Sparse, true)
    ->Arg(0)->Arg(2)->Apply(configure);
BENCHMARK_CAPTURE(BM_Noise, random_mono, NoiseType::Random, true)
    ->Arg(0)->Apply(configure);
BENCHMARK_CAPTURE(BM_Noise, random_color, NoiseType::Random, false)
    ->Arg(0)->Apply(configure);

// Generators (Ramp, Circle TOPs): the frame written once.
void BM_Ramp(benchmark::State& state, RampType type) {
  set_thread_count(kThreads);
  Frames& f = frames();
  RampParams p;
  p.type = type;
  p.keys = default_ramp_keys();
  RampKey mid;
  mid.pos = 0.5f;
  mid.rgba[0] = 1.0f;
  p.keys.insert(p.keys.begin() + 1, mid);
  p.interp = static_cast<RampInterp>(state.range(0));
  for (auto _ : state) {
    ramp(f.out(), p);
    benchmark::ClobberMemory();
  }
  report(state, kFrameBytes);
}
BENCHMARK_CAPTURE(BM_Ramp, horizontal, RampType::Horizontal)->Arg(1)->Apply(configure);
BENCHMARK_CAPTURE(BM_Ramp, vertical, RampType::Vertical)->Arg(1)->Apply(configure);
BENCHMARK_CAPTURE(BM_Ramp, radial, RampType::Radial)->Arg(1)->Arg(3)->Apply(configure);
BENCHMARK_CAPTURE(BM_Ramp, circular, RampType::Circular)->Arg(1)->Apply(configure);

// Arg: softness in pixels (0 = exact 1-pixel coverage).
void BM_Circle(benchmark::State& state, bool border) {
  set_thread_count(kThreads);
  Frames& f = frames();
  ShapeParams p;
  p.cx = kW / 2.0, p.cy = kH / 2.0, p.rx = 420, p.ry = 380, p.rotate = 20;
  p.softness = static_cast<double>(state.range(0));
  p.border_width = border ? 12 : 0;
  p.border[3] = 1;
  for (auto _ : state) {
    draw_shape(f.out(), p);
    benchmark::ClobberMemory();
  }
  report(state, kFrameBytes);
}
BENCHMARK_CAPTURE(BM_Circle, fill, false)->Arg(0)->Arg(8)->Apply(configure);
BENCHMARK_CAPTURE(BM_Circle, border, true)->Arg(0)->Apply(configure);

// Text TOP's cook once shaped: 40 characters at 64 px into a 1600x96 image
// (mask cleared, glyphs blitted from the cache, composited). Target < 1 ms.
const char kText40[] = "netcook renders 40 characters of text!!";  // 39 + the frame digit
void BM_Text(benchmark::State& state) {
  set_thread_count(kThreads);
  const int w = 1600, h = 96;
  auto font = text::open_font(text::find_font_family("DejaVu Sans", false, false), 64, 64);
  const text::Layout layout = text::shape(*font, std::string(kText40) + "7", 0);
  std::vector<float> mask(size_t(w) * h), pixels(size_t(w) * h * 4);
  const float fg[4] = {1, 1, 1, 1}, bg[4] = {0, 0, 0, 0};
  text::rasterize(*font, layout, {{8.0, 24.0}}, w, h, mask.data());  // glyph bitmaps cached, as after frame 1
  for (auto _ : state) {
    std::fill(mask.begin(), mask.end(), 0.0f);
    text::rasterize(*font, layout, {{8.0, 24.0}}, w, h, mask.data());
    draw_mask(ImageView{pixels.data(), w, h, w * 4, 4}, mask.data(), w, fg, bg);
    benchmark::ClobberMemory();
  }
  state.counters["glyphs"] = static_cast<double>(layout.lines[0].glyphs.size());
}
BENCHMARK(BM_Text)->Unit(benchmark::kMillisecond)->UseRealTime();

// Shaping the same 40 characters (what a change of text costs on top).
void BM_TextShape(benchmark::State& state) {
  auto font = text::open_font(text::find_font_family("DejaVu Sans", false, false), 64, 64);
  int frame = 0;
  for (auto _ : state) {
    const text::Layout layout = text::shape(*font, std::string(kText40) + std::to_string(frame++ % 10), 0);
    benchmark::DoNotOptimize(layout.lines.data());
  }
}
BENCHMARK(BM_TextShape)->Unit(benchmark::kMicrosecond)->UseRealTime();

// Transform: the separable path (scale / translate, the kaleidoscope case:
// half size, mirrored) and the general path (any rotation: every pixel
// gathers its own four taps).
void BM_Transform(benchmark::State& state, double rotate, double scale, ExtendMode extend) {
  set_thread_count(kThreads);
  Frames& f = frames();
  TransformParams p;
  p.rotate = rotate;
  p.sx = p.sy = scale;
  p.tx = 0.013;
  p.extend = extend;
  for (auto _ : state) {
    transform(f.in(), f.out(), p);
    benchmark::ClobberMemory();
  }
  report(state, 2 * kFrameBytes);
}
BENCHMARK_CAPTURE(BM_Transform, half_scale_mirror, 0.0, 0.5, ExtendMode::Mirror)->Apply(configure);
BENCHMARK_CAPTURE(BM_Transform, scale_1_3_zero, 0.0, 1.3, ExtendMode::Zero)->Apply(configure);
BENCHMARK_CAPTURE(BM_Transform, rotate_30_zero, 30.0, 1.0, ExtendMode::Zero)->Apply(configure);
BENCHMARK_CAPTURE(BM_Transform, rotate_30_half_mirror, 30.0, 0.5, ExtendMode::Mirror)
    ->Apply(configure);

// Transform into an output twice the input's size: the quickstart's
// kaleidoscope (a 960x540 source at s 0.5, pivot 0 0, mirror, folded into a
// 1920x1080 mirrored 2x2 tiling). Source pixels map 1:1 onto output
// pixels, so the separable path's horizontal pass runs as whole-vector
// lerps (ascending and mirrored runs). Traffic: the quarter-size source
// once plus the full output.
void BM_TransformUpscale(benchmark::State& state) {
  set_thread_count(kThreads);
  Frames& f = frames();
  const int sw = kW / 2, sh = kH / 2;
  const ConstImageView in(f.src.data(), sw, sh, std::ptrdiff_t(sw) * 4, 4);
  TransformParams p;
  p.sx = p.sy = 0.5;
  p.px = p.py = 0.0;
  p.extend = ExtendMode::Mirror;
  for (auto _ : state) {
    transform(in, f.out(), p);
    benchmark::ClobberMemory();
  }
  report(state, kFrameBytes / 4 + kFrameBytes);
}
BENCHMARK(BM_TransformUpscale)->Name("BM_Transform/kaleidoscope_960x540_to_1920x1080")->Apply(configure);

// Flip: row copies (flip x / y) and the tiled flop (transpose).
void BM_Flip(benchmark::State& state, bool flip_x, bool flip_y, bool flop) {
  set_thread_count(kThreads);
  Frames& f = frames();
  const int ow = flip_output_width(kW, kH, flop), oh = flip_output_height(kW, kH, flop);
  const ImageView out{f.dst.data(), ow, oh, std::ptrdiff_t(ow) * 4, 4};
  for (auto _ : state) {
    flip(f.in(), out, flip_x, flip_y, flop);
    benchmark::ClobberMemory();
  }
  report(state, 2 * kFrameBytes);
}
BENCHMARK_CAPTURE(BM_Flip, flipx, true, false, false)->Apply(configure);
BENCHMARK_CAPTURE(BM_Flip, flipy, false, true, false)->Apply(configure);
BENCHMARK_CAPTURE(BM_Flip, flop, false, false, true)->Apply(configure);
BENCHMARK_CAPTURE(BM_Flip, flop_flipx, true, false, true)->Apply(configure);

// PNG encode of one 1080p RGBA8 frame, in memory, one thread (writers run
// one per core): netcook's writer (libdeflate) beside OpenImageIO's (libpng
// + zlib) at the same level and filter. Counter: the encoded bytes (Time is
// ms per frame). Two frames: uniform noise (the frame of issue 16,
// incompressible), and "render-like" (docs/output-formats.md: a smooth
// gradient per channel plus +-1% noise, alpha 1), where the filters matter.
const std::vector<uint8_t>& noise_rgba8(bool render_like) {
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

void png_counters(benchmark::State& state, size_t bytes) {
  // The Time column is ms per frame already.
  state.counters["bytes"] = static_cast<double>(bytes);
}

// Args: level, filter (0..4 fixed, -1 adaptive).
void BM_PngEncodeNetcook(benchmark::State& state, bool render_like) {
  const auto& px = noise_rgba8(render_like);
  const io_detail::PngEncodeOptions opts{static_cast<int>(state.range(0)), static_cast<int>(state.range(1))};
  size_t bytes = 0;
  for (auto _ : state) {
    const auto png = io_detail::encode_png(px.data(), kW, kH, 4, 8, opts);
    bytes = png.size();
    benchmark::DoNotOptimize(png.data());
  }
  png_counters(state, bytes);
}
#define NETCOOK_PNG_ARGS Args({1, 1})->Args({6, -1})->Args({9, -1})->Unit(benchmark::kMillisecond)->UseRealTime()
BENCHMARK_CAPTURE(BM_PngEncodeNetcook, noise, false)->NETCOOK_PNG_ARGS->Args({12, -1});
BENCHMARK_CAPTURE(BM_PngEncodeNetcook, render_like, true)->NETCOOK_PNG_ARGS->Args({12, -1});

void BM_PngEncodeOpenImageIO(benchmark::State& state, bool render_like) {
  const auto& px = noise_rgba8(render_like);
  const int level = static_cast<int>(state.range(0));
  const int filter = static_cast<int>(state.range(1));
  size_t bytes = 0;
  for (auto _ : state) {
    std::vector<unsigned char> out;
    OIIO::Filesystem::IOVecOutput proxy(out);
    auto writer = OIIO::ImageOutput::create("png");
    writer->set_ioproxy(&proxy);
    OIIO::ImageSpec spec(kW, kH, 4, OIIO::TypeDesc::UINT8);
    spec.attribute("oiio:UnassociatedAlpha", 1);
    spec.attribute("png:compressionLevel", level);
    // libpng's flags: PNG_FILTER_SUB = 0x10, PNG_ALL_FILTERS = 0xf8.
    spec.attribute("png:filter", filter == 1 ? 0x10 : 0xf8);
    if (!writer->open("frame.png", spec) || !writer->write_image(OIIO::TypeDesc::UINT8, px.data()) ||
        !writer->close()) {
      state.SkipWithError("OpenImageIO could not encode");
      return;
    }
    bytes = out.size();
    benchmark::DoNotOptimize(out.data());
  }
  png_counters(state, bytes);
}
BENCHMARK_CAPTURE(BM_PngEncodeOpenImageIO, noise, false)->NETCOOK_PNG_ARGS;
BENCHMARK_CAPTURE(BM_PngEncodeOpenImageIO, render_like, true)->NETCOOK_PNG_ARGS;
#undef NETCOOK_PNG_ARGS

}  // namespace
}  // namespace netcook

// The binary's main: Google Benchmark's, plus the context a reader needs
// to compare runs (SIMD target, measured copy bandwidth).
int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  netcook::set_thread_count(netcook::kThreads);
  benchmark::AddCustomContext("simd_target", netcook::simd_target_name());
  benchmark::AddCustomContext("kernel_threads", std::to_string(netcook::kThreads));
  benchmark::AddCustomContext(
      "copy_bandwidth_GB/s",
      std::to_string(netcook::bench::copy_bandwidth(netcook::kThreads) / 1e9));
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
