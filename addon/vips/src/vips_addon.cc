// gankit_vips: gankit's libvips pipelines (a separate addon from gankit_addon, so that a failure to
// build or load it never disables the pixel kernels). Linked against sharp's libvips (same soname):
// one libvips instance in the process, initialised by sharp when it is imported first.
#include <node_api.h>
#include <vips/vips.h>
#include "napi_util.h"
#include "point_pipeline.h"

namespace {

napi_value LibvipsVersion(napi_env env, napi_callback_info) {
  napi_value v;
  const char* text = vips_version_string();
  napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &v);
  return v;
}

napi_value Init(napi_env env, napi_value exports) {
  // A no-op when sharp has started libvips already.
  if (vips_init("gankit")) {
    gankit::fail(env, "gankit_vips: libvips failed to start");
    return nullptr;
  }
  gankit::exportFunction(env, exports, "libvipsVersion", LibvipsVersion);
  gankit::registerPointPipeline(env, exports);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
