// resizeRaw of src/edit/resize.ts in C++: the separable passes (width, then height) with the plans
// the JavaScript computes (per output position its taps with non-zero weight, the first always),
// float32 multiply-adds in tap order (-ffp-contract=off, no fast-math), then round half to even and
// clamp to 0..255, so the bytes are identical. The passes are in resize_passes.h (portable C++).
#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <vector>
#include "image_args.h"
#include "resize_passes.h"

namespace gankit {
namespace {

// A plan from (start, index, weight) typed arrays, checked against the sizes; false (error thrown) when invalid.
bool readPlan(napi_env env, napi_value* argv, size_t inSize, size_t outSize, Plan* p) {
  size_t nStart, nIndex, nWeight;
  int32_t *start, *index;
  float* weight;
  if (!typedArray(env, argv[0], napi_int32_array, "plan start", &start, &nStart) || !typedArray(env, argv[1], napi_int32_array, "plan index", &index, &nIndex) ||
      !typedArray(env, argv[2], napi_float32_array, "plan weight", &weight, &nWeight)) return false;
  if (nStart != outSize + 1 || nIndex != nWeight || start[0] != 0 || static_cast<size_t>(start[outSize]) != nIndex) {
    fail(env, "Expected a plan with outSize + 1 starts and one weight per index");
    return false;
  }
  for (size_t i = 0; i < outSize; i++) if (start[i + 1] <= start[i]) { fail(env, "Expected at least one tap per output position"); return false; }
  for (size_t k = 0; k < nIndex; k++) if (index[k] < 0 || static_cast<size_t>(index[k]) >= inSize) { fail(env, "Expected plan indices inside the image"); return false; }
  p->start = start; p->index = index; p->weight = weight; p->outSize = outSize; p->taps = nIndex;
  return true;
}

// resize(data, width, height, channels, out, outWidth, outHeight, wStart, wIndex, wWeight, hStart, hIndex, hWeight):
// a plan whose start is null skips that pass (the size is unchanged).
napi_value Resize(napi_env env, napi_callback_info info) {
  napi_value argv[13];
  if (!args(env, info, argv, 13)) return nullptr;
  Image in;
  uint8_t* out;
  double owd, ohd;
  if (!readImage(env, argv, &in) || !number(env, argv[5], "outWidth", &owd) || !number(env, argv[6], "outHeight", &ohd)) return nullptr;
  if (!(owd >= 1 && ohd >= 1)) return fail(env, "Expected positive output sizes");
  const size_t w = in.width, h = in.height, c = in.channels, ow = static_cast<size_t>(owd), oh = static_cast<size_t>(ohd);
  if (!readOut(env, argv[4], in, ow * oh * c, &out)) return nullptr;
  const uint8_t* data = in.data;
  auto isNull = [&](napi_value v) { napi_valuetype t; napi_typeof(env, v, &t); return t == napi_null || t == napi_undefined; };
  Plan pw, ph;
  const bool byWidth = !isNull(argv[7]), byHeight = !isNull(argv[10]);
  if (byWidth && !readPlan(env, argv + 7, w, ow, &pw)) return nullptr;
  if (byHeight && !readPlan(env, argv + 10, h, oh, &ph)) return nullptr;
  if ((!byWidth && ow != w) || (!byHeight && oh != h)) return fail(env, "Expected a plan for each axis whose size changes");
  if (!byHeight) {
    // Width pass only: rounded straight into out.
    parallelRows(h, h * ow * c * (pw.taps / ow + 1), [&](unsigned, size_t b, size_t e) { widthRowsPortable(data, w, c, b, e, pw, nullptr, out); });
    return nullptr;
  }
  // Height pass in strips of kStrip output rows: each strip's source rows go through the width pass into
  // a small float32 buffer first (rows shared by two strips are computed twice), so no image-sized
  // intermediate is allocated; the sums are the same as a whole width pass followed by the height pass.
  const size_t row = ow * c;
  parallelRows(oh, oh * row * (ph.taps / oh + 1), [&](unsigned, size_t b, size_t e) {
    std::vector<float> mid, acc(kHeightChunk);
    for (size_t i0 = b; i0 < e; i0 += kStrip) {
      const size_t i1 = std::min(e, i0 + kStrip);
      int32_t lo = ph.index[ph.start[i0]], hi = lo;
      for (int32_t t = ph.start[i0]; t < ph.start[i1]; t++) { lo = std::min(lo, ph.index[t]); hi = std::max(hi, ph.index[t]); }
      if (byWidth) {
        mid.resize(static_cast<size_t>(hi - lo + 1) * row);
        widthRowsPortable(data + static_cast<size_t>(lo) * w * c, w, c, 0, static_cast<size_t>(hi - lo + 1), pw, mid.data(), nullptr);
      }
      for (size_t i = i0; i < i1; i++) {
        const int32_t s = ph.start[i], n = ph.start[i + 1] - s;
        if (byWidth) heightRowPortable(mid.data(), row, ph.index + s, lo, ph.weight + s, n, acc.data(), out + i * row);
        else heightRowPortable(static_cast<const uint8_t*>(data), row, ph.index + s, 0, ph.weight + s, n, acc.data(), out + i * row);
      }
    }
  });
  return nullptr;
}

}  // namespace

void registerResize(napi_env env, napi_value exports) {
  exportFunction(env, exports, "resize", Resize);
}

}  // namespace gankit
