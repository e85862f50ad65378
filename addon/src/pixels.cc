// The per-pixel loops of src/edit/pixels.ts in C++ (tables, luma, saturation blend, histograms):
// the same float32 operations in the same order (-ffp-contract=off, no fast-math), so the bytes are
// identical. Colour kernels touch colour channels only; the alpha of 2 and 4 channel images is copied.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>
#include "napi_util.h"
#include "parallel.h"

namespace gankit {
namespace {

inline int64_t colourCount(int64_t c) { return c == 2 || c == 4 ? c - 1 : c; }

// torchvision's float32 luma weights, rounded from the doubles as Math.fround does.
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
  // floor(float32(float32(R wr + G wg) + B wb)) (non-negative: truncation).
  inline int grey(const uint8_t* p) const {
    float s = r[p[0]] + g[p[1]];
    s = s + b[p[2]];
    return static_cast<int>(s);
  }
};
const Luma& luma() {
  static const Luma table;
  return table;
}

// A 256-entry table recognised as an arithmetic form, so its pass vectorises: x & k (posterize), x ^ k
// (invert, identity), x >= k ? 255 - x : x (solarize, k in 1..255). General: a lookup per byte.
struct LutForm {
  enum Kind { General, Mask, Xor, Solarize } kind = General;
  uint8_t k = 0;
};
LutForm lutForm(const uint8_t* t) {
  auto all = [t](auto f) { for (int x = 0; x < 256; x++) if (t[x] != static_cast<uint8_t>(f(x))) return false; return true; };
  const uint8_t m = t[255], z = t[0];
  if (all([m](int x) { return x & m; })) return {LutForm::Mask, m};
  if (all([z](int x) { return x ^ z; })) return {LutForm::Xor, z};
  int th = 0;
  while (th < 256 && t[th] == th) th++;
  if (th >= 1 && th <= 255 && all([th](int x) { return x >= th ? 255 - x : x; })) return {LutForm::Solarize, static_cast<uint8_t>(th)};
  return {};
}

// dst[i] = f(src[i]) for i in [b, e), where dst is src itself or does not overlap it (so the loop vectorises either way).
template <typename F>
inline void mapBytes(const uint8_t* src, uint8_t* dst, size_t b, size_t e, F f) {
  if (src == dst) {
    uint8_t* p = dst;
    for (size_t i = b; i < e; i++) p[i] = f(p[i]);
    return;
  }
  const uint8_t* __restrict s = src;
  uint8_t* __restrict d = dst;
  for (size_t i = b; i < e; i++) d[i] = f(s[i]);
}

// Check data is pixels * channels bytes with 1-4 channels; returns the pixel count or -1 (error thrown).
int64_t pixelCount(napi_env env, size_t len, double c) {
  if (!(c >= 1 && c <= 4) || c != std::floor(c)) { fail(env, "Expected channels 1-4"); return -1; }
  if (len % static_cast<size_t>(c) != 0) { fail(env, "Expected a whole number of pixels"); return -1; }
  return static_cast<int64_t>(len / static_cast<size_t>(c));
}

// applyLuts(data, out, channels, luts): luts holds one 256-entry table per colour channel, or one for all.
napi_value ApplyLuts(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!args(env, info, argv, 4)) return nullptr;
  uint8_t *data, *out, *luts;
  size_t len, outLen, lutLen;
  double cd;
  if (!typedArray(env, argv[0], napi_uint8_array, "data", &data, &len) || !typedArray(env, argv[1], napi_uint8_array, "out", &out, &outLen)) return nullptr;
  if (!number(env, argv[2], "channels", &cd) || !typedArray(env, argv[3], napi_uint8_array, "luts", &luts, &lutLen)) return nullptr;
  const int64_t n = pixelCount(env, len, cd);
  if (n < 0) return nullptr;
  const int64_t c = static_cast<int64_t>(cd), cc = colourCount(c);
  if (outLen != len) return fail(env, "Expected out as long as data");
  if (lutLen != 256 && lutLen != static_cast<size_t>(256 * cc)) return fail(env, "Expected one table or one per colour channel");
  const bool shared = lutLen == 256;
  if (out != data) adviseHugePages(out, outLen);
  // Workers copy the pointers into locals: captured by reference, every byte store could alias them.
  const LutForm form = shared ? lutForm(luts) : LutForm{};
  parallelRows(static_cast<size_t>(n), len, [data, out, luts, c, cc, shared, form](unsigned, size_t b, size_t e) {
    const uint8_t* src = data;
    uint8_t* dst = out;
    const uint8_t* t = luts;
    if (shared && cc == c) {
      const size_t i0 = b * c, i1 = e * c;
      switch (form.kind) {
        case LutForm::Mask: mapBytes(src, dst, i0, i1, [m = form.k](uint8_t x) { return static_cast<uint8_t>(x & m); }); return;
        case LutForm::Xor: mapBytes(src, dst, i0, i1, [k = form.k](uint8_t x) { return static_cast<uint8_t>(x ^ k); }); return;
        case LutForm::Solarize:
          mapBytes(src, dst, i0, i1, [th = form.k](uint8_t x) { return x >= th ? static_cast<uint8_t>(255 - x) : x; });
          return;
        default: for (size_t i = i0; i < i1; i++) dst[i] = t[src[i]]; return;
      }
    }
    if (c == 3) {
      const uint8_t *t0 = t, *t1 = t + 256, *t2 = t + 512;
      for (size_t i = b * 3; i < e * 3; i += 3) {
        const uint8_t x0 = src[i], x1 = src[i + 1], x2 = src[i + 2];
        dst[i] = t0[x0]; dst[i + 1] = t1[x1]; dst[i + 2] = t2[x2];
      }
      return;
    }
    for (size_t p = b; p < e; p++) {
      const size_t i = p * c;
      const uint8_t a = cc < c ? src[i + cc] : 0;
      for (int64_t k = 0; k < cc; k++) dst[i + k] = t[(shared ? 0 : k * 256) + src[i + k]];
      if (cc < c) dst[i + cc] = a;
    }
  });
  return nullptr;
}

// greySum(data, channels): sum of floor(luma) (3-4 channels) or of the value (1-2 channels).
napi_value GreySum(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!args(env, info, argv, 2)) return nullptr;
  uint8_t* data;
  size_t len;
  double cd;
  if (!typedArray(env, argv[0], napi_uint8_array, "data", &data, &len) || !number(env, argv[1], "channels", &cd)) return nullptr;
  const int64_t n = pixelCount(env, len, cd);
  if (n < 0) return nullptr;
  const int64_t c = static_cast<int64_t>(cd);
  const Luma& L = luma();
  std::vector<uint64_t> sums(8, 0);
  uint64_t* partial = sums.data();
  parallelRows(static_cast<size_t>(n), len, [data, c, &L, partial](unsigned t, size_t b, size_t e) {
    const uint8_t* src = data;
    uint64_t s = 0;
    if (c < 3) for (size_t p = b; p < e; p++) s += src[p * c];
    else for (size_t p = b; p < e; p++) s += static_cast<uint64_t>(L.grey(src + p * c));
    partial[t] = s;
  });
  uint64_t total = 0;
  for (uint64_t s : sums) total += s;
  napi_value result;
  napi_create_double(env, static_cast<double>(total), &result);
  return result;
}

// grayscale(data, out, channels, outChannels 1|3): luma (alpha kept); out may be data itself.
napi_value Grayscale(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!args(env, info, argv, 4)) return nullptr;
  uint8_t *data, *out;
  size_t len, outLen;
  double cd, od;
  if (!typedArray(env, argv[0], napi_uint8_array, "data", &data, &len) || !typedArray(env, argv[1], napi_uint8_array, "out", &out, &outLen)) return nullptr;
  if (!number(env, argv[2], "channels", &cd) || !number(env, argv[3], "outChannels", &od)) return nullptr;
  const int64_t n = pixelCount(env, len, cd);
  if (n < 0) return nullptr;
  const int64_t c = static_cast<int64_t>(cd), outC = od == 3 ? 3 : 1;
  const bool alpha = c == 2 || c == 4;
  const int64_t oc = outC + (alpha ? 1 : 0);
  if (outLen != static_cast<size_t>(n * oc)) return fail(env, "Expected out of pixels * output channels bytes");
  // Written in place with fewer channels, a later worker would overwrite pixels an earlier one has not read yet.
  const bool overlap = out < data + len && data < out + outLen;
  std::vector<uint8_t> temp;
  uint8_t* dst = out;
  if (overlap && oc < c) { temp.resize(outLen); dst = temp.data(); }
  if (!overlap) adviseHugePages(out, outLen);
  const Luma& L = luma();
  parallelRows(static_cast<size_t>(n), len, [data, dst, c, oc, outC, alpha, &L](unsigned, size_t b, size_t e) {
    const uint8_t* src = data;
    uint8_t* to = dst;
    if (c == 3 && oc == 1) {  // the common case, kept simple for the compiler
      for (size_t p = b; p < e; p++) to[p] = static_cast<uint8_t>(L.grey(src + p * 3));
      return;
    }
    for (size_t p = b; p < e; p++) {
      const uint8_t* s = src + p * c;
      uint8_t* o = to + p * oc;
      const uint8_t l = c < 3 ? s[0] : static_cast<uint8_t>(L.grey(s));
      const uint8_t a = alpha ? s[c - 1] : 0;
      o[0] = l;
      if (outC == 3) { o[1] = l; o[2] = l; }
      if (alpha) o[outC] = a;
    }
  });
  if (dst != out) std::memcpy(out, dst, outLen);
  return nullptr;
}

// saturation(data, out, channels 3|4, fa, fb): blend each RGB value with floor(luma): trunc(clamp(x fa + grey fb)).
napi_value Saturation(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  if (!args(env, info, argv, 5)) return nullptr;
  uint8_t *data, *out;
  size_t len, outLen;
  double cd, fad, fbd;
  if (!typedArray(env, argv[0], napi_uint8_array, "data", &data, &len) || !typedArray(env, argv[1], napi_uint8_array, "out", &out, &outLen)) return nullptr;
  if (!number(env, argv[2], "channels", &cd) || !number(env, argv[3], "fa", &fad) || !number(env, argv[4], "fb", &fbd)) return nullptr;
  const int64_t n = pixelCount(env, len, cd);
  if (n < 0) return nullptr;
  const int64_t c = static_cast<int64_t>(cd);
  if (c < 3) return fail(env, "Expected 3 or 4 channels");
  if (outLen != len) return fail(env, "Expected out as long as data");
  const float fa = static_cast<float>(fad), fb = static_cast<float>(fbd);
  if (out != data) adviseHugePages(out, outLen);
  float a[256], bt[256];
  for (int x = 0; x < 256; x++) { a[x] = static_cast<float>(x) * fa; bt[x] = static_cast<float>(x) * fb; }
  std::vector<uint8_t> mix(65536);
  for (int l = 0; l < 256; l++) {
    for (int x = 0; x < 256; x++) {
      const float y = a[x] + bt[l];
      mix[(l << 8) | x] = y <= 0 ? 0 : y >= 255 ? 255 : static_cast<uint8_t>(y);
    }
  }
  const Luma& L = luma();
  const uint8_t* m = mix.data();
  parallelRows(static_cast<size_t>(n), len, [data, out, c, m, &L](unsigned, size_t b, size_t e) {
    const uint8_t* src = data;
    uint8_t* dst = out;
    for (size_t p = b; p < e; p++) {
      const uint8_t* s = src + p * c;
      uint8_t* o = dst + p * c;
      const uint8_t r = s[0], g = s[1], bl = s[2];
      const int grey = L.grey(s) << 8;
      const uint8_t al = c == 4 ? s[3] : 0;
      o[0] = m[grey | r]; o[1] = m[grey | g]; o[2] = m[grey | bl];
      if (c == 4) o[3] = al;
    }
  });
  return nullptr;
}

// histograms(data, channels, out Float64Array(colour channels * 256)): per colour channel 256-bin counts.
napi_value Histograms(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  if (!args(env, info, argv, 3)) return nullptr;
  uint8_t* data;
  double* out;
  size_t len, outLen;
  double cd;
  if (!typedArray(env, argv[0], napi_uint8_array, "data", &data, &len) || !number(env, argv[1], "channels", &cd)) return nullptr;
  if (!typedArray(env, argv[2], napi_float64_array, "out", &out, &outLen)) return nullptr;
  const int64_t n = pixelCount(env, len, cd);
  if (n < 0) return nullptr;
  const int64_t c = static_cast<int64_t>(cd), cc = colourCount(c);
  if (outLen != static_cast<size_t>(cc * 256)) return fail(env, "Expected out of colour channels * 256 counts");
  std::vector<std::vector<uint64_t>> counts(8, std::vector<uint64_t>(static_cast<size_t>(cc * 256), 0));
  parallelRows(static_cast<size_t>(n), len, [data, c, cc, &counts](unsigned t, size_t b, size_t e) {
    // Four interleaved uint32 tables per channel (consecutive pixels count into different tables, so runs of
    // equal values do not serialise on one counter), added to this worker's uint64 totals every 2^30 pixels.
    const size_t bins = static_cast<size_t>(cc * 256);
    std::vector<uint32_t> local(4 * bins);
    uint32_t* h = local.data();
    uint64_t* total = counts[t].data();
    const uint8_t* src = data;
    for (size_t start = b; start < e; start += size_t(1) << 30) {
      const size_t end = std::min(e, start + (size_t(1) << 30));
      std::fill(local.begin(), local.end(), 0u);
      size_t p = start;
      if (c == 3 || c == 1) {
        const size_t cs = static_cast<size_t>(c);
        for (; p + 4 <= end; p += 4) {
          const uint8_t* s = src + p * cs;
          for (size_t k = 0; k < cs; k++) {
            const size_t o = k * 256;
            h[o + s[k]]++;
            h[bins + o + s[cs + k]]++;
            h[2 * bins + o + s[2 * cs + k]]++;
            h[3 * bins + o + s[3 * cs + k]]++;
          }
        }
      }
      for (; p < end; p++) {
        const uint8_t* s = src + p * c;
        for (int64_t k = 0; k < cc; k++) h[k * 256 + s[k]]++;
      }
      for (size_t i = 0; i < bins; i++) total[i] += uint64_t(h[i]) + h[bins + i] + h[2 * bins + i] + h[3 * bins + i];
    }
  });
  for (size_t i = 0; i < outLen; i++) {
    uint64_t s = 0;
    for (auto& h : counts) s += h[i];
    out[i] = static_cast<double>(s);
  }
  return nullptr;
}

}  // namespace

void registerPixels(napi_env env, napi_value exports) {
  exportFunction(env, exports, "applyLuts", ApplyLuts);
  exportFunction(env, exports, "greySum", GreySum);
  exportFunction(env, exports, "grayscale", Grayscale);
  exportFunction(env, exports, "saturation", Saturation);
  exportFunction(env, exports, "histograms", Histograms);
}

}  // namespace gankit
