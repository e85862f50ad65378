// pointImage: vips_image_generate with one input region per worker and the kernel on each row.
#include "point_image.h"
#include <cstring>

namespace gankit {

void PointKernel::row(const uint8_t* in, uint8_t* out, size_t pixels, int c) const {
  switch (kind) {
    case Lut:
      kernels::lutRow(in, out, pixels, c, luts.data(), shared);
      return;
    case Grayscale:
      kernels::grayscaleRow(in, out, pixels, c, outChannels);
      return;
    case Saturation:
      if (c < 3) std::memcpy(out, in, pixels * static_cast<size_t>(c));
      else kernels::saturationRow(in, out, pixels, c, *mix);
      return;
    case Mirror:
      kernels::mirrorRow(in, out, pixels, c);
      return;
  }
}

namespace {

// Generate one output region: prepare the same rectangle of the input (for a mirror, the mirrored one),
// then the kernel row by row.
int generate(VipsRegion* outRegion, void* seq, void* a, void* b, gboolean*) {
  VipsRegion* inRegion = static_cast<VipsRegion*>(seq);
  const VipsImage* in = static_cast<const VipsImage*>(a);
  const PointKernel* kernel = static_cast<const PointKernel*>(b);
  const VipsRect* r = &outRegion->valid;
  VipsRect source = *r;
  if (kernel->kind == PointKernel::Mirror) source.left = in->Xsize - r->left - r->width;
  if (vips_region_prepare(inRegion, &source)) return -1;
  const int c = in->Bands;
  const size_t width = static_cast<size_t>(r->width);
  for (int y = r->top; y < VIPS_RECT_BOTTOM(r); y++) {
    const uint8_t* src = reinterpret_cast<const uint8_t*>(VIPS_REGION_ADDR(inRegion, source.left, y));
    uint8_t* dst = reinterpret_cast<uint8_t*>(VIPS_REGION_ADDR(outRegion, r->left, y));
    kernel->row(src, dst, width, c);
  }
  return 0;
}

}  // namespace

VipsImage* pointImage(VipsImage* in, const PointKernel* kernel) {
  if (in->BandFmt != VIPS_FORMAT_UCHAR || in->Coding != VIPS_CODING_NONE || (in->Bands != 1 && in->Bands != 3)) {
    vips_error("gankit", "%s", "expected an uncoded 8-bit image with 1 or 3 bands");
    return nullptr;
  }
  const int bands = kernel->outBands(in->Bands);
  VipsImage* out = vips_image_new();
  if (vips_image_pipelinev(out, VIPS_DEMAND_STYLE_THINSTRIP, in, nullptr)) {
    g_object_unref(out);
    return nullptr;
  }
  // The header of raw pixels (vips_image_new_from_memory's): no resolution, offsets or metadata from the file.
  vips_image_init_fields(out, in->Xsize, in->Ysize, bands, VIPS_FORMAT_UCHAR, VIPS_CODING_NONE,
    bands == 1 ? VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB, 1.0, 1.0);
  out->Xoffset = 0;
  out->Yoffset = 0;
  gchar** fields = vips_image_get_fields(out);
  for (gchar** f = fields; *f; f++) vips_image_remove(out, *f);
  g_strfreev(fields);
  if (vips_image_generate(out, vips_start_one, generate, vips_stop_one, in, const_cast<PointKernel*>(kernel))) {
    g_object_unref(out);
    return nullptr;
  }
  return out;
}

}  // namespace gankit
