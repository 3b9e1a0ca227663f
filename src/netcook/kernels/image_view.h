// Image views: the one currency of every pixel kernel.
//
// A view is a non-owning window onto float32 pixels: a pointer to the first
// row, the size, the distance between rows (in floats, so padded or sub-image
// rows work) and the number of interleaved channels. Operators keep RGBA
// (4 channels) throughout; kernels take any channel count they document.
//
// Rows are stored top row first, the order image files use. TouchDesigner's
// bottom-left origin is applied where it is visible to users (noise space,
// numpy arrays), not in memory.
#pragma once

#include <cstddef>

namespace netcook {

struct ImageView {
  float* data = nullptr;
  int width = 0;
  int height = 0;
  std::ptrdiff_t stride = 0;  // floats from one row to the next
  int channels = 4;

  float* row(int y) const { return data + static_cast<std::ptrdiff_t>(y) * stride; }
  bool empty() const { return width <= 0 || height <= 0 || data == nullptr; }
};

struct ConstImageView {
  const float* data = nullptr;
  int width = 0;
  int height = 0;
  std::ptrdiff_t stride = 0;
  int channels = 4;

  ConstImageView() = default;
  ConstImageView(const float* d, int w, int h, std::ptrdiff_t s, int c)
      : data(d), width(w), height(h), stride(s), channels(c) {}
  ConstImageView(const ImageView& v)  // NOLINT: views convert implicitly to const
      : data(v.data), width(v.width), height(v.height), stride(v.stride), channels(v.channels) {}

  const float* row(int y) const { return data + static_cast<std::ptrdiff_t>(y) * stride; }
  bool empty() const { return width <= 0 || height <= 0 || data == nullptr; }
};

}  // namespace netcook
