// Per-row 8-bit point kernels of the addon's pixel loops: tables,
// torchvision's float32 luma, the saturation blend. The same float32 operations in the same order as
// src/edit/pixels.ts (compiled with -ffp-contract=off, no fast-math), so the bytes are identical.
// Colour kernels touch colour channels only; the alpha of 2 and 4 channel pixels is copied.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace gankit {
namespace kernels {

/** Number of colour channels (alpha excluded) of a pixel with c channels (1-4). */
inline int colourCount(int c) { return c == 2 || c == 4 ? c - 1 : c; }

/** torchvision's float32 luma weights, rounded from the doubles as Math.fround does, as per-value products. */
struct Luma {
  float r[256], g[256], b[256];
  Luma() {
    const float wr = static_cast<float>(0.2989), wg = static_cast<float>(0.587), wb = static_cast<float>(0.114);
    for (int x = 0; x < 256; x++) {
      r[x] = static_cast<float>(x) * wr;
      g[x] = static_cast<float>(x) * wg;
      b[x] = static_cast<float>(x) * wb;
    }
  }
  /** floor(float32(float32(R wr + G wg) + B wb)) (non-negative: truncation); 0..255. */
  inline int grey(const uint8_t* p) const {
    float s = r[p[0]] + g[p[1]];
    s = s + b[p[2]];
    return static_cast<int>(s);
  }
};

/** The process-wide luma tables (built once, thread-safe). */
inline const Luma& luma() {
  static const Luma table;
  return table;
}

/**
 * Tables on `pixels` pixels of c channels (1-4): luts holds one 256-entry table for all colour
 * channels (shared) or one per colour channel, packed; alpha copied. out may equal in.
 */
inline void lutRow(const uint8_t* in, uint8_t* out, size_t pixels, int c, const uint8_t* __restrict luts, bool shared) {
  const int cc = colourCount(c);
  if (shared && cc == c) {
    const size_t n = pixels * static_cast<size_t>(c);
    for (size_t i = 0; i < n; i++) out[i] = luts[in[i]];
    return;
  }
  if (c == 3) {
    const uint8_t *l0 = luts, *l1 = luts + 256, *l2 = luts + 512;
    for (size_t p = 0; p < pixels; p++) {
      const uint8_t r = in[3 * p], g = in[3 * p + 1], b = in[3 * p + 2];
      out[3 * p] = l0[r]; out[3 * p + 1] = l1[g]; out[3 * p + 2] = l2[b];
    }
    return;
  }
  for (size_t p = 0; p < pixels; p++) {
    const uint8_t* s = in + p * c;
    uint8_t* o = out + p * c;
    const uint8_t a = cc < c ? s[cc] : 0;
    for (int k = 0; k < cc; k++) o[k] = luts[(shared ? 0 : k * 256) + s[k]];
    if (cc < c) o[cc] = a;
  }
}

/**
 * Luma of `pixels` pixels of c channels (1-4; 1-2 channels pass their value) into outC (1 or 3)
 * colour channels, alpha kept: out holds pixels * (outC + alpha) bytes; it may be in itself when that
 * is c channels (each pixel is read before it is written), else it must not overlap in.
 */
inline void grayscaleRow(const uint8_t* in, uint8_t* out, size_t pixels, int c, int outC) {
  const Luma& L = luma();
  const bool alpha = c == 2 || c == 4;
  const int oc = outC + (alpha ? 1 : 0);
  if (c == 3 && outC == 1) {
    for (size_t p = 0; p < pixels; p++) out[p] = static_cast<uint8_t>(L.grey(in + 3 * p));
    return;
  }
  for (size_t p = 0; p < pixels; p++) {
    const uint8_t* s = in + p * c;
    uint8_t* o = out + p * oc;
    const uint8_t l = c < 3 ? s[0] : static_cast<uint8_t>(L.grey(s));
    const uint8_t a = alpha ? s[c - 1] : 0;
    o[0] = l;
    if (outC == 3) { o[1] = l; o[2] = l; }
    if (alpha) o[outC] = a;
  }
}

/** The whole saturation blend as one table: mix[grey << 8 | x] = trunc(clamp(float32(x fa + grey fb))) (fa = f, fb = 1 - f as float32). */
struct SaturationMix {
  uint8_t mix[65536];
  SaturationMix(float fa, float fb) {
    float a[256], bt[256];
    for (int x = 0; x < 256; x++) { a[x] = static_cast<float>(x) * fa; bt[x] = static_cast<float>(x) * fb; }
    for (int l = 0; l < 256; l++) {
      for (int x = 0; x < 256; x++) {
        const float y = a[x] + bt[l];
        mix[(l << 8) | x] = y <= 0 ? 0 : y >= 255 ? 255 : static_cast<uint8_t>(y);
      }
    }
  }
};

/** Blend each RGB value of `pixels` pixels of c (3 or 4) channels with the pixel's floor(luma) via m; alpha copied. out may equal in. */
inline void saturationRow(const uint8_t* in, uint8_t* out, size_t pixels, int c, const SaturationMix& mix) {
  const Luma& L = luma();
  const uint8_t* __restrict m = mix.mix;
  for (size_t p = 0; p < pixels; p++) {
    const uint8_t* s = in + p * c;
    uint8_t* o = out + p * c;
    const uint8_t r = s[0], g = s[1], bl = s[2];
    const int grey = L.grey(s) << 8;
    const uint8_t al = c == 4 ? s[3] : 0;
    o[0] = m[grey | r]; o[1] = m[grey | g]; o[2] = m[grey | bl];
    if (c == 4) o[3] = al;
  }
}

/** The `pixels` pixels of c channels (1-4) of one row in reverse order (a left-right mirror); out must not overlap in. */
inline void mirrorRow(const uint8_t* in, uint8_t* out, size_t pixels, int c) {
  const uint8_t* s = in;
  uint8_t* o = out;
  const size_t w = pixels;
  if (w == 0) return;
  if (c == 3) {
    const size_t x0 = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    // One 4-byte load (from the byte before the pixel, shifted down) and one 4-byte store per pixel, whose
    // extra byte the next pixel overwrites; source pixel 0 (the last output pixel) byte by byte.
    for (size_t x = x0; x + 1 < w; x++) {
      uint32_t v;
      std::memcpy(&v, s + (w - 1 - x) * 3 - 1, 4);
      v >>= 8;
      std::memcpy(o + x * 3, &v, 4);
    }
    o[(w - 1) * 3] = s[0]; o[(w - 1) * 3 + 1] = s[1]; o[(w - 1) * 3 + 2] = s[2];
#else
    for (size_t x = x0; x < w; x++) {
      const uint8_t* p = s + (w - 1 - x) * 3;
      o[x * 3] = p[0]; o[x * 3 + 1] = p[1]; o[x * 3 + 2] = p[2];
    }
#endif
  } else if (c == 4) {
    for (size_t x = 0; x < w; x++) std::memcpy(o + x * 4, s + (w - 1 - x) * 4, 4);
  } else if (c == 1) {
    for (size_t x = 0; x < w; x++) o[x] = s[w - 1 - x];
  } else {
    for (size_t x = 0; x < w; x++) { o[x * 2] = s[(w - 1 - x) * 2]; o[x * 2 + 1] = s[(w - 1 - x) * 2 + 1]; }
  }
}

/**
 * Add the colour-channel values of `pixels` pixels of c channels (cc colour channels; alpha skipped) to h:
 * four interleaved uint32 tables of `bins` = cc * 256 counts each (consecutive pixels count into different
 * tables, so runs of equal values do not serialise on one counter). The caller sums the four tables and
 * keeps `pixels` below 2^32 per call.
 */
inline void countInterleaved(const uint8_t* __restrict s, size_t pixels, size_t c, size_t cc, uint32_t* __restrict h, size_t bins) {
  size_t p = 0;
  if (cc == c) {
    for (; p + 4 <= pixels; p += 4, s += 4 * c) {
      for (size_t k = 0; k < c; k++) {
        const size_t o = k * 256;
        h[o + s[k]]++;
        h[bins + o + s[c + k]]++;
        h[2 * bins + o + s[2 * c + k]]++;
        h[3 * bins + o + s[3 * c + k]]++;
      }
    }
  }
  for (; p < pixels; p++, s += c) {
    for (size_t k = 0; k < cc; k++) h[k * 256 + s[k]]++;
  }
}

}  // namespace kernels
}  // namespace gankit
