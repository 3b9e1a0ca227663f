// Operator-level tests of every TOP (the Script TOP needs Python and is
// covered by tests/python): each builds a small network, sets parameters as
// a scene would, cooks through the Cooker and checks the output.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "netcook/core/errors.h"
#include "operator_test_support.h"

namespace netcook {
namespace {

using testing_support::OperatorTestNetwork;
using testing_support::pixel;
using testing_support::SourceTop;

// Every pixel distinct: R = x, G = y (from the bottom-left), B = 100, A = 1.
float coordinate_value(int x, int y, int c) {
  if (c == 0) return static_cast<float>(x);
  if (c == 1) return static_cast<float>(y);
  return c == 2 ? 100.0f : 1.0f;
}

std::string cook_error(OperatorTestNetwork& n, TopOperator& op) {
  try {
    n.cook(op);
  } catch (const CookError& e) {
    return e.what();
  }
  return "(no error)";
}

// ---- Constant -----------------------------------------------------------

TEST(ConstantTop, FillsTheColourAtItsResolution) {
  OperatorTestNetwork n;
  TopOperator& c = n.top("constantTOP", "constant1");
  n.set(c, "colorr", 0.25);
  n.set(c, "colorg", 0.5);
  n.set(c, "colorb", 2.0);  // outside 0..1 is kept
  n.set(c, "alpha", 0.5);
  n.set(c, "resolutionw", std::int64_t{7});
  n.set(c, "resolutionh", std::int64_t{3});
  const Image& out = n.cook(c);
  ASSERT_EQ(out.width(), 7);
  ASSERT_EQ(out.height(), 3);
  for (int y = 0; y < 3; ++y)
    for (int x = 0; x < 7; ++x) EXPECT_EQ(pixel(out, x, y), (std::array<float, 4>{0.25f, 0.5f, 2.0f, 0.5f}));
  n.set(c, "multrgbbyalpha", true);
  EXPECT_EQ(pixel(n.cook(c, 2), 6, 2), (std::array<float, 4>{0.125f, 0.25f, 1.0f, 0.5f}));
}

// ---- Noise --------------------------------------------------------------

TEST(NoiseTop, SizeTypeMonoAndDeterminism) {
  OperatorTestNetwork n;
  TopOperator& noise = n.top("noiseTOP", "noise1");
  n.set(noise, "resolutionw", std::int64_t{40});
  n.set(noise, "resolutionh", std::int64_t{20});
  n.set(noise, "period", 8.0);
  const Image& out = n.cook(noise);
  ASSERT_EQ(out.width(), 40);
  ASSERT_EQ(out.height(), 20);
  float lo = 1e9f, hi = -1e9f;
  for (int y = 0; y < 20; ++y)
    for (int x = 0; x < 40; ++x) {
      const auto p = pixel(out, x, y);
      EXPECT_EQ(p[0], p[1]);  // mono: one noise for R, G and B
      EXPECT_EQ(p[0], p[2]);
      EXPECT_EQ(p[3], 1.0f);  // alpha
      lo = std::min(lo, p[0]);
      hi = std::max(hi, p[0]);
    }
  EXPECT_GE(lo, 0.0f);  // offset 0.5 + amp 1 * [-0.5, 0.5]
  EXPECT_LE(hi, 1.0f);
  EXPECT_GT(hi - lo, 0.1f);  // not flat

  // The same parameters give the same pixels; another type does not.
  const auto first = pixel(out, 13, 7);
  OperatorTestNetwork again;
  TopOperator& twin = again.top("noiseTOP", "noise1");  // same path, same seed
  again.set(twin, "resolutionw", std::int64_t{40});
  again.set(twin, "resolutionh", std::int64_t{20});
  again.set(twin, "period", 8.0);
  EXPECT_EQ(pixel(again.cook(twin), 13, 7), first);
  again.set(twin, "type", std::string("random"));
  EXPECT_NE(pixel(again.cook(twin, 2), 13, 7), first);

  n.set(noise, "mono", false);
  const Image& colour = n.cook(noise, 2);
  bool channels_differ = false;
  for (int x = 0; x < 40; ++x) channels_differ |= pixel(colour, x, 5)[0] != pixel(colour, x, 5)[1];
  EXPECT_TRUE(channels_differ);
}

TEST(NoiseTop, ResolutionBeyondTheLimitIsACookErrorNamingOpSizeAndLimit) {
  OperatorTestNetwork n;
  TopOperator& noise = n.top("noiseTOP", "noise1");
  n.set(noise, "resolutionw", std::int64_t{40000});
  n.set(noise, "resolutionh", std::int64_t{2});
  const std::string e = cook_error(n, noise);
  EXPECT_NE(e.find("/project1/noise1"), std::string::npos) << e;
  EXPECT_NE(e.find("40000 x 2"), std::string::npos) << e;
  EXPECT_NE(e.find("32768"), std::string::npos) << e;
  // Sizes below 1 are clamped to 1 by the parameter, as in TouchDesigner.
  n.set(noise, "resolutionw", std::int64_t{-5});
  EXPECT_EQ(noise.par("resolutionw").constant(), ParValue(std::int64_t{1}));
  EXPECT_EQ(n.cook(noise, 2).width(), 1);
}

// ---- Blur ---------------------------------------------------------------

TEST(BlurTop, SizeZeroIsTheIdentityAndSharesTheInputBuffer) {
  OperatorTestNetwork n;
  SourceTop& src = n.source("src", 9, 5, coordinate_value);
  TopOperator& blur = n.top("blurTOP", "blur1", {&src});
  n.set(blur, "size", 0.0);
  n.cook(blur);
  EXPECT_EQ(blur.image().get(), src.image().get());
}

TEST(BlurTop, SpreadsAPointKeepingItsSumAndKeepsAFlatImageFlat) {
  OperatorTestNetwork n;
  SourceTop& dot = n.source("dot", 21, 21, [](int x, int y, int) { return x == 10 && y == 10 ? 1.0f : 0.0f; });
  TopOperator& blur = n.top("blurTOP", "blur1", {&dot});
  n.set(blur, "size", 3.0);
  for (const char* filter : {"gaussian", "box"}) {
    n.set(blur, "filter", std::string(filter));
    const Image& out = n.cook(blur, filter[0] == 'g' ? 1 : 2);
    double sum = 0;
    for (int y = 0; y < 21; ++y)
      for (int x = 0; x < 21; ++x) sum += pixel(out, x, y)[0];
    EXPECT_NEAR(sum, 1.0, 1e-5) << filter;
    if (filter[0] == 'g')
      EXPECT_GT(pixel(out, 10, 10)[0], pixel(out, 12, 10)[0]);  // a bell
    else
      EXPECT_FLOAT_EQ(pixel(out, 10, 10)[0], pixel(out, 12, 10)[0]);  // flat within the box
    EXPECT_GT(pixel(out, 12, 10)[0], 0.0f) << filter;
    EXPECT_EQ(pixel(out, 14, 10)[0], 0.0f) << filter;                   // radius ceil(3)
    EXPECT_EQ(pixel(out, 12, 10)[0], pixel(out, 10, 12)[0]) << filter;  // both axes alike
  }
  // scaley 0: blurs along x only.
  n.set(blur, "scaley", 0.0);
  const Image& rows = n.cook(blur, 3);
  EXPECT_GT(pixel(rows, 11, 10)[0], 0.0f);
  EXPECT_EQ(pixel(rows, 10, 11)[0], 0.0f);

  SourceTop& flat = n.source("flat", 8, 6, [](int, int, int c) { return 0.25f * static_cast<float>(c + 1); });
  TopOperator& blur2 = n.top("blurTOP", "blur2", {&flat});
  n.set(blur2, "extend", std::int64_t{0});  // menu index 0 = hold
  const Image& out = n.cook(blur2);
  for (int y = 0; y < 6; ++y)
    for (int x = 0; x < 8; ++x)
      for (int c = 0; c < 4; ++c) EXPECT_NEAR(pixel(out, x, y)[c], 0.25f * (c + 1), 1e-6f);
  // zero treats the outside as transparent black: the corner darkens.
  n.set(blur2, "extend", std::string("zero"));
  EXPECT_LT(pixel(n.cook(blur2, 2), 0, 0)[3], 0.9f);
}

TEST(BlurTop, SizeIsClampedToItsRangeHoweverItIsSet) {
  OperatorTestNetwork n;
  TopOperator& blur = n.top("blurTOP", "blur1", {&n.source("src", 2, 2, coordinate_value)});
  n.set(blur, "size", 4096.0);
  EXPECT_EQ(blur.par("size").eval(), ParValue(2048.0));
  n.set(blur, "size", -1.0);
  EXPECT_EQ(blur.par("size").eval(), ParValue(0.0));
}

// ---- Level --------------------------------------------------------------

TEST(LevelTop, BrightnessContrastAndOpacity) {
  OperatorTestNetwork n;
  SourceTop& src =
      n.source("src", 3, 2, [](int x, int, int c) { return c == 3 ? 1.0f : 0.25f * static_cast<float>(x); });
  TopOperator& level = n.top("levelTOP", "level1", {&src});
  const Image& same = n.cook(level);  // defaults are the identity
  for (int x = 0; x < 3; ++x) EXPECT_EQ(pixel(same, x, 1), pixel(*src.image(), x, 1));

  n.set(level, "brightness", 0.5);  // the tutorial's alias of brightness1: x + b
  const Image& brighter = n.cook(level, 2);
  for (int x = 0; x < 3; ++x) {
    EXPECT_FLOAT_EQ(pixel(brighter, x, 0)[0], 0.25f * x + 0.5f);
    EXPECT_EQ(pixel(brighter, x, 0)[3], 1.0f);  // alpha untouched
  }
  n.set(level, "brightness1", 0.0);
  n.set(level, "contrast", 2.0);  // (x - 0.5) * 2 + 0.5
  EXPECT_FLOAT_EQ(pixel(n.cook(level, 3), 2, 0)[0], 0.5f);
  EXPECT_FLOAT_EQ(pixel(*level.image(), 0, 0)[0], -0.5f);  // nothing is clamped
  n.set(level, "contrast", 1.0);
  n.set(level, "opacity", 0.5);
  EXPECT_EQ(pixel(n.cook(level, 4), 2, 1), (std::array<float, 4>{0.25f, 0.25f, 0.25f, 0.5f}));
}

// ---- Null ---------------------------------------------------------------

TEST(NullTop, SharesItsInputsImageAndHash) {
  OperatorTestNetwork n;
  SourceTop& src = n.source("src", 4, 4, coordinate_value);
  TopOperator& null = n.top("nullTOP", "null1", {&src});
  n.cook(null);
  EXPECT_EQ(null.image().get(), src.image().get());
  EXPECT_EQ(null.cook_state().output_hash, src.cook_state().output_hash);
}

// ---- Transform ----------------------------------------------------------

TEST(TransformTop, WholePixelTranslateMovesAKnownPixel) {
  OperatorTestNetwork n;
  SourceTop& src = n.source("src", 8, 4, [](int x, int y, int) { return x == 2 && y == 1 ? 1.0f : 0.0f; });
  TopOperator& xf = n.top("transformTOP", "transform1", {&src});
  n.cook(xf);
  EXPECT_EQ(xf.image().get(), src.image().get());  // the identity hands the input on
  n.set(xf, "tx", 3.0 / 8);                        // three pixels right
  n.set(xf, "ty", 2.0 / 4);                        // two pixels up
  const Image& out = n.cook(xf, 2);
  ASSERT_EQ(out.width(), 8);
  EXPECT_EQ(pixel(out, 5, 3)[0], 1.0f);
  EXPECT_EQ(pixel(out, 2, 1)[0], 0.0f);
  EXPECT_EQ(pixel(out, 0, 0)[3], 0.0f);  // extend zero (the default): transparent black
}

TEST(TransformTop, OutputResolutionMenuSizes) {
  OperatorTestNetwork n;
  SourceTop& src = n.source("src", 40, 24, coordinate_value);
  TopOperator& xf = n.top("transformTOP", "transform1", {&src});
  n.set(xf, "sx", 0.5);  // not the identity, so every size really resamples
  struct Case {
    const char* mode;
    int w, h;
  } cases[] = {{"useinput", 40, 24}, {"eighth", 5, 3}, {"quarter", 10, 6}, {"half", 20, 12},
               {"2x", 80, 48},       {"4x", 160, 96},  {"8x", 320, 192},   {"custom", 17, 9}};
  n.set(xf, "resolutionw", std::int64_t{17});
  n.set(xf, "resolutionh", std::int64_t{9});
  double frame = 1;
  for (const Case& c : cases) {
    n.set(xf, "outputresolution", std::string(c.mode));
    const Image& out = n.cook(xf, frame++);
    EXPECT_EQ(out.width(), c.w) << c.mode;
    EXPECT_EQ(out.height(), c.h) << c.mode;
  }
}

TEST(TransformTop, OutputBeyondTheSizeLimitIsACookError) {
  OperatorTestNetwork n;
  SourceTop& src = n.source("src", 4097, 1, coordinate_value);
  TopOperator& xf = n.top("transformTOP", "transform1", {&src});
  n.set(xf, "outputresolution", std::string("8x"));  // 32776 wide
  std::string e = cook_error(n, xf);
  EXPECT_NE(e.find("/project1/transform1"), std::string::npos) << e;
  EXPECT_NE(e.find("32776 x 8"), std::string::npos) << e;
  EXPECT_NE(e.find("limit of 32768"), std::string::npos) << e;
  n.set(xf, "outputresolution", std::string("custom"));
  n.set(xf, "resolutionw", std::int64_t{65536});
  n.set(xf, "resolutionh", std::int64_t{65536});
  e = cook_error(n, xf);
  EXPECT_NE(e.find("65536 x 65536"), std::string::npos) << e;
}

TEST(TransformTop, ExtendMenuSharedWithBlur) {
  OperatorTestNetwork n;
  TopOperator& xf = n.top("transformTOP", "transform1");
  TopOperator& blur = n.top("blurTOP", "blur1");
  // One mapping: the same index is the same rule in both operators.
  for (std::int64_t i = 0; i < 4; ++i) {
    n.set(xf, "extend", i);
    n.set(blur, "extend", i);
    EXPECT_EQ(xf.par("extend").eval(), blur.par("extend").eval()) << i;
  }
  // Mirror through the transform: one pixel left of the image is its edge.
  SourceTop& src = n.source("src", 4, 1, coordinate_value);
  xf.set_inputs({&src});
  n.set(xf, "extend", std::string("mirror"));
  n.set(xf, "tx", 1.0 / 4);
  EXPECT_EQ(pixel(n.cook(xf), 0, 0)[0], 0.0f);
  n.set(xf, "extend", std::string("repeat"));
  EXPECT_EQ(pixel(n.cook(xf, 2), 0, 0)[0], 3.0f);
}

// ---- Flip ---------------------------------------------------------------

TEST(FlipTop, FlipsAndFlopMoveAKnownPixel) {
  OperatorTestNetwork n;
  SourceTop& src = n.source("src", 5, 3, coordinate_value);
  TopOperator& flip = n.top("flipTOP", "flip1", {&src});
  n.cook(flip);
  EXPECT_EQ(flip.image().get(), src.image().get());  // nothing to do: the input, untouched
  EXPECT_EQ(flip.cook_state().output_hash, src.cook_state().output_hash);

  n.set(flip, "flipx", true);
  auto p = pixel(n.cook(flip, 2), 0, 2);  // came from (4, 2)
  EXPECT_EQ(p[0], 4.0f);
  EXPECT_EQ(p[1], 2.0f);
  n.set(flip, "flipx", false);
  n.set(flip, "flipy", true);
  p = pixel(n.cook(flip, 3), 1, 0);  // came from (1, 2)
  EXPECT_EQ(p[0], 1.0f);
  EXPECT_EQ(p[1], 2.0f);
  n.set(flip, "flipy", false);
  n.set(flip, "flop", true);
  const Image& flopped = n.cook(flip, 4);
  ASSERT_EQ(flopped.width(), 3);
  ASSERT_EQ(flopped.height(), 5);
  p = pixel(flopped, 2, 4);  // out(x, y) = in(y, x)
  EXPECT_EQ(p[0], 4.0f);
  EXPECT_EQ(p[1], 2.0f);
}

}  // namespace
}  // namespace netcook
