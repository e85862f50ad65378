// The per-pixel loops of src/edit/pixels.ts in C++ (tables, luma, saturation blend, histograms) on the
// row kernels of kernels.h: the same float32 operations in the same order (-ffp-contract=off, no
// fast-math), so the bytes are identical. Colour kernels touch colour channels only; the alpha of 2 and 4 channel images is copied.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>
#include "napi_util.h"
#include "kernels.h"
#include "parallel.h"

namespace gankit {
namespace {

using kernels::luma;
using kernels::Luma;
inline int64_t colourCount(int64_t c) { return kernels::colourCount(static_cast<int>(c)); }

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
        default: break;
      }
    }
    kernels::lutRow(src + b * c, dst + b * c, e - b, static_cast<int>(c), t, shared);
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

// grayscale(data, out, channels, outChannels 1|3): luma (alpha kept) into out, which must not overlap data.
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
  if (out < data + len && data < out + outLen) return fail(env, "Expected out not to overlap data");
  parallelRows(static_cast<size_t>(n), len, [data, out, c, oc, outC](unsigned, size_t b, size_t e) {
    kernels::grayscaleRow(data + b * c, out + b * oc, e - b, static_cast<int>(c), static_cast<int>(outC));
  });
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
  const std::unique_ptr<kernels::SaturationMix> mix(new kernels::SaturationMix(fa, fb));
  const kernels::SaturationMix* m = mix.get();
  parallelRows(static_cast<size_t>(n), len, [data, out, c, m](unsigned, size_t b, size_t e) {
    kernels::saturationRow(data + b * c, out + b * c, e - b, static_cast<int>(c), *m);
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
    // Four interleaved uint32 tables per channel (kernels.h), added to this worker's uint64 totals every 2^30 pixels.
    const size_t bins = static_cast<size_t>(cc * 256);
    std::vector<uint32_t> local(4 * bins);
    uint32_t* h = local.data();
    uint64_t* total = counts[t].data();
    for (size_t start = b; start < e; start += size_t(1) << 30) {
      const size_t end = std::min(e, start + (size_t(1) << 30));
      std::fill(local.begin(), local.end(), 0u);
      kernels::countInterleaved(data + start * c, end - start, static_cast<size_t>(c), static_cast<size_t>(cc), h, bins);
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
