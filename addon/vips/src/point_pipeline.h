// pointPipeline(source, op, format, quality) -> Promise<Buffer>: decode -> per-pixel op -> encode in
// one libvips pipeline, off the JavaScript thread (Node-API async work).
#pragma once
#include <node_api.h>

namespace gankit {

/** Register exports.pointPipeline. */
void registerPointPipeline(napi_env env, napi_value exports);

}  // namespace gankit
