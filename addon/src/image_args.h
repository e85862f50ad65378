// Argument reading shared by the addon's image kernels: (data, width, height, channels) and an output
// buffer of a given size that does not overlap the input.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include "napi_util.h"
#include "parallel.h"

namespace gankit {

/** An 8-bit interleaved image passed from JavaScript. */
struct Image {
  uint8_t* data = nullptr;
  size_t width = 0, height = 0, channels = 0;
  size_t pixels() const { return width * height; }
  size_t bytes() const { return width * height * channels; }
};

/** Read (data, width, height, channels) at argv[0..3]; false (error thrown) unless the sizes match the buffer. */
inline bool readImage(napi_env env, napi_value* argv, Image* img) {
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

/** The output buffer v, which must hold exactly `bytes` bytes and not overlap the input. */
inline bool readOut(napi_env env, napi_value v, const Image& in, size_t bytes, uint8_t** out) {
  size_t len;
  if (!typedArray(env, v, napi_uint8_array, "out", out, &len)) return false;
  if (len != bytes) { fail(env, "Expected out of the output's width * height * channels bytes"); return false; }
  const uint8_t* end = in.data + in.width * in.height * in.channels;
  if (*out < end && in.data < *out + len) { fail(env, "Expected out not to overlap data"); return false; }
  return true;
}

}  // namespace gankit
