// pointPipeline: open the source with the options sharp uses (sequential access, fail on warnings,
// its pixel limit), run a PointKernel in a pointImage, save with exactly the options of gankit's
// encodeSharp (sharp's .jpeg({ quality, optimiseCoding: false }), .png(), .webp({ quality }), keep
// no metadata), and resolve with the encoded bytes. Runs on the libuv pool; libvips adds its own threads.
// decodeInto: open the same way and write the decoded rows into the caller's buffer (a recycled block,
// so decoding a photo faults in no fresh pages).
#include "point_pipeline.h"
#include <vips/vips.h>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include "napi_util.h"
#include "point_image.h"
#include "whole_image.h"

namespace gankit {
namespace {

// sharp's default limitInputPixels: 0x3FFF squared.
constexpr uint64_t kPixelLimit = uint64_t(0x3FFF) * 0x3FFF;

struct Job {
  napi_async_work work = nullptr;
  napi_deferred deferred = nullptr;
  napi_ref sourceRef = nullptr;  // keeps a Buffer source alive while libvips reads it
  std::string path;
  const void* bytes = nullptr;
  size_t byteLength = 0;
  PointKernel kernel;
  // A table edit that needs the whole image's histograms first (decoded into memory, then table + encode).
  enum Whole { None, Autocontrast, Equalize } whole = None;
  std::string format;
  int quality = 80;
  void* out = nullptr;  // g_malloc'd by the saver
  size_t outLength = 0;
  // decodeInto: the caller's pixel buffer (kept alive by targetRef) and the size it expects.
  bool decodeOnly = false;
  uint8_t* target = nullptr;
  size_t targetLength = 0;
  napi_ref targetRef = nullptr;
  int width = 0, height = 0, bands = 0;
  napi_threadsafe_function progress = nullptr;  // decodeInto's onRows(rowsDone), or nullptr
  std::string error;
};

// The libvips error buffer's text (cleared), or `fallback` when it is empty.
std::string vipsError(const char* fallback) {
  char* text = vips_error_buffer_copy();
  std::string message = text && *text ? text : fallback;
  g_free(text);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

VipsImage* open(Job* job) {
  if (!job->path.empty()) {
    // libvips reads "name[options]" as load options; sharp's decode of such a name would differ.
    if (job->path.find('[') != std::string::npos) {
      job->error = "file names containing '[' are not handled by the fused pipeline";
      return nullptr;
    }
    return vips_image_new_from_file(job->path.c_str(), "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_WARNING, nullptr);
  }
  return vips_image_new_from_buffer(job->bytes, job->byteLength, "", "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_WARNING, nullptr);
}

int save(Job* job, VipsImage* image) {
  const int keepNone = 0;  // VIPS_FOREIGN_KEEP_NONE: sharp's default (no withMetadata / keepMetadata)
  if (job->format == "jpeg") {
    return vips_jpegsave_buffer(image, &job->out, &job->outLength, "keep", keepNone, "Q", job->quality, "interlace", FALSE,
      "subsample_mode", VIPS_FOREIGN_SUBSAMPLE_ON, "trellis_quant", FALSE, "quant_table", 0, "overshoot_deringing", FALSE,
      "optimize_scans", FALSE, "optimize_coding", FALSE, nullptr);
  }
  if (job->format == "png") {
    return vips_pngsave_buffer(image, &job->out, &job->outLength, "keep", keepNone, "interlace", FALSE, "compression", 6,
      "filter", VIPS_FOREIGN_PNG_FILTER_NONE, "palette", FALSE, "Q", 100, "effort", 7, "bitdepth", 8, "dither", 1.0, nullptr);
  }
  return vips_webpsave_buffer(image, &job->out, &job->outLength, "keep", keepNone, "Q", job->quality, "lossless", FALSE,
    "near_lossless", FALSE, "smart_subsample", FALSE, "smart_deblock", FALSE, "preset", VIPS_FOREIGN_WEBP_PRESET_DEFAULT,
    "effort", 4, "min_size", FALSE, "mixed", FALSE, "exact", FALSE, "alpha_q", 100, nullptr);
}

// Decode into memory counting the histograms, then the tables inside the encode.
bool runWhole(Job* job, VipsImage* in) {
  std::vector<uint64_t> hist;
  Decoded decoded;
  if (!decodeToMemory(in, &hist, &decoded)) return false;
  const uint64_t pixels = static_cast<uint64_t>(in->Xsize) * static_cast<uint64_t>(in->Ysize);
  job->kernel.kind = PointKernel::Lut;
  job->kernel.luts = job->whole == Job::Autocontrast ? autocontrastTables(hist, in->Bands) : equalizeTables(hist, in->Bands, pixels);
  job->kernel.shared = in->Bands == 1;
  VipsImage* out = pointImage(decoded.image, &job->kernel);
  const bool ok = out && !save(job, out);
  if (out) g_object_unref(out);
  return ok;
}

// vips_sink_disc's callback: the finished rows of `area`, in order, into the target buffer.
int writeRows(VipsRegion* region, VipsRect* area, void* a) {
  Job* job = static_cast<Job*>(a);
  const size_t pixel = static_cast<size_t>(job->bands), row = static_cast<size_t>(job->width) * pixel;
  const size_t bytes = static_cast<size_t>(area->width) * pixel;
  for (int y = area->top; y < area->top + area->height; y++) {
    std::memcpy(job->target + static_cast<size_t>(y) * row + static_cast<size_t>(area->left) * pixel, VIPS_REGION_ADDR(region, area->left, y), bytes);
  }
  // sink_disc writes whole-width strips top to bottom: every row above this strip's end is final.
  if (job->progress && area->left == 0 && area->width == job->width) {
    const intptr_t done = area->top + area->height;
    napi_call_threadsafe_function(job->progress, reinterpret_cast<void*>(done), napi_tsfn_nonblocking);
  }
  return 0;
}

// On the JavaScript thread: onRows(rowsDone).
void callOnRows(napi_env env, napi_value onRows, void*, void* data) {
  if (!env || !onRows) return;
  napi_value undefined, rows;
  if (napi_get_undefined(env, &undefined) != napi_ok) return;
  if (napi_create_int64(env, static_cast<int64_t>(reinterpret_cast<intptr_t>(data)), &rows) != napi_ok) return;
  napi_call_function(env, undefined, onRows, 1, &rows, nullptr);
}

// Decode into job->target when the source is what the caller measured (size, 8-bit, bands).
bool decodeRows(Job* job, VipsImage* in) {
  if (in->BandFmt != VIPS_FORMAT_UCHAR || in->Coding != VIPS_CODING_NONE || in->Bands != job->bands ||
      in->Xsize != job->width || in->Ysize != job->height) {
    job->error = "the source decodes to " + std::to_string(in->Xsize) + "x" + std::to_string(in->Ysize) + "x" + std::to_string(in->Bands) +
      (in->BandFmt == VIPS_FORMAT_UCHAR ? "" : " (not 8-bit)") + ", not the expected " + std::to_string(job->width) + "x" +
      std::to_string(job->height) + "x" + std::to_string(job->bands);
    return false;
  }
  return !vips_sink_disc(in, writeRows, job);
}

void execute(napi_env, void* data) {
  Job* job = static_cast<Job*>(data);
  VipsImage* in = open(job);
  VipsImage* out = nullptr;
  if (!in) {
    if (job->error.empty()) job->error = vipsError("cannot open the source");
  } else if (static_cast<uint64_t>(in->Xsize) * static_cast<uint64_t>(in->Ysize) > kPixelLimit) {
    job->error = "Input image exceeds pixel limit";
  } else if (job->kernel.kind == PointKernel::Lut && !job->kernel.shared && job->kernel.luts.size() != 256 * static_cast<size_t>(in->Bands)) {
    job->error = "expected one table, or one per channel of the source (" + std::to_string(in->Bands) + ")";
  } else if (job->decodeOnly) {
    if (!decodeRows(job, in) && job->error.empty()) job->error = vipsError("decoding failed");
  } else if (job->whole != Job::None) {
    if (!runWhole(job, in)) job->error = vipsError("the libvips pipeline failed");
  } else if (!(out = pointImage(in, &job->kernel)) || save(job, out)) {
    job->error = vipsError("the libvips pipeline failed");
  }
  if (out) g_object_unref(out);
  if (in) g_object_unref(in);
  vips_error_clear();
  vips_thread_shutdown();
}

void freeBytes(napi_env, void* data, void*) { g_free(data); }

void complete(napi_env env, napi_status status, void* data) {
  Job* job = static_cast<Job*>(data);
  napi_value result = nullptr;
  if (status == napi_ok && job->error.empty() && job->decodeOnly) {
    if (napi_get_boolean(env, true, &result) == napi_ok) napi_resolve_deferred(env, job->deferred, result);
    else result = nullptr;
  } else if (status == napi_ok && job->error.empty() && job->out) {
    if (napi_create_external_buffer(env, job->outLength, job->out, freeBytes, nullptr, &result) == napi_ok) {
      job->out = nullptr;  // owned by the Buffer now
    } else {
      void* copy = nullptr;
      if (napi_create_buffer_copy(env, job->outLength, job->out, &copy, &result) != napi_ok) result = nullptr;
    }
    if (result) napi_resolve_deferred(env, job->deferred, result);
  }
  if (!result) {
    napi_value message, error;
    const std::string text = std::string(job->decodeOnly ? "decodeInto: " : "pointPipeline: ") + (job->error.empty() ? std::string("cancelled or out of memory") : job->error);
    napi_create_string_utf8(env, text.c_str(), text.size(), &message);
    napi_create_error(env, nullptr, message, &error);
    napi_reject_deferred(env, job->deferred, error);
  }
  if (job->out) g_free(job->out);
  if (job->sourceRef) napi_delete_reference(env, job->sourceRef);
  if (job->targetRef) napi_delete_reference(env, job->targetRef);
  if (job->progress) napi_release_threadsafe_function(job->progress, napi_tsfn_release);
  napi_delete_async_work(env, job->work);
  delete job;
}

// A named property of an object, or nullptr when absent (undefined).
napi_value property(napi_env env, napi_value object, const char* name) {
  napi_value v;
  napi_valuetype type;
  if (napi_get_named_property(env, object, name, &v) != napi_ok || napi_typeof(env, v, &type) != napi_ok || type == napi_undefined) return nullptr;
  return v;
}

std::string stringValue(napi_env env, napi_value v) {
  size_t length = 0;
  if (napi_get_value_string_utf8(env, v, nullptr, 0, &length) != napi_ok) return std::string();
  std::string s(length, '\0');
  napi_get_value_string_utf8(env, v, s.data(), length + 1, &length);
  return s;
}

bool isString(napi_env env, napi_value v) {
  napi_valuetype type;
  return napi_typeof(env, v, &type) == napi_ok && type == napi_string;
}

// Read op = { kind: 'lut', luts } | { kind: 'grayscale', outChannels } | { kind: 'saturation', fa, fb } | { kind: 'hflip' } into job's kernel,
// or { kind: 'autocontrast' | 'equalize' } (tables from the whole image's histograms) into job->whole.
bool parseOp(napi_env env, napi_value op, Job* job) {
  PointKernel* kernel = &job->kernel;
  napi_value kindValue = property(env, op, "kind");
  const std::string kind = kindValue && isString(env, kindValue) ? stringValue(env, kindValue) : std::string();
  if (kind == "lut") {
    napi_value luts = property(env, op, "luts");
    uint8_t* data;
    size_t length;
    if (!luts || !typedArray(env, luts, napi_uint8_array, "op.luts", &data, &length)) return false;
    if (length != 256 && length != 768) { fail(env, "Expected op.luts of 256 (one table) or 768 (one per RGB channel) bytes"); return false; }
    kernel->kind = PointKernel::Lut;
    kernel->luts.assign(data, data + length);
    kernel->shared = length == 256;
    return true;
  }
  if (kind == "grayscale") {
    double oc;
    napi_value v = property(env, op, "outChannels");
    if (!v || !number(env, v, "op.outChannels", &oc)) return false;
    if (oc != 1 && oc != 3) { fail(env, "Expected op.outChannels 1 or 3"); return false; }
    kernel->kind = PointKernel::Grayscale;
    kernel->outChannels = static_cast<int>(oc);
    return true;
  }
  if (kind == "saturation") {
    double fa, fb;
    napi_value a = property(env, op, "fa"), b = property(env, op, "fb");
    if (!a || !b || !number(env, a, "op.fa", &fa) || !number(env, b, "op.fb", &fb)) return false;
    kernel->kind = PointKernel::Saturation;
    kernel->mix.reset(new kernels::SaturationMix(static_cast<float>(fa), static_cast<float>(fb)));
    return true;
  }
  if (kind == "hflip") {
    kernel->kind = PointKernel::Mirror;
    return true;
  }
  if (kind == "autocontrast" || kind == "equalize") {
    job->whole = kind == "autocontrast" ? Job::Autocontrast : Job::Equalize;
    return true;
  }
  fail(env, "Expected op.kind 'lut', 'grayscale', 'saturation', 'hflip', 'autocontrast' or 'equalize'");
  return false;
}

// Read the source argument (a file path or encoded bytes) into job; false with a TypeError thrown otherwise.
bool readSource(napi_env env, napi_value source, Job* job) {
  if (isString(env, source)) {
    job->path = stringValue(env, source);
    if (job->path.empty()) { fail(env, "Expected a non-empty file path or encoded bytes for source"); return false; }
    return true;
  }
  uint8_t* data;
  if (!typedArray(env, source, napi_uint8_array, "source", &data, &job->byteLength)) return false;
  if (job->byteLength == 0) { fail(env, "Expected non-empty encoded bytes for source"); return false; }
  job->bytes = data;
  return true;
}

// Queue job on the libuv pool (keeping a bytes source alive) and return its promise; nullptr with an error thrown on failure.
napi_value queue(napi_env env, std::unique_ptr<Job> job, napi_value source, const char* name) {
  napi_value promise, resource;
  if (!job->path.empty() || napi_create_reference(env, source, 1, &job->sourceRef) == napi_ok) {
    if (napi_create_promise(env, &job->deferred, &promise) == napi_ok &&
        napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &resource) == napi_ok &&
        napi_create_async_work(env, nullptr, resource, execute, complete, job.get(), &job->work) == napi_ok &&
        napi_queue_async_work(env, job->work) == napi_ok) {
      job.release();
      return promise;
    }
  }
  if (job->sourceRef) napi_delete_reference(env, job->sourceRef);
  if (job->targetRef) napi_delete_reference(env, job->targetRef);
  if (job->progress) napi_release_threadsafe_function(job->progress, napi_tsfn_release);
  if (job->work) napi_delete_async_work(env, job->work);
  return fail(env, "gankit_vips: cannot start the async work");
}

// pointPipeline(source: string | Uint8Array, op, format: 'png' | 'jpeg' | 'webp', quality 1-100) -> Promise<Buffer>.
napi_value PointPipeline(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!args(env, info, argv, 4)) return nullptr;
  std::unique_ptr<Job> job(new Job());
  if (!readSource(env, argv[0], job.get())) return nullptr;
  if (!parseOp(env, argv[1], job.get())) return nullptr;
  job->format = isString(env, argv[2]) ? stringValue(env, argv[2]) : std::string();
  if (job->format != "png" && job->format != "jpeg" && job->format != "webp") return fail(env, "Expected format 'png', 'jpeg' or 'webp'");
  double q;
  if (!number(env, argv[3], "quality", &q)) return nullptr;
  if (!(q >= 1 && q <= 100) || q != std::floor(q)) return fail(env, "Expected quality an integer 1-100");
  job->quality = static_cast<int>(q);
  return queue(env, std::move(job), argv[0], "gankit.pointPipeline");
}

// decodeInto(source: string | Uint8Array, out: Uint8Array, width, height, channels 1 | 3, onRows?) -> Promise<true>:
// the decoded 8-bit pixels into out (width x height x channels bytes, not overlapping the source); rejects
// when the source decodes to another size, channel count or depth, or fails to decode. onRows(rowsDone), when
// given, is called on the JavaScript thread as the rows above rowsDone are written (in order; the promise
// resolving means all of them).
napi_value DecodeInto(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) return nullptr;
  if (argc < 5) return fail(env, "decodeInto: expected source, out, width, height, channels[, onRows]");
  napi_value onRows = nullptr;
  if (argc == 6) {
    napi_valuetype type;
    if (napi_typeof(env, argv[5], &type) != napi_ok) return nullptr;
    if (type == napi_function) onRows = argv[5];
    else if (type != napi_undefined) return fail(env, "Expected onRows a function or undefined");
  }
  std::unique_ptr<Job> job(new Job());
  job->decodeOnly = true;
  if (!readSource(env, argv[0], job.get())) return nullptr;
  double w, h, c;
  if (!number(env, argv[2], "width", &w) || !number(env, argv[3], "height", &h) || !number(env, argv[4], "channels", &c)) return nullptr;
  if (!(w >= 1 && h >= 1 && w <= 0x3FFF && h <= 0x3FFF) || w != std::floor(w) || h != std::floor(h)) return fail(env, "Expected width and height integers in [1, 16383]");
  if (c != 1 && c != 3) return fail(env, "Expected channels 1 or 3");
  job->width = static_cast<int>(w);
  job->height = static_cast<int>(h);
  job->bands = static_cast<int>(c);
  if (!typedArray(env, argv[1], napi_uint8_array, "out", &job->target, &job->targetLength)) return nullptr;
  if (job->targetLength != static_cast<size_t>(w) * static_cast<size_t>(h) * static_cast<size_t>(c)) return fail(env, "Expected out of width x height x channels bytes");
  if (job->bytes && job->target < static_cast<const uint8_t*>(job->bytes) + job->byteLength &&
      static_cast<const uint8_t*>(job->bytes) < job->target + job->targetLength) return fail(env, "Expected out not to overlap the source");
  if (napi_create_reference(env, argv[1], 1, &job->targetRef) != napi_ok) return fail(env, "decodeInto: cannot hold the output buffer");
  napi_value name;
  if (onRows && (napi_create_string_utf8(env, "gankit.decodeInto.onRows", NAPI_AUTO_LENGTH, &name) != napi_ok ||
                 napi_create_threadsafe_function(env, onRows, nullptr, name, 0, 1, nullptr, nullptr, nullptr, callOnRows, &job->progress) != napi_ok)) {
    napi_delete_reference(env, job->targetRef);
    return fail(env, "decodeInto: cannot set up onRows");
  }
  return queue(env, std::move(job), argv[0], "gankit.decodeInto");
}

}  // namespace

void registerPointPipeline(napi_env env, napi_value exports) {
  exportFunction(env, exports, "pointPipeline", PointPipeline);
  exportFunction(env, exports, "decodeInto", DecodeInto);
}

}  // namespace gankit
