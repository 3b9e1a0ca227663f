#include "netcook/core/image.h"

#include <cstdlib>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

namespace netcook {

namespace {
constexpr std::size_t kAlignment = 64;  // a cache line; enough for every SIMD target

// Free buffers kept for reuse, keyed by size. Bounded so a resolution change
// does not pin memory forever.
class BufferPool {
 public:
  float* take(std::size_t floats) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (std::size_t i = 0; i < free_.size(); ++i) {
      if (free_[i].floats == floats) {
        float* p = free_[i].data;
        free_.erase(free_.begin() + static_cast<std::ptrdiff_t>(i));
        return p;
      }
    }
    return nullptr;
  }
  void give(float* data, std::size_t floats) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (free_.size() >= kMaxFree) {
      std::free(free_.front().data);
      free_.erase(free_.begin());
    }
    free_.push_back({data, floats});
  }
  ~BufferPool() {
    for (auto& b : free_) std::free(b.data);
  }

 private:
  static constexpr std::size_t kMaxFree = 16;
  struct Buffer {
    float* data;
    std::size_t floats;
  };
  std::mutex mutex_;
  std::vector<Buffer> free_;
};

BufferPool& pool() {
  static BufferPool* p = new BufferPool();  // never destroyed: images may outlive statics
  return *p;
}
}  // namespace

std::shared_ptr<Image> Image::create(int width, int height) {
  if (width > kMaxSide || height > kMaxSide)
    throw std::length_error("output size " + std::to_string(width) + " x " + std::to_string(height) +
                            " exceeds the limit of " + std::to_string(kMaxSide) + " pixels per side");
  std::shared_ptr<Image> img(new Image());
  img->width_ = width > 0 ? width : 1;
  img->height_ = height > 0 ? height : 1;
  // Rows padded to a whole number of cache lines keep every row aligned.
  const std::size_t row_floats = static_cast<std::size_t>(img->width_) * kChannels;
  const std::size_t per_line = kAlignment / sizeof(float);
  img->stride_ = static_cast<std::ptrdiff_t>((row_floats + per_line - 1) / per_line * per_line);
  img->capacity_ = static_cast<std::size_t>(img->stride_) * img->height_;
  img->data_ = pool().take(img->capacity_);
  if (!img->data_) {
    img->data_ = static_cast<float*>(std::aligned_alloc(kAlignment, img->capacity_ * sizeof(float)));
    if (!img->data_) throw std::bad_alloc();
  }
  return img;
}

Image::~Image() {
  if (data_) pool().give(data_, capacity_);
}

}  // namespace netcook
