// Data-movement kernels of src/edit/pixels.ts in C++ (crop's row extraction, vflip, hflip): the same bytes,
// written with memcpy / pixel moves over threads into an output advised for huge pages.
#include <cstdint>
#include <cstring>
#include <emmintrin.h>
#include "image_args.h"
#include "kernels.h"
#include "parallel.h"

namespace gankit {
namespace {

// Outputs from this size up are written with streaming (non-temporal) stores: they are far larger than
// the caches, so the stores skip reading each destination line first (a third less memory traffic).
constexpr size_t kStreamBytes = size_t(8) << 20;

// memcpy with SSE2 streaming stores for the 16-byte-aligned middle of dst (plain copies for the ends).
// The caller issues _mm_sfence() after its last streamed copy.
inline void streamCopy(uint8_t* dst, const uint8_t* src, size_t n) {
  size_t head = (16 - (reinterpret_cast<uintptr_t>(dst) & 15)) & 15;
  if (head > n) head = n;
  std::memcpy(dst, src, head);
  size_t i = head;
  for (; i + 64 <= n; i += 64) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i + 16));
    const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i + 32));
    const __m128i d = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i + 48));
    _mm_stream_si128(reinterpret_cast<__m128i*>(dst + i), a);
    _mm_stream_si128(reinterpret_cast<__m128i*>(dst + i + 16), b);
    _mm_stream_si128(reinterpret_cast<__m128i*>(dst + i + 32), c);
    _mm_stream_si128(reinterpret_cast<__m128i*>(dst + i + 48), d);
  }
  std::memcpy(dst + i, src + i, n - i);
}

// Copy rows: row y of out (row bytes) from src(y), streamed when the whole output is large.
template <typename Src>
void copyRows(uint8_t* out, size_t row, size_t rows, Src src) {
  const bool stream = row * rows >= kStreamBytes;
  parallelRows(rows, row * rows, [out, row, src, stream](unsigned, size_t b, size_t e) {
    if (stream) {
      for (size_t y = b; y < e; y++) streamCopy(out + y * row, src(y), row);
      _mm_sfence();
    } else {
      for (size_t y = b; y < e; y++) std::memcpy(out + y * row, src(y), row);
    }
  });
}

// extract(data, width, height, channels, out, top, left, outWidth, outHeight): the box's rows, copied.
napi_value Extract(napi_env env, napi_callback_info info) {
  napi_value argv[9];
  if (!args(env, info, argv, 9)) return nullptr;
  Image in;
  double top, left, ow, oh;
  if (!readImage(env, argv, &in) || !number(env, argv[5], "top", &top) || !number(env, argv[6], "left", &left) ||
      !number(env, argv[7], "outWidth", &ow) || !number(env, argv[8], "outHeight", &oh)) return nullptr;
  if (!(top >= 0 && left >= 0 && ow >= 1 && oh >= 1 && top + oh <= in.height && left + ow <= in.width)) return fail(env, "Expected a box inside the image");
  const size_t c = in.channels, w = in.width, t = static_cast<size_t>(top), l = static_cast<size_t>(left);
  const size_t row = static_cast<size_t>(ow) * c, rows = static_cast<size_t>(oh);
  uint8_t* out;
  if (!readOut(env, argv[4], in, row * rows, &out)) return nullptr;
  const uint8_t* data = in.data;
  copyRows(out, row, rows, [data, w, c, t, l](size_t y) { return data + ((t + y) * w + l) * c; });
  return nullptr;
}

// vflip(data, width, height, channels, out): rows in reverse order.
napi_value Vflip(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  if (!args(env, info, argv, 5)) return nullptr;
  Image in;
  uint8_t* out;
  if (!readImage(env, argv, &in)) return nullptr;
  const size_t row = in.width * in.channels, h = in.height;
  if (!readOut(env, argv[4], in, row * h, &out)) return nullptr;
  const uint8_t* data = in.data;
  copyRows(out, row, h, [data, row, h](size_t y) { return data + (h - 1 - y) * row; });
  return nullptr;
}

// hflip(data, width, height, channels, out): pixels of each row in reverse order.
napi_value Hflip(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  if (!args(env, info, argv, 5)) return nullptr;
  Image in;
  uint8_t* out;
  if (!readImage(env, argv, &in)) return nullptr;
  const size_t w = in.width, c = in.channels, row = w * c, h = in.height;
  if (!readOut(env, argv[4], in, row * h, &out)) return nullptr;
  const uint8_t* data = in.data;
  parallelRows(h, row * h, [data, out, w, c, row](unsigned, size_t b, size_t e) {
    for (size_t y = b; y < e; y++) kernels::mirrorRow(data + y * row, out + y * row, w, static_cast<int>(c));
  });
  return nullptr;
}

}  // namespace

void registerCopy(napi_env env, napi_value exports) {
  exportFunction(env, exports, "extract", Extract);
  exportFunction(env, exports, "vflip", Vflip);
  exportFunction(env, exports, "hflip", Hflip);
}

}  // namespace gankit
