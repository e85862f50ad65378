// AVX2 versions of the separable resize passes (resize_passes.h), used when the CPU has AVX2. Each
// vector lane does the scalar code's float32 operations in the same order (multiply, then add; no
// FMA), vectorising only across independent outputs: the width pass puts 8 image rows in the 8 lanes
// (their bytes transposed to [x][channel][row] floats), the height pass 8 neighbouring values of a row.
#pragma once
#if defined(__x86_64__) || defined(__i386__)
#define GANKIT_RESIZE_AVX2 1
#include <immintrin.h>
#include <algorithm>
#include "resize_passes.h"

#define GANKIT_AVX2 __attribute__((target("avx2")))
#define GANKIT_AVX2_INLINE inline __attribute__((target("avx2"), always_inline))

namespace gankit {


// Eight bytes as eight floats (exact).
GANKIT_AVX2_INLINE __m256 bytesToFloats(__m128i lo8) { return _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(lo8)); }

// Clamp to 0..255 (NaN gives 0, as roundByte: max returns its second operand for NaN), then round half
// to even (the current rounding mode, as nearbyint) to int32.
GANKIT_AVX2_INLINE __m256i roundClamp(__m256 v) {
  return _mm256_cvtps_epi32(_mm256_min_ps(_mm256_max_ps(v, _mm256_setzero_ps()), _mm256_set1_ps(255.0f)));
}

// Eight int32 in 0..255 stored as eight bytes.
GANKIT_AVX2_INLINE void storeBytes8(uint8_t* o, __m256i v) {
  const __m128i w = _mm_packus_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  _mm_storel_epi64(reinterpret_cast<__m128i*>(o), _mm_packus_epi16(w, w));
}

// Thirty-two int32 in 0..255 (a, b, c, d in order) stored as 32 bytes.
GANKIT_AVX2_INLINE void storeBytes32(uint8_t* o, __m256i a, __m256i b, __m256i c, __m256i d) {
  const __m256i ab = _mm256_packus_epi32(a, b), cd = _mm256_packus_epi32(c, d);
  const __m256i bytes = _mm256_permutevar8x32_epi32(_mm256_packus_epi16(ab, cd), _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(o), bytes);
}

// Bytes j .. j + 8 of eight rows, transposed to out[(j' - j) * 8 + row] floats (64 floats).
GANKIT_AVX2_INLINE void transposeBytesIn(const uint8_t* const* rows, size_t j, float* out) {
  __m128i x[8];
  for (int l = 0; l < 8; l++) x[l] = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(rows[l] + j));
  const __m128i a0 = _mm_unpacklo_epi8(x[0], x[1]), a1 = _mm_unpacklo_epi8(x[2], x[3]);
  const __m128i a2 = _mm_unpacklo_epi8(x[4], x[5]), a3 = _mm_unpacklo_epi8(x[6], x[7]);
  const __m128i b0 = _mm_unpacklo_epi16(a0, a1), b1 = _mm_unpackhi_epi16(a0, a1);
  const __m128i b2 = _mm_unpacklo_epi16(a2, a3), b3 = _mm_unpackhi_epi16(a2, a3);
  const __m128i c[4] = {_mm_unpacklo_epi32(b0, b2), _mm_unpackhi_epi32(b0, b2), _mm_unpacklo_epi32(b1, b3), _mm_unpackhi_epi32(b1, b3)};
  for (int q = 0; q < 4; q++) {
    _mm256_storeu_ps(out + 16 * q, bytesToFloats(c[q]));
    _mm256_storeu_ps(out + 16 * q + 8, bytesToFloats(_mm_srli_si128(c[q], 8)));
  }
}

// Transpose eight vectors in place (r[i][j] <-> r[j][i]).
GANKIT_AVX2_INLINE void transpose8x8(__m256 r[8]) {
  const __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
  const __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
  const __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
  const __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
  const __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
  const __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
  const __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
  const __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
  r[0] = _mm256_permute2f128_ps(s0, s4, 0x20);
  r[1] = _mm256_permute2f128_ps(s1, s5, 0x20);
  r[2] = _mm256_permute2f128_ps(s2, s6, 0x20);
  r[3] = _mm256_permute2f128_ps(s3, s7, 0x20);
  r[4] = _mm256_permute2f128_ps(s0, s4, 0x31);
  r[5] = _mm256_permute2f128_ps(s1, s5, 0x31);
  r[6] = _mm256_permute2f128_ps(s2, s6, 0x31);
  r[7] = _mm256_permute2f128_ps(s3, s7, 0x31);
}

// Width pass of n rows (1 <= n <= 8), src[l] the start of row l of w * C bytes (src[n..8) repeat a
// row): buf ([w * C][8] floats) holds the rows transposed, obuf ([ow * C][8]) the sums, written to
// dst[l] (ow * C floats) or, when dst is null, rounded to dstBytes[l].
template <int C>
GANKIT_AVX2 void widthBlockAvx2(const uint8_t* const* src, size_t n, size_t w, const Plan& p, float* bufp, float* obufp, float* const* dst,
                                uint8_t* const* dstBytes) {
  const int32_t* __restrict start = p.start;
  const int32_t* __restrict index = p.index;
  const float* __restrict weight = p.weight;
  float* __restrict buf = bufp;
  float* __restrict obuf = obufp;
  const size_t len = w * C, ow = p.outSize, olen = ow * C;
  size_t j = 0;
  for (; j + 8 <= len; j += 8) transposeBytesIn(src, j, buf + j * 8);
  for (; j < len; j++) for (size_t l = 0; l < 8; l++) buf[j * 8 + l] = src[l][j];
  for (size_t i = 0; i < ow; i++) {
    const int32_t s = start[i], e = start[i + 1];
    __m256 acc[C];
    const float* b = buf + static_cast<size_t>(index[s]) * (C * 8);
    __m256 wv = _mm256_set1_ps(weight[s]);
    for (int k = 0; k < C; k++) acc[k] = _mm256_mul_ps(_mm256_loadu_ps(b + k * 8), wv);
    for (int32_t t = s + 1; t < e; t++) {
      b = buf + static_cast<size_t>(index[t]) * (C * 8);
      wv = _mm256_set1_ps(weight[t]);
      for (int k = 0; k < C; k++) acc[k] = _mm256_add_ps(acc[k], _mm256_mul_ps(_mm256_loadu_ps(b + k * 8), wv));
    }
    for (int k = 0; k < C; k++) _mm256_storeu_ps(obuf + (i * C + k) * 8, acc[k]);
  }
  size_t m = 0;
  for (; m + 8 <= olen; m += 8) {
    __m256 r[8];
    for (int q = 0; q < 8; q++) r[q] = _mm256_loadu_ps(obuf + (m + q) * 8);
    transpose8x8(r);
    if (dst) for (size_t l = 0; l < n; l++) _mm256_storeu_ps(dst[l] + m, r[l]);
    else for (size_t l = 0; l < n; l++) storeBytes8(dstBytes[l] + m, roundClamp(r[l]));
  }
  for (; m < olen; m++) {
    for (size_t l = 0; l < n; l++) {
      if (dst) dst[l][m] = obuf[m * 8 + l];
      else dstBytes[l][m] = roundByte(obuf[m * 8 + l]);
    }
  }
}

GANKIT_AVX2 inline void widthBlockAvx2(const uint8_t* const* src, size_t n, size_t w, size_t c, const Plan& p, float* buf, float* obuf, float* const* dst,
                                       uint8_t* const* dstBytes) {
  switch (c) {
    case 1: widthBlockAvx2<1>(src, n, w, p, buf, obuf, dst, dstBytes); break;
    case 2: widthBlockAvx2<2>(src, n, w, p, buf, obuf, dst, dstBytes); break;
    case 3: widthBlockAvx2<3>(src, n, w, p, buf, obuf, dst, dstBytes); break;
    default: widthBlockAvx2<4>(src, n, w, p, buf, obuf, dst, dstBytes); break;
  }
}

GANKIT_AVX2_INLINE __m256 load8(const float* p) { return _mm256_loadu_ps(p); }
GANKIT_AVX2_INLINE __m256 load8(const uint8_t* p) { return bytesToFloats(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p))); }

// Height pass for one output row (heightRowPortable) with rows[t] the start of tap t's source row:
// 32 values at a time in four accumulators, taps inner.
template <typename Src>
GANKIT_AVX2 void heightRowAvx2(const Src* const* rowsp, const float* weightp, int32_t n, size_t row, uint8_t* op) {
  const Src* const* __restrict rows = rowsp;
  const float* __restrict weight = weightp;
  uint8_t* __restrict o = op;
  size_t x = 0;
  for (; x + 32 <= row; x += 32) {
    const Src* s = rows[0] + x;
    __m256 wv = _mm256_set1_ps(weight[0]);
    __m256 a0 = _mm256_mul_ps(load8(s), wv), a1 = _mm256_mul_ps(load8(s + 8), wv);
    __m256 a2 = _mm256_mul_ps(load8(s + 16), wv), a3 = _mm256_mul_ps(load8(s + 24), wv);
    for (int32_t t = 1; t < n; t++) {
      s = rows[t] + x;
      wv = _mm256_set1_ps(weight[t]);
      a0 = _mm256_add_ps(a0, _mm256_mul_ps(load8(s), wv));
      a1 = _mm256_add_ps(a1, _mm256_mul_ps(load8(s + 8), wv));
      a2 = _mm256_add_ps(a2, _mm256_mul_ps(load8(s + 16), wv));
      a3 = _mm256_add_ps(a3, _mm256_mul_ps(load8(s + 24), wv));
    }
    storeBytes32(o + x, roundClamp(a0), roundClamp(a1), roundClamp(a2), roundClamp(a3));
  }
  for (; x + 8 <= row; x += 8) {
    __m256 a = _mm256_mul_ps(load8(rows[0] + x), _mm256_set1_ps(weight[0]));
    for (int32_t t = 1; t < n; t++) a = _mm256_add_ps(a, _mm256_mul_ps(load8(rows[t] + x), _mm256_set1_ps(weight[t])));
    storeBytes8(o + x, roundClamp(a));
  }
  for (; x < row; x++) {
    float a = static_cast<float>(rows[0][x]) * weight[0];
    for (int32_t t = 1; t < n; t++) a = a + static_cast<float>(rows[t][x]) * weight[t];
    o[x] = roundByte(a);
  }
}

// Whether this CPU runs the AVX2 passes.
inline bool haveAvx2() {
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
}

}  // namespace gankit
#endif
