// Flip kernel: hand-checked small cases, fast path vs reference, threads.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "kernel_test_support.h"
#include "netcook/kernels/flip.h"

namespace netcook {
namespace {

using testing_support::TestImage;

// A w x h image (rows unpadded) whose pixel (x, y) (memory row y) holds the
// letter code letters[y * w + x] in every channel (channel c adds c / 4).
TestImage letter_image(int w, int h) { return TestImage(w, h, /*pad=*/0, /*fill=*/-1.0f); }

std::string letters(const TestImage& im) {  // rows top first, separated by '/'
  std::string s;
  for (int y = 0; y < im.h; ++y) {
    if (y) s += '/';
    for (int x = 0; x < im.w; ++x) {
      const float* p = im.pixel(x, y);
      s += static_cast<char>(p[0]);
      for (int c = 1; c < 4; ++c)
        if (p[c] != p[0] + c * 0.25f) s += '?';
    }
  }
  return s;
}

TestImage abc_def() {  // top row "abc", bottom row "def"
  TestImage im = letter_image(3, 2);
  const char* s = "abcdef";
  for (int i = 0; i < 6; ++i)
    for (int c = 0; c < 4; ++c) im.px[size_t(i) * 4 + c] = static_cast<float>(s[i]) + c * 0.25f;
  return im;
}

std::string flipped(bool fx, bool fy, bool flop, bool reference) {
  const TestImage src = abc_def();
  TestImage out = letter_image(flip_output_width(3, 2, flop), flip_output_height(3, 2, flop));
  if (reference)
    flip_reference(src.cview(), out.view(), fx, fy, flop);
  else
    flip(src.cview(), out.view(), fx, fy, flop, 1);
  return letters(out);
}

TEST(KernelsFlip, KnownSmallImages) {
  for (bool reference : {false, true}) {
    EXPECT_EQ(flipped(false, false, false, reference), "abc/def");
    EXPECT_EQ(flipped(true, false, false, reference), "cba/fed");
    EXPECT_EQ(flipped(false, true, false, reference), "def/abc");
    EXPECT_EQ(flipped(true, true, false, reference), "fed/cba");  // half turn
    // Flop about TouchDesigner's bottom-left to top-right diagonal: d (the
    // bottom-left) and c (the top-right) stay in their corners.
    EXPECT_EQ(flipped(false, false, true, reference), "fc/eb/da");
    EXPECT_EQ(flipped(true, false, true, reference), "cf/be/ad");  // 90 degrees counter-clockwise
    EXPECT_EQ(flipped(false, true, true, reference), "da/eb/fc");  // 90 degrees clockwise
    EXPECT_EQ(flipped(true, true, true, reference), "ad/be/cf");   // the top-left diagonal
  }
}

TEST(KernelsFlip, MatchesReferenceAndThreadCountIndependent) {
  const int sizes[][2] = {{37, 23}, {1, 1}, {70, 33}, {1, 9}, {130, 67}};
  for (auto& s : sizes) {
    const int w = s[0], h = s[1];
    std::vector<float> src((size_t(w) * 4 + 3) * h);  // h rows of the padded stride
    for (size_t i = 0; i < src.size(); ++i) src[i] = static_cast<float>(i) * 0.5f - 3.0f;
    // Source rows padded (stride 4w + 3) to exercise strides.
    const ConstImageView in(src.data(), w, h - (h > 1 ? 1 : 0), std::ptrdiff_t(w) * 4 + 3, 4);
    for (int mask = 0; mask < 8; ++mask) {
      const bool fx = mask & 1, fy = mask & 2, flop = mask & 4;
      const int ow = flip_output_width(in.width, in.height, flop);
      const int oh = flip_output_height(in.width, in.height, flop);
      std::vector<float> ref(size_t(ow) * oh * 4, 9.0f);
      flip_reference(in, ImageView{ref.data(), ow, oh, std::ptrdiff_t(ow) * 4, 4}, fx, fy, flop);
      for (int threads : {1, 2, 3}) {
        std::vector<float> out(ref.size(), -9.0f);
        flip(in, ImageView{out.data(), ow, oh, std::ptrdiff_t(ow) * 4, 4}, fx, fy, flop, threads);
        EXPECT_EQ(std::memcmp(out.data(), ref.data(), ref.size() * sizeof(float)), 0)
            << w << "x" << in.height << " mask " << mask << " threads " << threads;
      }
    }
  }
}

TEST(KernelsFlip, TwiceIsIdentity) {
  const TestImage src = abc_def();
  for (int mask = 0; mask < 4; ++mask) {
    const bool fx = mask & 1, fy = mask & 2;
    TestImage once = letter_image(3, 2), twice = letter_image(3, 2);
    flip(src.cview(), once.view(), fx, fy, false, 1);
    flip(once.cview(), twice.view(), fx, fy, false, 1);
    EXPECT_EQ(letters(twice), "abc/def");
  }
  TestImage once = letter_image(2, 3), twice = letter_image(3, 2);
  flip(src.cview(), once.view(), false, false, true, 1);
  flip(once.cview(), twice.view(), false, false, true, 1);
  EXPECT_EQ(letters(twice), "abc/def");
}

}  // namespace
}  // namespace netcook
