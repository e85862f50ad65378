// Per-row 8-bit point kernels of the addon's pixel loops: tables and
// torchvision's float32 luma. The same float32 operations in the same order as
// src/edit/pixels.ts (compiled with -ffp-contract=off, no fast-math), so the bytes are identical.
// Colour kernels touch colour channels only; the alpha of 2 and 4 channel pixels is copied.
#pragma once
#include <cstddef>
#include <cstdint>

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

}  // namespace kernels
}  // namespace gankit
