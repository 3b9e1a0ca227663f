#include "netcook/io/video_gif_palette.h"

#include <algorithm>
#include <unordered_map>
#include <utility>

namespace netcook {

namespace {

struct ColorCount {
  std::array<std::uint8_t, 3> rgb;
  std::uint64_t count;
};

struct Box {
  std::size_t begin = 0, end = 0;  // range in the colour list
  double score = 0;                // weighted variance: what splitting it gains
  int axis = 0;                    // channel of largest variance
};

void measure(Box& box, const std::vector<ColorCount>& colors) {
  double n = 0, sum[3] = {0, 0, 0}, sq[3] = {0, 0, 0};
  for (std::size_t i = box.begin; i < box.end; ++i) {
    const double w = static_cast<double>(colors[i].count);
    n += w;
    for (int c = 0; c < 3; ++c) {
      sum[c] += w * colors[i].rgb[c];
      sq[c] += w * colors[i].rgb[c] * colors[i].rgb[c];
    }
  }
  double best = -1, total = 0;
  for (int c = 0; c < 3; ++c) {
    const double var = n > 0 ? sq[c] / n - (sum[c] / n) * (sum[c] / n) : 0;
    total += var;
    if (var > best) best = var, box.axis = c;
  }
  box.score = box.end - box.begin > 1 ? total * n : -1;
}

}  // namespace

GifPalette make_movie_palette(const std::uint8_t* rgb, std::size_t pixels, int max_colors) {
  std::unordered_map<std::uint32_t, std::uint64_t> histogram;
  histogram.reserve(1 << 16);
  for (std::size_t i = 0; i < pixels; ++i) {
    const std::uint8_t* p = rgb + 3 * i;
    ++histogram[(std::uint32_t(p[0]) << 16) | (std::uint32_t(p[1]) << 8) | p[2]];
  }
  std::vector<ColorCount> colors;
  colors.reserve(histogram.size());
  for (const auto& [key, count] : histogram)
    colors.push_back({{std::uint8_t(key >> 16), std::uint8_t(key >> 8), std::uint8_t(key)}, count});
  // The map's order is not stable across library versions: sort first.
  std::sort(colors.begin(), colors.end(), [](const ColorCount& a, const ColorCount& b) { return a.rgb < b.rgb; });

  GifPalette palette;
  if (colors.empty()) {
    palette.colors.push_back({0, 0, 0});
    return palette;
  }
  std::vector<Box> boxes(1);
  boxes[0].end = colors.size();
  measure(boxes[0], colors);
  while (static_cast<int>(boxes.size()) < max_colors) {
    std::size_t pick = 0;
    for (std::size_t i = 1; i < boxes.size(); ++i)
      if (boxes[i].score > boxes[pick].score) pick = i;
    Box box = boxes[pick];
    if (box.score <= 0) break;  // every box is one colour
    const int axis = box.axis;
    std::sort(colors.begin() + static_cast<std::ptrdiff_t>(box.begin),
              colors.begin() + static_cast<std::ptrdiff_t>(box.end), [axis](const ColorCount& a, const ColorCount& b) {
                if (a.rgb[axis] != b.rgb[axis]) return a.rgb[axis] < b.rgb[axis];
                return a.rgb < b.rgb;
              });
    std::uint64_t total = 0;
    for (std::size_t i = box.begin; i < box.end; ++i) total += colors[i].count;
    std::uint64_t running = 0;
    std::size_t cut = box.begin + 1;
    for (std::size_t i = box.begin; i < box.end - 1; ++i) {
      running += colors[i].count;
      cut = i + 1;
      if (running * 2 >= total) break;
    }
    Box low = box, high = box;
    low.end = cut;
    high.begin = cut;
    measure(low, colors);
    measure(high, colors);
    boxes[pick] = low;
    boxes.push_back(high);
  }
  for (const Box& box : boxes) {
    double n = 0, sum[3] = {0, 0, 0};
    for (std::size_t i = box.begin; i < box.end; ++i) {
      n += static_cast<double>(colors[i].count);
      for (int c = 0; c < 3; ++c) sum[c] += static_cast<double>(colors[i].count) * colors[i].rgb[c];
    }
    std::array<std::uint8_t, 3> mean{};
    for (int c = 0; c < 3; ++c) mean[c] = static_cast<std::uint8_t>(std::clamp(sum[c] / n + 0.5, 0.0, 255.0));
    palette.colors.push_back(mean);
  }
  return palette;
}

GifDitherer::GifDitherer(GifPalette palette) : palette_(std::move(palette)), cache_(1 << 24, 0) {}

int GifDitherer::nearest(int r, int g, int b) {
  std::int16_t& cached = cache_[(std::size_t(r) << 16) | (std::size_t(g) << 8) | std::size_t(b)];
  if (cached) return cached - 1;
  int best = 0, best_d = 1 << 30;
  for (std::size_t i = 0; i < palette_.colors.size(); ++i) {
    const auto& c = palette_.colors[i];
    const int dr = r - c[0], dg = g - c[1], db = b - c[2];
    const int d = dr * dr + dg * dg + db * db;
    if (d < best_d) best_d = d, best = static_cast<int>(i);
  }
  cached = static_cast<std::int16_t>(best + 1);
  return best;
}

void GifDitherer::dither(const std::uint8_t* rgb, int width, int height, std::uint8_t* indices,
                         std::ptrdiff_t index_stride) {
  // Error rows with one pixel of margin each side; errors in 1/4 units.
  std::vector<int> current(static_cast<std::size_t>(width + 2) * 3, 0), next(current.size(), 0);
  for (int y = 0; y < height; ++y) {
    std::fill(next.begin(), next.end(), 0);
    const std::uint8_t* src = rgb + static_cast<std::size_t>(y) * width * 3;
    std::uint8_t* dst = indices + y * index_stride;
    for (int x = 0; x < width; ++x) {
      int value[3];
      for (int c = 0; c < 3; ++c) {
        // Error carried in quarters, rounded to nearest.
        const int e = current[(x + 1) * 3 + c];
        const int add = e >= 0 ? (e + 2) / 4 : -((-e + 2) / 4);
        value[c] = std::clamp(src[x * 3 + c] + add, 0, 255);
      }
      const int index = nearest(value[0], value[1], value[2]);
      dst[x] = static_cast<std::uint8_t>(index);
      const auto& chosen = palette_.colors[static_cast<std::size_t>(index)];
      for (int c = 0; c < 3; ++c) {
        const int err = value[c] - chosen[c];
        current[(x + 2) * 3 + c] += 2 * err;  // right: 2/4
        next[x * 3 + c] += err;               // below left: 1/4
        next[(x + 1) * 3 + c] += err;         // below: 1/4
      }
    }
    std::swap(current, next);
  }
}

}  // namespace netcook
