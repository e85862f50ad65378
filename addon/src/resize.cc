// resizeRaw of src/edit/resize.ts in C++: the separable passes (width, then height) with the plans
// the JavaScript computes (per output position its taps with non-zero weight, the first always),
// float32 multiply-adds in tap order (-ffp-contract=off, no fast-math), then round half to even and
// clamp to 0..255, so the bytes are identical. The passes are in resize_passes.h (portable) and
// resize_avx2.h (8 rows or 8 values per vector, when the CPU has AVX2).
#include <algorithm>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <vector>
#include "napi_util.h"
#include "parallel.h"
#include "resize_passes.h"
#include "resize_avx2.h"

namespace gankit {
namespace {

// Whether the vectorised passes may run (switched off by resizeSimd(false) to test the portable ones).
bool simdAllowed = true;

inline bool useAvx2() {
#ifdef GANKIT_RESIZE_AVX2
  return simdAllowed && haveAvx2();
#else
  return false;
#endif
}

// A plan from (start, index, weight) typed arrays, checked against the sizes; false (error thrown) when invalid.
bool readPlan(napi_env env, napi_value* argv, size_t inSize, size_t outSize, Plan* p) {
  size_t nStart, nIndex, nWeight;
  int32_t *start, *index;
  float* weight;
  if (!typedArray(env, argv[0], napi_int32_array, "plan start", &start, &nStart) || !typedArray(env, argv[1], napi_int32_array, "plan index", &index, &nIndex) ||
      !typedArray(env, argv[2], napi_float32_array, "plan weight", &weight, &nWeight)) return false;
  if (nStart != outSize + 1 || nIndex != nWeight || start[0] != 0 || static_cast<size_t>(start[outSize]) != nIndex) {
    fail(env, "Expected a plan with outSize + 1 starts and one weight per index");
    return false;
  }
  for (size_t i = 0; i < outSize; i++) if (start[i + 1] <= start[i]) { fail(env, "Expected at least one tap per output position"); return false; }
  for (size_t k = 0; k < nIndex; k++) if (index[k] < 0 || static_cast<size_t>(index[k]) >= inSize) { fail(env, "Expected plan indices inside the image"); return false; }
  p->start = start; p->index = index; p->weight = weight; p->outSize = outSize; p->taps = nIndex;
  return true;
}

#ifdef GANKIT_RESIZE_AVX2
// Per worker: the transposed rows and sums of widthBlockAvx2, and the row pointers of one block.
struct WidthScratch {
  std::unique_ptr<float[]> buf, obuf;
  const uint8_t* src[kBlockRows];
  WidthScratch(size_t w, size_t ow, size_t c) : buf(new float[w * c * kBlockRows]), obuf(new float[ow * c * kBlockRows]) {}
  // Rows ys[0..n) of data (lanes past n repeat the last) through the width pass into dst or dstBytes.
  void run(const uint8_t* data, size_t w, size_t c, const Plan& pw, const size_t* ys, size_t n, float* const* dst, uint8_t* const* dstBytes) {
    for (size_t l = 0; l < kBlockRows; l++) src[l] = data + ys[std::min(l, n - 1)] * w * c;
    widthBlockAvx2(src, n, w, c, pw, buf.get(), obuf.get(), dst, dstBytes);
  }
};

// The most taps of any output position of p (at least 1).
size_t maxTaps(const Plan& p) {
  size_t m = 1;
  for (size_t i = 0; i < p.outSize; i++) m = std::max(m, static_cast<size_t>(p.start[i + 1] - p.start[i]));
  return m;
}

// The width pass of every source row, in blocks of 8 rows over the workers, into out's rows of ow * c
// values: bytes (no height pass follows) or float32 (the two-pass path's intermediate image).
template <typename Dst>
void widthAllRows(const uint8_t* data, size_t w, size_t h, size_t c, size_t ow, const Plan& pw, size_t work, Dst* out) {
  const size_t row = ow * c;
  parallelRows((h + kBlockRows - 1) / kBlockRows, work, [&](unsigned, size_t b, size_t e) {
    WidthScratch ws(w, ow, c);
    size_t ys[kBlockRows];
    Dst* dst[kBlockRows];
    for (size_t blk = b; blk < e; blk++) {
      const size_t y0 = blk * kBlockRows, n = std::min(kBlockRows, h - y0);
      for (size_t l = 0; l < n; l++) { ys[l] = y0 + l; dst[l] = out + (y0 + l) * row; }
      if constexpr (std::is_same_v<Dst, float>) ws.run(data, w, c, pw, ys, n, dst, nullptr);
      else ws.run(data, w, c, pw, ys, n, nullptr, dst);
    }
  });
}

// The resize with resize_avx2.h's passes. With both passes, each worker computes the width pass of
// the source rows its output rows need into a ring of rows that stays in cache (fused), provided the
// height plan's rows only move forward (the first and last tap of each output row do not decrease)
// and out does not overlap data; otherwise the width pass writes a float32 image first.
void resizeAvx2(const uint8_t* data, size_t w, size_t h, size_t c, uint8_t* out, size_t ow, size_t oh, const Plan* pw, const Plan* ph, bool overlap) {
  const size_t row = ow * c, work = (pw ? h * row * (pw->taps / ow + 1) : 0) + (ph ? oh * row * (ph->taps / oh + 1) : 0);
  if (!ph) {
    widthAllRows(data, w, h, c, ow, *pw, work, out);  // width pass only, straight to bytes
    return;
  }
  const int32_t* const start = ph->start;
  const int32_t* const index = ph->index;
  const float* const weight = ph->weight;
  const size_t taps = maxTaps(*ph);
  // Source rows of the height pass (bytes, or rows of the width pass's float32 image): rowOf(y).
  auto heightRows = [&](auto rowOf) {
    parallelRows(oh, work, [&](unsigned, size_t b, size_t e) {
      std::vector<decltype(rowOf(0))> rows(taps);
      for (size_t i = b; i < e; i++) {
        const int32_t s = start[i], n = start[i + 1] - s;
        for (int32_t t = 0; t < n; t++) rows[t] = rowOf(static_cast<size_t>(index[s + t]));
        heightRowAvx2(rows.data(), weight + s, n, row, out + i * row);
      }
    });
  };
  if (!pw) {
    heightRows([&](size_t y) { return data + y * row; });
    return;
  }
  // Each output row's first and last source row, and the widest span.
  std::vector<size_t> lo(oh), hi(oh);
  std::vector<uint8_t> needed(h, 0);
  bool forward = true;
  size_t span = 1;
  for (size_t i = 0; i < oh; i++) {
    size_t a = h, z = 0;
    for (int32_t k = start[i]; k < start[i + 1]; k++) {
      const size_t y = static_cast<size_t>(index[k]);
      a = std::min(a, y);
      z = std::max(z, y);
      needed[y] = 1;
    }
    lo[i] = a;
    hi[i] = z;
    span = std::max(span, z - a + 1);
    if (i > 0 && (a < lo[i - 1] || z < hi[i - 1])) forward = false;
  }
  if (!forward || overlap) {
    std::unique_ptr<float[]> mid(new float[h * row]);
    adviseHugePages(mid.get(), h * row * sizeof(float));
    float* const midp = mid.get();
    widthAllRows(data, w, h, c, ow, *pw, work, midp);
    heightRows([&](size_t y) -> const float* { return midp + y * row; });
    return;
  }
  // Fused. Ring slots go round in the order rows are computed (increasing y): at output row i the rows
  // still needed lie in [lo[i], hi[i]] (at most span rows) and at most 7 more were computed past hi[i].
  const size_t ringRows = span + kBlockRows;
  parallelRows(oh, work, [&](unsigned, size_t b, size_t e) {
    WidthScratch ws(w, ow, c);
    std::unique_ptr<float[]> ring(new float[ringRows * row]);
    std::vector<uint32_t> slotOf(h);
    std::vector<const float*> rows(taps);
    size_t ys[kBlockRows];
    float* dst[kBlockRows];
    size_t next = lo[b], computed = 0;
    const size_t last = hi[e - 1];
    for (size_t i = b; i < e; i++) {
      while (next <= hi[i]) {
        size_t n = 0;
        for (; n < kBlockRows && next <= last; next++) if (needed[next]) ys[n++] = next;
        for (size_t l = 0; l < n; l++) {
          const size_t slot = computed++ % ringRows;
          slotOf[ys[l]] = static_cast<uint32_t>(slot);
          dst[l] = ring.get() + slot * row;
        }
        if (n > 0) ws.run(data, w, c, *pw, ys, n, dst, nullptr);
      }
      const int32_t s = start[i], n = start[i + 1] - s;
      for (int32_t t = 0; t < n; t++) rows[t] = ring.get() + slotOf[static_cast<size_t>(index[s + t])] * row;
      heightRowAvx2(rows.data(), weight + s, n, row, out + i * row);
    }
  });
}
#endif

// resize(data, width, height, channels, out, outWidth, outHeight, wStart, wIndex, wWeight, hStart, hIndex, hWeight):
// a plan whose start is null skips that pass (the size is unchanged).
napi_value Resize(napi_env env, napi_callback_info info) {
  napi_value argv[13];
  if (!args(env, info, argv, 13)) return nullptr;
  uint8_t *data, *out;
  size_t len, outLen;
  double wd, hd, cd, owd, ohd;
  if (!typedArray(env, argv[0], napi_uint8_array, "data", &data, &len) || !number(env, argv[1], "width", &wd) || !number(env, argv[2], "height", &hd) ||
      !number(env, argv[3], "channels", &cd) || !typedArray(env, argv[4], napi_uint8_array, "out", &out, &outLen) || !number(env, argv[5], "outWidth", &owd) ||
      !number(env, argv[6], "outHeight", &ohd)) return nullptr;
  const size_t w = static_cast<size_t>(wd), h = static_cast<size_t>(hd), c = static_cast<size_t>(cd), ow = static_cast<size_t>(owd), oh = static_cast<size_t>(ohd);
  if (!(wd >= 1 && hd >= 1 && owd >= 1 && ohd >= 1 && cd >= 1 && cd <= 4)) return fail(env, "Expected positive sizes and 1-4 channels");
  if (len != w * h * c || outLen != ow * oh * c) return fail(env, "Expected data and out of width * height * channels bytes");
  auto isNull = [&](napi_value v) { napi_valuetype t; napi_typeof(env, v, &t); return t == napi_null || t == napi_undefined; };
  Plan pw, ph;
  const bool byWidth = !isNull(argv[7]), byHeight = !isNull(argv[10]);
  if (byWidth && !readPlan(env, argv + 7, w, ow, &pw)) return nullptr;
  if (byHeight && !readPlan(env, argv + 10, h, oh, &ph)) return nullptr;
  if ((!byWidth && ow != w) || (!byHeight && oh != h)) return fail(env, "Expected a plan for each axis whose size changes");
  adviseHugePages(out, outLen);
#ifdef GANKIT_RESIZE_AVX2
  if (useAvx2()) {
    const bool overlap = out < data + len && data < out + outLen;
    resizeAvx2(data, w, h, c, out, ow, oh, byWidth ? &pw : nullptr, byHeight ? &ph : nullptr, overlap);
    return nullptr;
  }
#endif
  std::unique_ptr<float[]> mid;
  if (byWidth) {
    // Width pass: [h, w, c] -> [h, ow, c] float32 (rounded to bytes at once when there is no height pass).
    if (byHeight) {
      mid.reset(new float[h * ow * c]);
      adviseHugePages(mid.get(), h * ow * c * sizeof(float));
    }
    float* const midp = mid.get();
    parallelRows(h, h * ow * c * (pw.taps / ow + 1), [&, midp](unsigned, size_t b, size_t e) { widthRowsPortable(data, w, c, b, e, pw, midp, out); });
    if (!byHeight) return nullptr;
  }
  // Height pass: [h, ow * c] -> [oh, ow * c], rounded to bytes.
  const size_t row = ow * c;
  const float* const midp = mid.get();
  parallelRows(oh, oh * row * (ph.taps / oh + 1), [&, midp](unsigned, size_t b, size_t e) {
    std::unique_ptr<float[]> acc(new float[kHeightChunk]);
    for (size_t i = b; i < e; i++) {
      const int32_t s = ph.start[i], n = ph.start[i + 1] - s;
      if (midp) heightRowPortable(midp, row, ph.index + s, ph.weight + s, n, acc.get(), out + i * row);
      else heightRowPortable(static_cast<const uint8_t*>(data), row, ph.index + s, ph.weight + s, n, acc.get(), out + i * row);
    }
  });
  return nullptr;
}

// resizeSimd(enabled?): switch the vectorised passes on or off (for tests); returns whether they run now.
napi_value ResizeSimd(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc >= 1) {
    bool on;
    if (napi_get_value_bool(env, argv[0], &on) != napi_ok) return fail(env, "Expected a boolean for enabled");
    simdAllowed = on;
  }
  napi_value result;
  napi_get_boolean(env, useAvx2(), &result);
  return result;
}

}  // namespace

void registerResize(napi_env env, napi_value exports) {
  exportFunction(env, exports, "resize", Resize);
  exportFunction(env, exports, "resizeSimd", ResizeSimd);
}

}  // namespace gankit
