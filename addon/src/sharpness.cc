// sharpnessPixels of src/edit/pixels.ts in C++: torchvision's adjust_sharpness on 8-bit pixels.
// The degenerate image is round(S / 13) of the integer 3x3 sum S = (8 neighbours) + 5 x inside (exact in
// integers: S / 13 is never within 1/26 of a .5, so every float32 summation order rounds the same) and x
// itself on the border; the blend trunc(clamp(float32(float32(f x) + float32((1 - f) d)))) uses the same
// float32 operations in the same order as the JavaScript (-ffp-contract=off, no fast-math), lane by lane
// when vectorised, so the bytes are identical. Rows are split over threads; alpha is copied.
#include <cmath>
#include <cstdint>
#include <vector>
#include "image_args.h"
#include "parallel.h"

namespace gankit {
namespace {

// trunc(clamp(float32(float32(x fa) + float32(d fb)), 0, 255)); NaN (only for factors near FLT_MAX) gives 0 as in JavaScript.
inline uint8_t blendByte(float fa, float fb, uint32_t x, uint32_t d) {
  const float p = static_cast<float>(x) * fa;
  const float q = static_cast<float>(d) * fb;
  const float y = p + q;
  const float lo = y > 0.0f ? y : 0.0f;
  const float t = lo < 255.0f ? lo : 255.0f;
  return static_cast<uint8_t>(static_cast<int32_t>(t));
}

// One row: blend each byte of src with deg into dst (n bytes).
inline void blendRow(const uint8_t* __restrict src, const uint8_t* __restrict deg, uint8_t* __restrict dst, size_t n, float fa, float fb) {
  for (size_t i = 0; i < n; i++) dst[i] = blendByte(fa, fb, src[i], deg[i]);
}

// Rows [b, e) of the output: the degenerate row (column sums, then round(S / 13)) and the blend.
void sharpenRows(const uint8_t* __restrict src, uint8_t* __restrict dst, size_t w, size_t h, size_t c, float fa, float fb, size_t b, size_t e) {
  const size_t n = w * c, cs = c, rows = h;
  const bool alpha = c == 2 || c == 4;
  const float a = fa, bf = fb;
  std::vector<uint16_t> colBuf(n);
  std::vector<uint8_t> degBuf(n);
  uint16_t* __restrict const col = colBuf.data();
  uint8_t* __restrict const deg = degBuf.data();
  for (size_t y = b; y < e; y++) {
    const uint8_t* __restrict const cur = src + y * n;
    uint8_t* __restrict const o = dst + y * n;
    if (y == 0 || y == rows - 1) {
      blendRow(cur, cur, o, n, a, bf);
    } else {
      const uint8_t* __restrict const up = cur - n;
      const uint8_t* __restrict const dn = cur + n;
      for (size_t i = 0; i < n; i++) col[i] = static_cast<uint16_t>(up[i] + cur[i] + dn[i]);
      for (size_t i = 0; i < cs; i++) deg[i] = cur[i];
      for (size_t i = n - cs; i < n; i++) deg[i] = cur[i];
      // round(S / 13) = floor((2 S + 13) / 26), S = 3x3 box sum + 4 x (at most 13 * 255, so 2 S + 13 fits 16 bits).
      for (size_t i = cs; i < n - cs; i++) {
        const uint16_t s = static_cast<uint16_t>(col[i - cs] + col[i] + col[i + cs] + 4 * cur[i]);
        deg[i] = static_cast<uint8_t>(static_cast<uint16_t>(2 * s + 13) / 26);
      }
      blendRow(cur, deg, o, n, a, bf);
    }
    if (alpha) for (size_t i = cs - 1; i < n; i += cs) o[i] = cur[i];
  }
}

// sharpness(data, width, height, channels, out, factor): width, height >= 3; out as long as data and not overlapping it.
napi_value Sharpness(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  if (!args(env, info, argv, 6)) return nullptr;
  Image in;
  uint8_t* out;
  double factor;
  if (!readImage(env, argv, &in) || !number(env, argv[5], "factor", &factor)) return nullptr;
  if (in.width < 3 || in.height < 3) return fail(env, "Expected integer width and height >= 3");
  if (!(std::isfinite(factor) && factor >= 0)) return fail(env, "Expected a finite factor >= 0");
  const size_t w = in.width, h = in.height, c = in.channels, len = w * h * c;
  if (!readOut(env, argv[4], in, len, &out)) return nullptr;
  const uint8_t* data = in.data;
  const float fa = static_cast<float>(factor), fb = static_cast<float>(1.0 - factor);
  parallelRows(h, len * 8, [=](unsigned, size_t b, size_t e) { sharpenRows(data, out, w, h, c, fa, fb, b, e); });
  return nullptr;
}

}  // namespace

void registerSharpness(napi_env env, napi_value exports) {
  exportFunction(env, exports, "sharpness", Sharpness);
}

}  // namespace gankit
