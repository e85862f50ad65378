// Data-movement kernels of src/edit/pixels.ts in C++ (crop's row extraction, vflip, hflip): the same bytes,
// written with memcpy / pixel moves over threads into an output advised for huge pages.
#include <cstdint>
#include <cstring>
#include "image_args.h"
#include "kernels.h"
#include "parallel.h"

namespace gankit {
namespace {

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
