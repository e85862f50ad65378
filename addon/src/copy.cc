// Data-movement kernels of src/edit/pixels.ts in C++ (crop's row extraction, vflip, hflip): the same bytes,
// written with memcpy / pixel moves over threads into an output advised for huge pages.
#include <cmath>
#include <cstdint>
#include <cstring>
#include "napi_util.h"
#include "parallel.h"

namespace gankit {
namespace {

struct Image {
  uint8_t* data = nullptr;
  size_t width = 0, height = 0, channels = 0;
};

// Read (data, width, height, channels) at argv[0..3]; false (error thrown) unless the sizes match the buffer.
bool readImage(napi_env env, napi_value* argv, Image* img) {
  size_t len;
  double w, h, c;
  if (!typedArray(env, argv[0], napi_uint8_array, "data", &img->data, &len) || !number(env, argv[1], "width", &w) ||
      !number(env, argv[2], "height", &h) || !number(env, argv[3], "channels", &c)) return false;
  if (!(w >= 1 && h >= 1 && c >= 1 && c <= 4) || w != std::floor(w) || h != std::floor(h) || c != std::floor(c)) {
    fail(env, "Expected positive integer sizes and 1-4 channels");
    return false;
  }
  img->width = static_cast<size_t>(w); img->height = static_cast<size_t>(h); img->channels = static_cast<size_t>(c);
  if (len != img->width * img->height * img->channels) { fail(env, "Expected data of width * height * channels bytes"); return false; }
  return true;
}

// The output buffer at argv[i], which must hold exactly `bytes` bytes and not overlap the input.
bool readOut(napi_env env, napi_value v, const Image& in, size_t bytes, uint8_t** out) {
  size_t len;
  if (!typedArray(env, v, napi_uint8_array, "out", out, &len)) return false;
  if (len != bytes) { fail(env, "Expected out of the output's width * height * channels bytes"); return false; }
  const uint8_t* end = in.data + in.width * in.height * in.channels;
  if (*out < end && in.data < *out + len) { fail(env, "Expected out not to overlap data"); return false; }
  adviseHugePages(*out, len);
  return true;
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
  parallelRows(rows, row * rows, [data, out, row, w, c, t, l](unsigned, size_t b, size_t e) {
    for (size_t y = b; y < e; y++) std::memcpy(out + y * row, data + ((t + y) * w + l) * c, row);
  });
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
  parallelRows(h, row * h, [data, out, row, h](unsigned, size_t b, size_t e) {
    for (size_t y = b; y < e; y++) std::memcpy(out + y * row, data + (h - 1 - y) * row, row);
  });
  return nullptr;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define GANKIT_HFLIP_SSSE3 1
// One row of 3-byte pixels reversed, five pixels per 16-byte load / shuffle / store (SSSE3): output pixels
// x..x+4 are source pixels w-1-x .. w-5-x, loaded from the byte before them; the 16th stored byte is the next
// pixel's first and is overwritten by the next step. Returns the first output pixel left to the caller.
__attribute__((target("ssse3"))) size_t hflipRow3(const uint8_t* s, uint8_t* o, size_t w) {
  const __m128i order = _mm_setr_epi8(13, 14, 15, 10, 11, 12, 7, 8, 9, 4, 5, 6, 1, 2, 3, 0);
  size_t x = 0;
  for (; x + 6 <= w; x += 5) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + (w - 5 - x) * 3 - 1));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(o + x * 3), _mm_shuffle_epi8(v, order));
  }
  return x;
}
const bool hasSsse3 = __builtin_cpu_supports("ssse3");
#endif

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
    for (size_t y = b; y < e; y++) {
      const uint8_t* s = data + y * row;
      uint8_t* o = out + y * row;
      if (c == 3) {
        size_t x0 = 0;
#ifdef GANKIT_HFLIP_SSSE3
        if (hasSsse3) x0 = hflipRow3(s, o, w);
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        // Pixel moves as one 4-byte load (from the byte before the pixel, shifted down) and one 4-byte store
        // whose extra byte the next pixel overwrites; source pixel 0 (the last output pixel) byte by byte.
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
