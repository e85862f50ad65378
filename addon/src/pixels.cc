// The per-pixel loops of src/edit/pixels.ts in C++ (tables, luma, saturation, histograms, hflip), rows over threads:
// the same float32 operations in the same order (-ffp-contract=off, no fast-math), so the bytes are
// identical. Colour kernels touch colour channels only; the alpha of 2 and 4 channel images is copied.
// Every kernel takes (data, width, height, channels, out, ...).
#include <cstdint>
#include <vector>
#include "image_args.h"
#include "kernels.h"
#include "parallel.h"

namespace gankit {
namespace {

// The arguments (data, width, height, channels, out as long as data, table) of applyLuts and saturation.
bool readTableCall(napi_env env, napi_callback_info info, Image* in, uint8_t** out, uint8_t** table, size_t* tableLen) {
  napi_value argv[6];
  return args(env, info, argv, 6) && readImage(env, argv, in) && readOut(env, argv[4], *in, in->bytes(), out) &&
         typedArray(env, argv[5], napi_uint8_array, "table", table, tableLen);
}

// applyLuts(data, width, height, channels, out, luts): one 256-entry table for all colour channels, or one per colour channel.
napi_value ApplyLuts(napi_env env, napi_callback_info info) {
  Image in;
  uint8_t *out, *luts;
  size_t lutLen;
  if (!readTableCall(env, info, &in, &out, &luts, &lutLen)) return nullptr;
  const int c = static_cast<int>(in.channels);
  if (lutLen != 256 && lutLen != static_cast<size_t>(256 * kernels::colourCount(c))) return fail(env, "Expected one table or one per colour channel");
  const uint8_t* data = in.data;
  const bool shared = lutLen == 256;
  parallelRows(in.pixels(), in.bytes(), [=](unsigned, size_t b, size_t e) { kernels::lutRow(data + b * c, out + b * c, e - b, c, luts, shared); });
  return nullptr;
}

// grayscale(data, width, height, channels, out, outChannels 1|3): luma (alpha kept) into out.
napi_value Grayscale(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  Image in;
  uint8_t* out;
  double od;
  if (!args(env, info, argv, 6) || !readImage(env, argv, &in) || !number(env, argv[5], "outChannels", &od)) return nullptr;
  const int c = static_cast<int>(in.channels), outC = od == 3 ? 3 : 1;
  const int oc = outC + (kernels::colourCount(c) < c ? 1 : 0);
  if (!readOut(env, argv[4], in, in.pixels() * oc, &out)) return nullptr;
  const uint8_t* data = in.data;
  parallelRows(in.pixels(), in.bytes(), [=](unsigned, size_t b, size_t e) { kernels::grayscaleRow(data + b * c, out + b * oc, e - b, c, outC); });
  return nullptr;
}

// saturation(data, width, height, channels 3|4, out, mix): o = mix[floor(luma) << 8 | x] per colour value (the
// JavaScript's 65536-entry blend table); alpha copied.
napi_value Saturation(napi_env env, napi_callback_info info) {
  Image in;
  uint8_t *out, *mix;
  size_t mixLen;
  if (!readTableCall(env, info, &in, &out, &mix, &mixLen)) return nullptr;
  if (in.channels < 3 || mixLen != 65536) return fail(env, "Expected 3 or 4 channels and a 65536-entry table");
  const uint8_t* data = in.data;
  const size_t c = in.channels;
  const kernels::Luma* L = &kernels::luma();
  parallelRows(in.pixels(), in.bytes(), [=](unsigned, size_t b, size_t e) {
    for (size_t p = b; p < e; p++) {
      const uint8_t* s = data + p * c;
      const int grey = L->grey(s) << 8;
      for (size_t k = 0; k < 3; k++) out[p * c + k] = mix[grey | s[k]];
      if (c == 4) out[p * c + 3] = s[3];
    }
  });
  return nullptr;
}

// histograms(data, width, height, channels, out Float64Array(colour channels * 256)): per colour channel 256-bin counts.
napi_value Histograms(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  Image in;
  double* out;
  size_t outLen;
  if (!args(env, info, argv, 5) || !readImage(env, argv, &in) || !typedArray(env, argv[4], napi_float64_array, "out", &out, &outLen)) return nullptr;
  const size_t c = in.channels, cc = static_cast<size_t>(kernels::colourCount(static_cast<int>(c)));
  if (outLen != cc * 256) return fail(env, "Expected out of colour channels * 256 counts");
  // Four tables per worker (parallelRows uses at most 8), pixel p counting into table p % 4 so runs of
  // equal values do not wait on one counter; summed at the end.
  std::vector<std::vector<uint64_t>> counts(8, std::vector<uint64_t>(4 * outLen, 0));
  const uint8_t* data = in.data;
  parallelRows(in.pixels(), in.bytes(), [=, &counts](unsigned t, size_t b, size_t e) {
    uint64_t* h = counts[t].data();
    for (size_t p = b; p < e; p++) for (size_t k = 0; k < cc; k++) h[(p & 3) * outLen + k * 256 + data[p * c + k]]++;
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

// hflip(data, width, height, channels, out): the pixels of each row in reverse order.
napi_value Hflip(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  Image in;
  uint8_t* out;
  if (!args(env, info, argv, 5) || !readImage(env, argv, &in) || !readOut(env, argv[4], in, in.bytes(), &out)) return nullptr;
  const uint8_t* data = in.data;
  const size_t w = in.width, row = w * in.channels, c = in.channels;
  parallelRows(in.height, in.bytes(), [=](unsigned, size_t b, size_t e) {
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
