// decodeToMemory: libvips' workers have the source write each region straight into a memory image, and
// hand the finished rows to a counting thread, which builds the histograms on another core while the
// (sequential) decoder goes on.
#include "whole_image.h"
#include "kernels.h"
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace gankit {
namespace {

// Finished rows waiting to be counted, and the counting thread's histograms.
struct Counter {
  std::mutex lock;
  std::condition_variable ready;
  std::deque<std::pair<const uint8_t*, size_t>> rows;  // (first byte, pixels) of each finished row run
  bool done = false;
  size_t c = 3;
  std::vector<uint64_t> total;

  void push(const uint8_t* p, size_t pixels) {
    { std::lock_guard<std::mutex> guard(lock); rows.emplace_back(p, pixels); }
    ready.notify_one();
  }
  void finish() {
    { std::lock_guard<std::mutex> guard(lock); done = true; }
    ready.notify_one();
  }
  // The thread: four interleaved uint32 tables per channel (consecutive pixels count into different
  // tables, so runs of equal values do not serialise on one counter); one table gets at most a quarter
  // of sharp's 0x3FFF^2 pixel limit, so uint32 holds.
  void run() {
    const size_t bins = c * 256;
    std::vector<uint32_t> tables(4 * bins, 0u);
    uint32_t* __restrict h = tables.data();
    for (;;) {
      std::pair<const uint8_t*, size_t> job;
      {
        std::unique_lock<std::mutex> guard(lock);
        ready.wait(guard, [this] { return done || !rows.empty(); });
        if (rows.empty()) break;
        job = rows.front();
        rows.pop_front();
      }
      kernels::countInterleaved(job.first, job.second, c, c, h, bins);
    }
    total.assign(bins, 0);
    for (size_t i = 0; i < bins; i++) total[i] = uint64_t(h[i]) + h[bins + i] + h[2 * bins + i] + h[3 * bins + i];
  }
};

// Give `image` the header of raw pixels, as pointImage's output has.
void rawHeader(VipsImage* image) {
  image->Xres = 1.0;
  image->Yres = 1.0;
  image->Xoffset = 0;
  image->Yoffset = 0;
  image->Type = image->Bands == 1 ? VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB;
  gchar** fields = vips_image_get_fields(image);
  for (gchar** f = fields; *f; f++) vips_image_remove(image, *f);
  g_strfreev(fields);
}

// The memory image's generate function: the source writes the region straight into the image's memory
// (vips_sink_memory hands out regions of the image itself); the finished rows go to the counting thread.
int generate(VipsRegion* outRegion, void* seq, void*, void* b, gboolean*) {
  VipsRegion* inRegion = static_cast<VipsRegion*>(seq);
  Counter* counter = static_cast<Counter*>(b);
  VipsRect* r = &outRegion->valid;
  if (vips_region_prepare_to(inRegion, outRegion, r, r->left, r->top)) return -1;
  VipsImage* image = outRegion->im;
  const size_t rowBytes = VIPS_IMAGE_SIZEOF_LINE(image);
  const uint8_t* first = reinterpret_cast<const uint8_t*>(VIPS_REGION_ADDR(outRegion, r->left, r->top));
  const uint8_t* base = static_cast<const uint8_t*>(image->data);
  // Only rows that are the image's own memory stay put for the counting thread: anything else fails
  // the pipeline (the caller then takes the pixel path).
  if (!base || first < base || first >= base + rowBytes * static_cast<size_t>(image->Ysize) ||
      static_cast<size_t>(VIPS_REGION_LSKIP(outRegion)) != rowBytes) {
    vips_error("gankit", "%s", "decoded rows are not in the memory image");
    return -1;
  }
  const size_t width = static_cast<size_t>(r->width);
  if (r->left == 0 && r->width == image->Xsize) {
    counter->push(first, width * static_cast<size_t>(r->height));
  } else {
    for (int y = 0; y < r->height; y++) counter->push(first + rowBytes * static_cast<size_t>(y), width);
  }
  return 0;
}

}  // namespace

Decoded::~Decoded() {
  if (image) g_object_unref(image);
}

bool decodeToMemory(VipsImage* in, std::vector<uint64_t>* hist, Decoded* out) {
  if (in->BandFmt != VIPS_FORMAT_UCHAR || in->Coding != VIPS_CODING_NONE || (in->Bands != 1 && in->Bands != 3)) {
    vips_error("gankit", "%s", "expected an uncoded 8-bit image with 1 or 3 bands");
    return false;
  }
  out->image = vips_image_new_memory();
  // As vips_image_write, with this file's generate function (no intermediate region to copy from).
  VipsImage* image = out->image;
  if (vips_image_pipelinev(image, VIPS_DEMAND_STYLE_THINSTRIP, in, nullptr)) return false;
  vips_image_init_fields(image, in->Xsize, in->Ysize, in->Bands, VIPS_FORMAT_UCHAR, VIPS_CODING_NONE, in->Type, in->Xres, in->Yres);
  Counter counter;
  counter.c = static_cast<size_t>(in->Bands);
  std::thread thread([&counter] { counter.run(); });
  const bool failed = vips_image_generate(image, vips_start_one, generate, vips_stop_one, in, &counter);
  counter.finish();
  thread.join();
  if (failed) return false;
  rawHeader(image);
  // Every pixel counted once: check, rather than trust that each region was generated exactly once.
  uint64_t sum = 0;
  for (uint64_t v : counter.total) sum += v;
  if (sum != static_cast<uint64_t>(in->Xsize) * static_cast<uint64_t>(in->Ysize) * static_cast<uint64_t>(in->Bands)) {
    vips_error("gankit", "%s", "histograms incomplete after decoding");
    return false;
  }
  *hist = std::move(counter.total);
  return true;
}

std::vector<uint8_t> autocontrastTables(const std::vector<uint64_t>& hist, int bands) {
  std::vector<uint8_t> luts(256 * static_cast<size_t>(bands));
  for (int k = 0; k < bands; k++) {
    const uint64_t* h = hist.data() + 256 * k;
    int lo = 0, hi = 255;
    while (lo < 255 && h[lo] == 0) lo++;
    while (hi > 0 && h[hi] == 0) hi--;
    if (lo > hi) { lo = 255; hi = 0; }  // channelRange's start values (no pixels)
    const int range = hi - lo;
    const int l = range == 0 ? 0 : lo;
    // float32(255 / range) as Math.fround of the double quotient; then float32((x - l) * scale).
    const float scale = range == 0 ? 1.0f : static_cast<float>(255.0 / range);
    for (int x = 0; x < 256; x++) {
      const float y = static_cast<float>(x - l) * scale;
      luts[256 * k + x] = y <= 0.0f ? 0 : y >= 255.0f ? 255 : static_cast<uint8_t>(y);
    }
  }
  return luts;
}

std::vector<uint8_t> equalizeTables(const std::vector<uint64_t>& hist, int bands, uint64_t pixels) {
  std::vector<uint8_t> luts(256 * static_cast<size_t>(bands));
  for (int k = 0; k < bands; k++) {
    const uint64_t* h = hist.data() + 256 * k;
    uint8_t* t = luts.data() + 256 * k;
    int top = 255;
    while (top > 0 && h[top] == 0) top--;
    const uint64_t step = (pixels - h[top]) / 255;
    if (step == 0) {
      for (int x = 0; x < 256; x++) t[x] = static_cast<uint8_t>(x);
      continue;
    }
    uint64_t cum = 0;
    const uint64_t half = step / 2;
    t[0] = 0;
    for (int i = 1; i < 256; i++) {
      cum += h[i - 1];
      const uint64_t v = (cum + half) / step;
      t[i] = static_cast<uint8_t>(v > 255 ? 255 : v);
    }
  }
  return luts;
}

}  // namespace gankit
