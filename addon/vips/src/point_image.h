// A libvips image computed from another by a per-pixel 8-bit kernel (tables, luma, saturation blend) or a mirror,
// region by region on libvips' worker threads, so decode -> kernel -> encode runs as one pipeline.
#pragma once
#include <vips/vips.h>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>
#include "kernels.h"

namespace gankit {

/** A per-pixel operation on 8-bit pixels of 1 or 3 channels (no alpha), or a left-right mirror (Mirror reads the mirrored input rectangle). */
struct PointKernel {
  enum Kind { Lut, Grayscale, Saturation, Mirror };
  Kind kind = Lut;
  /** Lut: one 256-entry table for every channel (shared) or 256 per channel, packed. */
  std::vector<uint8_t> luts;
  bool shared = true;
  /** Grayscale: 1 or 3 output channels. */
  int outChannels = 1;
  /** Saturation: the blend table (grey inputs pass unchanged). */
  std::unique_ptr<kernels::SaturationMix> mix;

  /** Output channels for an input of c channels. */
  int outBands(int c) const { return kind == Grayscale ? outChannels : c; }
  /** Run the kernel on one row of `pixels` pixels of c channels; out holds pixels * outBands(c) bytes. */
  void row(const uint8_t* in, uint8_t* out, size_t pixels, int c) const;
};

/**
 * A new 8-bit image (1 channel: B_W, 3: sRGB) whose pixels are `kernel` applied to `in` (8-bit,
 * uncoded, 1 or 3 bands), generated on demand in thin strips. Its header is that of raw pixels:
 * resolution 1 pixel/mm, no offsets and no metadata, so savers write what they write for raw
 * input. Neither `in` nor `kernel` is referenced: both must outlive the result. nullptr (and a
 * libvips error) on failure.
 */
VipsImage* pointImage(VipsImage* in, const PointKernel* kernel);

}  // namespace gankit
