// Table edits that need the whole image's per-channel histograms before their first output pixel
// (autocontrast, equalize): the source is decoded into memory once, the histograms counted on another
// thread as the rows come in, then the tables run inside the encoder's pipeline.
#pragma once
#include <vips/vips.h>
#include <cstdint>
#include <vector>

namespace gankit {

/** A decoded memory image (unreferenced with this). */
struct Decoded {
  VipsImage* image = nullptr;
  Decoded() = default;
  Decoded(const Decoded&) = delete;
  Decoded& operator=(const Decoded&) = delete;
  ~Decoded();
};

/**
 * Decode `in` (8-bit, uncoded, 1 or 3 bands) into out: a memory image whose header is that of raw
 * pixels (resolution 1 pixel/mm, no offsets, no metadata: what gankit's decode -> encodeRaw writes).
 * `hist` receives bands * 256 counts (channel k's bin v at k * 256 + v), counted on another thread
 * while decoding. false (and a libvips error) on failure. Images made from
 * out->image must be released before out.
 */
bool decodeToMemory(VipsImage* in, std::vector<uint64_t>* hist, Decoded* out);

/** src/edit/color.ts autocontrastLuts from per-channel histograms: bands tables of 256 bytes, packed. */
std::vector<uint8_t> autocontrastTables(const std::vector<uint64_t>& hist, int bands);

/** src/edit/color.ts equalizeLuts (PIL's scheme; identity where PIL leaves a channel) from per-channel histograms. */
std::vector<uint8_t> equalizeTables(const std::vector<uint64_t>& hist, int bands, uint64_t pixels);

}  // namespace gankit
