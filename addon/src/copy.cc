// hflip of src/edit/pixels.ts in C++: the pixels of each row in reverse order, rows over threads.
#include <cstdint>
#include "image_args.h"
#include "kernels.h"
#include "parallel.h"

namespace gankit {
namespace {

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
  exportFunction(env, exports, "hflip", Hflip);
}

}  // namespace gankit
