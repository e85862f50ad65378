// The per-pixel loops of src/edit/pixels.ts in C++ (tables, luma, saturation blend, histograms, hflip) on the
// row kernels of kernels.h: the same float32 operations in the same order (-ffp-contract=off, no
// fast-math), so the bytes are identical. Colour kernels touch colour channels only; the alpha of 2 and 4 channel images is copied.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>
#include "image_args.h"
#include "kernels.h"
#include "parallel.h"

namespace gankit {
namespace {

using kernels::luma;
using kernels::Luma;
inline int64_t colourCount(int64_t c) { return kernels::colourCount(static_cast<int>(c)); }

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
  parallelRows(static_cast<size_t>(n), len, [data, out, luts, c, shared](unsigned, size_t b, size_t e) {
    kernels::lutRow(data + b * c, out + b * c, e - b, static_cast<int>(c), luts, shared);
  });
  return nullptr;
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
  // Four tables per worker (parallelRows uses at most 8), pixel p counting into table p % 4 so runs of
  // equal values do not wait on one counter; summed at the end.
  std::vector<std::vector<uint64_t>> counts(8, std::vector<uint64_t>(4 * outLen, 0));
  parallelRows(static_cast<size_t>(n), len, [data, c, cc, outLen, &counts](unsigned t, size_t b, size_t e) {
    uint64_t* h = counts[t].data();
    for (size_t p = b; p < e; p++) for (int64_t k = 0; k < cc; k++) h[(p & 3) * outLen + k * 256 + data[p * c + k]]++;
  });
  for (size_t i = 0; i < outLen; i++) {
    uint64_t s = 0;
    for (auto& h : counts) s += h[i] + h[outLen + i] + h[2 * outLen + i] + h[3 * outLen + i];
    out[i] = static_cast<double>(s);
  }
  return nullptr;
}

template <size_t C>
void mirrorRow(const uint8_t* __restrict s, uint8_t* __restrict o, size_t w) {
  for (size_t x = 0; x < w; x++) for (size_t k = 0; k < C; k++) o[x * C + k] = s[(w - 1 - x) * C + k];
}

// hflip(data, width, height, channels, out): the pixels of each row in reverse order, into out (not overlapping data).
napi_value Hflip(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  if (!args(env, info, argv, 5)) return nullptr;
  Image in;
  uint8_t* out;
  if (!readImage(env, argv, &in)) return nullptr;
  const size_t w = in.width, c = in.channels, row = w * c;
  if (!readOut(env, argv[4], in, row * in.height, &out)) return nullptr;
  const uint8_t* data = in.data;
  parallelRows(in.height, row * in.height, [data, out, w, c, row](unsigned, size_t b, size_t e) {
    for (size_t y = b; y < e; y++) {
      switch (c) {  // a constant channel count lets the compiler unroll the pixel copy
        case 1: mirrorRow<1>(data + y * row, out + y * row, w); break;
        case 2: mirrorRow<2>(data + y * row, out + y * row, w); break;
        case 3: mirrorRow<3>(data + y * row, out + y * row, w); break;
        default: mirrorRow<4>(data + y * row, out + y * row, w); break;
      }
    }
  });
  return nullptr;
}

}  // namespace

void registerPixels(napi_env env, napi_value exports) {
  exportFunction(env, exports, "applyLuts", ApplyLuts);
  exportFunction(env, exports, "grayscale", Grayscale);
  exportFunction(env, exports, "saturation", Saturation);
  exportFunction(env, exports, "histograms", Histograms);
  exportFunction(env, exports, "hflip", Hflip);
}

}  // namespace gankit
