// The separable passes of resizeRaw (src/edit/resize.ts), portable C++: per output position its taps
// (source index, float32 weight), float32 multiply-adds in tap order (-ffp-contract=off, no fast-math),
// rounded half to even and clamped to 0..255, so the bytes equal the JavaScript fallback's.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace gankit {

// Taps of output position i: index[start[i] .. start[i + 1]) (source positions) and their weights.
struct Plan {
  const int32_t* start = nullptr;
  const int32_t* index = nullptr;
  const float* weight = nullptr;
  size_t outSize = 0, taps = 0;
};

// Round half to even (the current rounding mode) and clamp to 0..255; NaN gives 0.
inline uint8_t roundByte(float s) {
  const float r = std::nearbyint(s);
  return r > 0 ? (r >= 255 ? 255 : static_cast<uint8_t>(r)) : 0;
}

// Width pass of rows [y0, y1) of [h, w, C] bytes into [h, ow, C] floats (mid) or, rounded, bytes (out).
template <int C>
void widthRowsPortable(const uint8_t* data, size_t w, size_t y0, size_t y1, const Plan& p, float* mid, uint8_t* out) {
  const int32_t* __restrict start = p.start;
  const int32_t* __restrict index = p.index;
  const float* __restrict weight = p.weight;
  const size_t ow = p.outSize;
  for (size_t y = y0; y < y1; y++) {
    const uint8_t* __restrict src = data + y * w * C;
    for (size_t i = 0; i < ow; i++) {
      const int32_t s = start[i], e = start[i + 1];
      float acc[C];
      for (int k = 0; k < C; k++) acc[k] = static_cast<float>(src[static_cast<size_t>(index[s]) * C + k]) * weight[s];
      for (int32_t t = s + 1; t < e; t++) {
        for (int k = 0; k < C; k++) acc[k] = acc[k] + static_cast<float>(src[static_cast<size_t>(index[t]) * C + k]) * weight[t];
      }
      const size_t o = (y * ow + i) * C;
      if (mid) for (int k = 0; k < C; k++) mid[o + k] = acc[k];
      else for (int k = 0; k < C; k++) out[o + k] = roundByte(acc[k]);
    }
  }
}

inline void widthRowsPortable(const uint8_t* data, size_t w, size_t c, size_t y0, size_t y1, const Plan& p, float* mid, uint8_t* out) {
  switch (c) {
    case 1: widthRowsPortable<1>(data, w, y0, y1, p, mid, out); break;
    case 2: widthRowsPortable<2>(data, w, y0, y1, p, mid, out); break;
    case 3: widthRowsPortable<3>(data, w, y0, y1, p, mid, out); break;
    default: widthRowsPortable<4>(data, w, y0, y1, p, mid, out); break;
  }
}

// Height pass for one output row of `row` values: o[x] = rounded sum over the n taps of
// src[(index[t] - base) * row + x] * weight[t] in tap order; taps outer and x inner over a float32 row of
// partial sums (acc, at least kHeightChunk floats) so the compiler vectorises across x.
constexpr size_t kHeightChunk = 1024;
// Output rows per strip of the height pass (resize.cc).
constexpr size_t kStrip = 32;
template <typename Src>
void heightRowPortable(const Src* src, size_t row, const int32_t* index, int32_t base, const float* weight, int32_t n, float* acc, uint8_t* o) {
  float* __restrict a = acc;
  uint8_t* __restrict d = o;
  for (size_t x0 = 0; x0 < row; x0 += kHeightChunk) {
    const size_t m = row - x0 < kHeightChunk ? row - x0 : kHeightChunk;
    const Src* __restrict s = src + static_cast<size_t>(index[0] - base) * row + x0;
    const float w0 = weight[0];
    for (size_t x = 0; x < m; x++) a[x] = static_cast<float>(s[x]) * w0;
    for (int32_t t = 1; t < n; t++) {
      const Src* __restrict st = src + static_cast<size_t>(index[t] - base) * row + x0;
      const float wt = weight[t];
      for (size_t x = 0; x < m; x++) a[x] = a[x] + static_cast<float>(st[x]) * wt;
    }
    for (size_t x = 0; x < m; x++) d[x0 + x] = roundByte(a[x]);
  }
}

}  // namespace gankit
