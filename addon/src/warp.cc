// The warp sampler of src/edit/warp.ts (warpRaw) in C++: torchvision's affine / perspective grid and
// torch's grid_sample (align_corners=False, zero padding; nearest = round half to even, or bilinear)
// with torchvision's fill, every step a float32 operation in the same order as the JavaScript
// (compiled with -ffp-contract=off, no fast-math), so the bytes are identical.
#include <cmath>
#include <cstdint>
#include <vector>
#include "image_args.h"

namespace gankit {
namespace {

struct WarpJob {
  const uint8_t* data;
  int64_t w, h, c;
  uint8_t* out;
  int64_t ow, oh;
  bool perspective;
  float coef[8];
  bool bilinear;
  const float* fill;  // c values or nullptr
};

// Half to even, clamped to 0..255 (NaN -> 0), as warpRaw's toByte.
inline uint8_t toByte(float value) {
  float r = std::nearbyint(value);
  return r > 0 ? (r >= 255 ? 255 : static_cast<uint8_t>(r)) : 0;
}

// One output row of grid positions (torch's normalized coordinates), as affineGrid / perspectiveGrid.
void gridRow(const WarpJob& j, int64_t i, float* gx, float* gy) {
  const float* k = j.coef;
  if (!j.perspective) {
    const float r00 = k[0], r10 = k[1], r20 = k[2], r01 = k[3], r11 = k[4], r21 = k[5];
    const float y = static_cast<float>(-static_cast<double>(j.oh) * 0.5 + 0.5 + static_cast<double>(i));
    const float yx = y * r10, yy = y * r11;
    for (int64_t col = 0; col < j.ow; col++) {
      const float x = static_cast<float>(-static_cast<double>(j.ow) * 0.5 + 0.5 + static_cast<double>(col));
      float a = x * r00; a = a + yx; a = a + r20;
      float b = x * r01; b = b + yy; b = b + r21;
      gx[col] = a;
      gy[col] = b;
    }
    return;
  }
  const float c6 = k[0], c7 = k[1], r00 = k[2], r10 = k[3], r20 = k[4], r01 = k[5], r11 = k[6], r21 = k[7];
  const float y = static_cast<float>(static_cast<double>(i) + 0.5);
  const float yd = y * c7, yx = y * r10, yy = y * r11;
  for (int64_t col = 0; col < j.ow; col++) {
    const float x = static_cast<float>(static_cast<double>(col) + 0.5);
    float den = x * c6; den = den + yd; den = den + 1.0f;
    float nx = x * r00; nx = nx + yx; nx = nx + r20;
    float ny = x * r01; ny = ny + yy; ny = ny + r21;
    float a = nx / den; a = a - 1.0f;
    float b = ny / den; b = b - 1.0f;
    gx[col] = a;
    gy[col] = b;
  }
}

// Rows [begin, end) of the output; C is the channel count when known at compile time (0: j.c).
template <int C, bool Bilinear>
void warpRowsT(const WarpJob& j, size_t begin, size_t end) {
  const int64_t w = j.w, h = j.h, c = C ? C : j.c, ow = j.ow;
  const float fw = static_cast<float>(w), fh = static_cast<float>(h);
  const float sfx = static_cast<float>(static_cast<double>(w) / 2), sfy = static_cast<float>(static_cast<double>(h) / 2);
  const uint8_t* data = j.data;
  const float* fill = j.fill;
  std::vector<float> gx(ow), gy(ow);
  uint8_t fillBytes[4] = {0, 0, 0, 0};
  if (fill) for (int64_t k = 0; k < c; k++) fillBytes[k] = toByte(fill[k]);
  for (size_t i = begin; i < end; i++) {
    gridRow(j, static_cast<int64_t>(i), gx.data(), gy.data());
    uint8_t* o = j.out + static_cast<int64_t>(i) * ow * c;
    for (int64_t col = 0; col < ow; col++, o += c) {
      float ix = gx[col] + 1.0f; ix = ix * sfx; ix = ix - 0.5f;
      float iy = gy[col] + 1.0f; iy = iy * sfy; iy = iy - 0.5f;
      if (!Bilinear) {
        const float x = std::nearbyint(ix), y = std::nearbyint(iy);
        if (x >= 0 && x < fw && y >= 0 && y < fh) {
          const uint8_t* s = data + (static_cast<int64_t>(y) * w + static_cast<int64_t>(x)) * c;
          for (int64_t k = 0; k < c; k++) o[k] = s[k];
        } else {
          for (int64_t k = 0; k < c; k++) o[k] = fillBytes[k];
        }
        continue;
      }
      const float x0 = std::floor(ix), y0 = std::floor(iy);
      const float we = ix - x0, ea = 1.0f - we;
      const float no = iy - y0, so = 1.0f - no;
      const float x1 = x0 + 1.0f, y1 = y0 + 1.0f;
      const bool westIn = x0 >= 0 && x0 < fw, eastIn = x1 >= 0 && x1 < fw;
      const bool northIn = y0 >= 0 && y0 < fh, southIn = y1 >= 0 && y1 < fh;
      // Tap positions only matter (and only convert safely) when some tap is inside.
      if (!((westIn || eastIn) && (northIn || southIn))) {
        for (int64_t k = 0; k < c; k++) {
          float acc = 0.0f;
          if (fill) { float b = 1.0f * fill[k]; acc = acc * 0.0f + b; }
          o[k] = toByte(acc);
        }
        continue;
      }
      const float wNW = northIn && westIn ? so * ea : 0.0f;
      const float wNE = northIn && eastIn ? so * we : 0.0f;
      const float wSW = southIn && westIn ? no * ea : 0.0f;
      const float wSE = southIn && eastIn ? no * we : 0.0f;
      float m = wNW + wNE; m = m + wSW; m = m + wSE;
      const int64_t iNW = (static_cast<int64_t>(y0) * w + static_cast<int64_t>(x0)) * c;
      const int64_t iNE = iNW + c, iSW = iNW + w * c, iSE = iSW + c;
      for (int64_t k = 0; k < c; k++) {
        float acc = wNW != 0.0f ? static_cast<float>(data[iNW + k]) * wNW : 0.0f;
        if (wNE != 0.0f) acc = acc + static_cast<float>(data[iNE + k]) * wNE;
        if (wSW != 0.0f) acc = acc + static_cast<float>(data[iSW + k]) * wSW;
        if (wSE != 0.0f) acc = acc + static_cast<float>(data[iSE + k]) * wSE;
        if (fill) {
          const float a = acc * m;
          float b = 1.0f - m; b = b * fill[k];
          acc = a + b;
        }
        o[k] = toByte(acc);
      }
    }
  }
}

template <bool Bilinear>
void warpRowsMode(const WarpJob& j, size_t begin, size_t end) {
  switch (j.c) {
    case 1: return warpRowsT<1, Bilinear>(j, begin, end);
    case 3: return warpRowsT<3, Bilinear>(j, begin, end);
    case 4: return warpRowsT<4, Bilinear>(j, begin, end);
    default: return warpRowsT<0, Bilinear>(j, begin, end);
  }
}

void warpRows(const WarpJob& j, size_t begin, size_t end) {
  if (j.bilinear) warpRowsMode<true>(j, begin, end);
  else warpRowsMode<false>(j, begin, end);
}

// warp(data, width, height, channels, out, outWidth, outHeight, perspective, coef, bilinear, fill?)
napi_value Warp(napi_env env, napi_callback_info info) {
  napi_value argv[11];
  if (!args(env, info, argv, 10)) return nullptr;
  WarpJob j{};
  Image in;
  size_t coefLen = 0;
  double ow, oh, persp, bil;
  float* coef;
  if (!readImage(env, argv, &in) || !number(env, argv[5], "outWidth", &ow) || !number(env, argv[6], "outHeight", &oh)) return nullptr;
  if (!(ow >= 0 && oh >= 0) || !readOut(env, argv[4], in, static_cast<size_t>(ow) * static_cast<size_t>(oh) * in.channels, &j.out)) return nullptr;
  if (!number(env, argv[7], "perspective", &persp) || !typedArray(env, argv[8], napi_float32_array, "coef", &coef, &coefLen) || !number(env, argv[9], "bilinear", &bil)) return nullptr;
  j.data = in.data;
  j.w = static_cast<int64_t>(in.width); j.h = static_cast<int64_t>(in.height); j.c = static_cast<int64_t>(in.channels);
  j.ow = static_cast<int64_t>(ow); j.oh = static_cast<int64_t>(oh);
  j.perspective = persp != 0;
  j.bilinear = bil != 0;
  if (coefLen != (j.perspective ? 8u : 6u)) return fail(env, "Expected 6 affine or 8 perspective coefficients");
  for (size_t k = 0; k < coefLen; k++) j.coef[k] = coef[k];
  j.fill = nullptr;
  napi_valuetype t = napi_undefined;
  if (argv[10] != nullptr) napi_typeof(env, argv[10], &t);
  if (t != napi_undefined && t != napi_null) {
    float* fill;
    size_t fillLen = 0;
    if (!typedArray(env, argv[10], napi_float32_array, "fill", &fill, &fillLen)) return nullptr;
    if (fillLen != static_cast<size_t>(j.c)) return fail(env, "Expected one fill value per channel");
    j.fill = fill;
  }
  parallelRows(static_cast<size_t>(j.oh), static_cast<size_t>(j.ow * j.oh * j.c), [&](unsigned, size_t b, size_t e) { warpRows(j, b, e); });
  return nullptr;
}

}  // namespace

void registerWarp(napi_env env, napi_value exports) { exportFunction(env, exports, "warp", Warp); }

}  // namespace gankit
