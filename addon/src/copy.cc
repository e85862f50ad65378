// Data-movement kernels of src/edit/pixels.ts in C++ (crop's row extraction, vflip, hflip): the same bytes,
// written with memcpy / pixel moves over threads into an output advised for huge pages.
#include <cmath>
#include <cstdint>
#include <cstring>
#include "napi_util.h"
#include "kernels.h"
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
