// Image comparison of one 1920x1080 RGBA float pair (issue 9's speed
// targets): the idiff metrics (target < 10 ms), with SSIM (< 50 ms), FLIP,
// beside OpenImageIO's own: ImageBufAlgo::compare in-process on the same
// pixels (what idiff runs after reading its files), and the whole `idiff`
// process on the pair written as float EXR (start-up and reading included).
// Part of the netcook_bench binary (bench/CMakeLists.txt globs *_bench.cpp).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

#include <OpenImageIO/imagebuf.h>
#include <OpenImageIO/imagebufalgo.h>

#include "netcook/compare/image_compare.h"
#include "netcook/io/image_writer.h"
#include "netcook/io/output_spec.h"
#include "netcook/kernels/parallel.h"
#include "netcook/kernels/simd_info.h"

namespace netcook {
namespace {

constexpr int kW = 1920, kH = 1080, kThreads = 2;

// A render-like golden (smooth gradients, +-1% noise, alpha 1) and a result
// that differs in 1% of its values by up to 0.02: the case a regression test
// meets, with every metric doing real work.
struct ComparePair {
  std::vector<float> golden, result;
  ComparePair() : golden(size_t(kW) * kH * 4), result() {
    std::mt19937 rng(21);
    std::uniform_real_distribution<float> noise(-0.01f, 0.01f), change(-0.02f, 0.02f), p(0.0f, 1.0f);
    for (int y = 0; y < kH; ++y)
      for (int x = 0; x < kW; ++x) {
        float* px = &golden[(size_t(y) * kW + x) * 4];
        const float g[3] = {float(x) / kW, float(y) / kH, float(x + y) / (kW + kH)};
        for (int c = 0; c < 3; ++c) px[c] = std::clamp(g[c] + noise(rng), 0.0f, 1.0f);
        px[3] = 1.0f;
      }
    result = golden;
    for (auto& v : result)
      if (p(rng) < 0.01f) v += change(rng);
  }
  ConstImageView golden_view() const { return ConstImageView(golden.data(), kW, kH, kW * 4, 4); }
  ConstImageView result_view() const { return ConstImageView(result.data(), kW, kH, kW * 4, 4); }
};

const ComparePair& pair() {
  static const ComparePair p;
  return p;
}

void configure(benchmark::internal::Benchmark* b) {
  b->UseRealTime()->Unit(benchmark::kMillisecond)->ComputeStatistics(
      "min", [](const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); });
}

// Args: ssim, flip, threads.
void BM_Compare(benchmark::State& state) {
  const ComparePair& p = pair();
  compare::CompareOptions o;
  o.thresholds.fail = 0.01;
  o.thresholds.warn = 0.001;
  o.ssim = state.range(0) != 0;
  o.flip = state.range(1) != 0;
  o.threads = static_cast<int>(state.range(2));
  compare::Comparison c;
  for (auto _ : state) {
    c = compare::compare_images(p.result_view(), p.golden_view(), o);
    benchmark::DoNotOptimize(c.over_fail);
  }
  state.counters["over_fail"] = static_cast<double>(c.over_fail);
  if (c.ssim) state.counters["ssim"] = *c.ssim;
  if (c.flip_mean) state.counters["flip"] = *c.flip_mean;
  state.SetLabel(simd_target_name());
}
BENCHMARK(BM_Compare)->Name("BM_Compare/idiff_metrics")->Args({0, 0, kThreads})->Apply(configure);
BENCHMARK(BM_Compare)->Name("BM_Compare/idiff_metrics_1_thread")->Args({0, 0, 1})->Apply(configure);
BENCHMARK(BM_Compare)->Name("BM_Compare/idiff_metrics_ssim")->Args({1, 0, kThreads})->Apply(configure);
BENCHMARK(BM_Compare)->Name("BM_Compare/idiff_metrics_flip")->Args({0, 1, kThreads})->Apply(configure);

void BM_CompareHeatmap(benchmark::State& state) {
  const ComparePair& p = pair();
  for (auto _ : state) {
    auto heat = compare::difference_heatmap(p.result_view(), p.golden_view(), 0.02);
    benchmark::DoNotOptimize(heat->data());
  }
}
BENCHMARK(BM_CompareHeatmap)->Name("BM_Compare/difference_heatmap")->Apply(configure);

// OpenImageIO's ImageBufAlgo::compare (idiff's metric code; single-threaded
// in OpenImageIO 2.4) on ImageBufs wrapping the same pixels.
void BM_CompareOpenImageIO(benchmark::State& state) {
  ComparePair& p = const_cast<ComparePair&>(pair());
  const OIIO::ImageSpec spec(kW, kH, 4, OIIO::TypeDesc::FLOAT);
  const OIIO::ImageBuf a(spec, p.result.data()), b(spec, p.golden.data());
  OIIO::ImageBufAlgo::CompareResults r{};
  for (auto _ : state) {
    r = OIIO::ImageBufAlgo::compare(a, b, 0.01f, 0.001f);
    benchmark::DoNotOptimize(r.nfail);
  }
  state.counters["over_fail"] = static_cast<double>(r.nfail);
}
BENCHMARK(BM_CompareOpenImageIO)->Name("BM_Compare/oiio_imagebufalgo_compare")->Apply(configure);

// The whole `idiff` process on the pair as float EXR files (written once,
// removed afterwards): what a test script pays per frame today.
void BM_IdiffProcess(benchmark::State& state) {
  if (std::system("idiff --help >/dev/null 2>&1") != 0) {
    state.SkipWithError("idiff (openimageio-tools) is not installed");
    return;
  }
  const ComparePair& p = pair();
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("netcook_compare_bench_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string a = (dir / "result.exr").string(), b = (dir / "golden.exr").string();
  OutputSpec spec;
  spec.bits = 32;
  spec.path_pattern = a;
  write_image(a, p.result_view(), spec);
  spec.path_pattern = b;
  write_image(b, p.golden_view(), spec);
  const std::string command = "idiff -q -fail 0.01 -warn 0.001 '" + a + "' '" + b + "' >/dev/null 2>&1";
  for (auto _ : state) benchmark::DoNotOptimize(std::system(command.c_str()));
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_IdiffProcess)->Name("BM_Compare/idiff_process_exr")->Iterations(3)->Apply(configure);

}  // namespace
}  // namespace netcook
