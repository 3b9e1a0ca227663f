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


#include "bandwidth.h"
#include "netcook/kernels/blur.h"
#include "netcook/kernels/convert.h"
#include "netcook/kernels/edge.h"
#include "netcook/kernels/fill.h"
#include "netcook/kernels/flip.h"
#include "netcook/kernels/composite.h"
#include "netcook/kernels/fit.h"
#include "netcook/kernels/hsv.h"
#include "netcook/kernels/level.h"
#include "netcook/kernels/noise.h"
#include "netcook/kernels/parallel.h"
#include "netcook/kernels/ramp.h"
#include "netcook/kernels/shapes.h"
#include "netcook/kernels/simd_info.h"
#include "netcook/kernels/transform.h"
#include "netcook/kernels/warp.h"
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

// Warps (warp.h): Tile (3 x 2 tiles of the whole frame, reflected: every
// pixel blends four taps from per-axis tables), Mirror (left half onto the
// right, and a turned mirror line: per-pixel positions), Displace (a second
// frame read as the map: three frames of traffic). Edge (edge.h): luminance
// plane, gradient, output; src once + dst once.
void BM_Tile(benchmark::State& state) {
  set_thread_count(kThreads);
  Frames& f = frames();
  TileParams p;
  p.x1 = kW, p.y1 = kH, p.repeat_x = 3, p.repeat_y = 2, p.reflect_x = true, p.extend = ExtendMode::Hold;
  for (auto _ : state) {
    tile(f.in(), f.out(), p);
    benchmark::ClobberMemory();
  }
  report(state, 2 * kFrameBytes);
}
BENCHMARK(BM_Tile)->Name("BM_Tile/3x2_reflect")->Apply(configure);

void BM_Mirror(benchmark::State& state, double rotate) {
  set_thread_count(kThreads);
  Frames& f = frames();
  MirrorParams p;
  p.pivot_x = kW / 2.0, p.pivot_y = kH / 2.0, p.rotate = rotate;
  for (auto _ : state) {
    mirror(f.in(), f.out(), p);
    benchmark::ClobberMemory();
  }
  report(state, 2 * kFrameBytes);
}
BENCHMARK_CAPTURE(BM_Mirror, flipx, 0.0)->Apply(configure);
BENCHMARK_CAPTURE(BM_Mirror, flipx_rotate_30, 30.0)->Apply(configure);

void BM_Displace(benchmark::State& state) {
  set_thread_count(kThreads);
  Frames& f = frames();
  static const std::vector<float> map_pixels = [] {
    std::vector<float> m(size_t(kW) * kH * 4);
    std::mt19937 rng(2);
    std::uniform_real_distribution<float> u(0.45f, 0.55f);
    for (auto& v : m) v = u(rng);
    return m;
  }();
  const ConstImageView map(map_pixels.data(), kW, kH, kW * 4, 4);
  DisplaceParams p;
  p.weight_x = p.weight_y = 0.05;
  for (auto _ : state) {
    displace(f.in(), map, f.out(), p);
    benchmark::ClobberMemory();
  }
  report(state, 3 * kFrameBytes);
}
BENCHMARK(BM_Displace)->Name("BM_Displace/noise_map")->Apply(configure);

void BM_Edge(benchmark::State& state, bool comp) {
  set_thread_count(kThreads);
  Frames& f = frames();
  EdgeParams p;
  p.composite_input = comp;
  for (auto _ : state) {
    edge(f.in(), f.out(), p);
    benchmark::ClobberMemory();
  }
  report(state, 2 * kFrameBytes);
}
BENCHMARK_CAPTURE(BM_Edge, luminance, false)->Apply(configure);
BENCHMARK_CAPTURE(BM_Edge, comp_over_input, true)->Apply(configure);

// Composite of two 1080p frames into a third (Composite TOP): two frames
// read, one written, so the floor is 3 frames of traffic. `over` is the
// common case; `hue` the heaviest operand (W3C SetSat/SetLum, divisions).
void BM_Composite(benchmark::State& state, CompositeOperand op) {
  set_thread_count(kThreads);
  Frames& f = frames();
  static const std::vector<float> second = [] {
    std::vector<float> v(size_t(kW) * kH * 4);
    std::mt19937 rng(2);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    for (auto& x : v) x = u(rng);
    return v;
  }();
  const ConstImageView b(second.data(), kW, kH, kW * 4, 4);
  for (auto _ : state) {
    composite(f.in(), b, f.out(), op);
    benchmark::ClobberMemory();
  }
  report(state, 3 * kFrameBytes);
}
BENCHMARK_CAPTURE(BM_Composite, over, CompositeOperand::Over)->Apply(configure);
BENCHMARK_CAPTURE(BM_Composite, multiply, CompositeOperand::Multiply)->Apply(configure);
BENCHMARK_CAPTURE(BM_Composite, softlight, CompositeOperand::SoftLight)->Apply(configure);
BENCHMARK_CAPTURE(BM_Composite, hue, CompositeOperand::Hue)->Apply(configure);

// HSV adjust (HSV Adjust TOP): one frame read, one written. `all` selects
// every colour (the defaults), `selective` a hue band with falloffs.
void BM_HsvAdjust(benchmark::State& state, bool selective) {
  set_thread_count(kThreads);
  Frames& f = frames();
  HsvAdjustParams p;
  p.hue_offset = 40;
  p.saturation_mult = 0.8f;
  p.value_mult = 1.1f;
  if (selective) {
    p.hue_range = 30;
    p.hue_falloff = 20;
    p.saturation_range = 0.5f;
    p.saturation_falloff = 0.2f;
  }
  for (auto _ : state) {
    hsv_adjust(f.in(), f.out(), p);
    benchmark::ClobberMemory();
  }
  report(state, 2 * kFrameBytes);
}
BENCHMARK_CAPTURE(BM_HsvAdjust, all, false)->Apply(configure);
BENCHMARK_CAPTURE(BM_HsvAdjust, selective, true)->Apply(configure);

// The Common page's input fitting: a 1080p frame into a 960x540 output
// (outputresolution half) by each filter. Traffic: the source once plus the
// quarter-size output (nearest and linear read only part of the source).
void BM_Fit(benchmark::State& state, FitFilter filter) {
  set_thread_count(kThreads);
  Frames& f = frames();
  const ImageView out{f.dst.data(), kW / 2, kH / 2, std::ptrdiff_t(kW / 2) * 4, 4};
  for (auto _ : state) {
    fit(f.in(), out, FitMode::Fill, filter);
    benchmark::ClobberMemory();
  }
  report(state, kFrameBytes + kFrameBytes / 4);
}
BENCHMARK_CAPTURE(BM_Fit, half_nearest, FitFilter::Nearest)->Apply(configure);
BENCHMARK_CAPTURE(BM_Fit, half_linear, FitFilter::Linear)->Apply(configure);
BENCHMARK_CAPTURE(BM_Fit, half_mipmap, FitFilter::Mipmap)->Apply(configure);

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
