// gankit's optional native kernels (Node-API only): the warp sampler, the per-pixel loops, the separable
// resize, hflip and the sharpness kernel of src/edit, bit-identical to their JavaScript
// versions. Loaded by src/edit/addon.ts when built.
#include <node_api.h>

namespace gankit {
void registerWarp(napi_env env, napi_value exports);
void registerPixels(napi_env env, napi_value exports);
void registerResize(napi_env env, napi_value exports);
void registerSharpness(napi_env env, napi_value exports);
}  // namespace gankit

static napi_value Init(napi_env env, napi_value exports) {
  gankit::registerWarp(env, exports);
  gankit::registerPixels(env, exports);
  gankit::registerResize(env, exports);
  gankit::registerSharpness(env, exports);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
