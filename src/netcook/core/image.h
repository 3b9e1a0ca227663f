// Image: an owned RGBA float32 buffer, the output of every TOP.
//
// Images are immutable once cooked and shared by pointer: a Null TOP hands
// on its input's image, the writer pool holds a frame while it encodes. The
// buffers are recycled through a pool, because allocating (and faulting in)
// 33 MB per 1080p frame costs more than many kernels.
#pragma once

#include <cstddef>
#include <memory>

#include "netcook/kernels/image_view.h"

namespace netcook {

class Image {
 public:
  static constexpr int kChannels = 4;
  // The largest width or height of any image (TouchDesigner's limit too):
  // one rule for every operator's output, checked where every image is
  // made, so no size parameter can ask for terabytes.
  static constexpr int kMaxSide = 32768;

  // Uninitialised pixels; every kernel writes its whole destination. Sizes
  // below 1 become 1. Throws std::length_error naming the size and the limit
  // when a side exceeds kMaxSide (the cooker adds the operator and frame).
  static std::shared_ptr<Image> create(int width, int height);

  int width() const { return width_; }
  int height() const { return height_; }
  std::ptrdiff_t stride() const { return stride_; }
  float* data() { return data_; }
  const float* data() const { return data_; }
  ImageView view() { return {data_, width_, height_, stride_, kChannels}; }
  ConstImageView view() const { return {data_, width_, height_, stride_, kChannels}; }
  std::size_t byte_size() const { return static_cast<std::size_t>(height_) * stride_ * sizeof(float); }

  Image(const Image&) = delete;
  Image& operator=(const Image&) = delete;
  ~Image();

 private:
  Image() = default;
  int width_ = 0, height_ = 0;
  std::ptrdiff_t stride_ = 0;
  float* data_ = nullptr;
  std::size_t capacity_ = 0;  // floats allocated
};

}  // namespace netcook
