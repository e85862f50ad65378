/**
 * Native (sharp / libvips) steps for EditImage's fused pipelines: decode -> op -> encode, or
 * pixels -> op -> encode, in one multi-threaded libvips pipeline without a JavaScript pass.
 * A step is used only where it gives exactly the 8-bit kernel's pixels.
 */
import sharp from 'sharp';
import type { Metadata, Sharp } from 'sharp';
import type { SharpInput } from './core.js';

/** Size and channels of an encoded source when a fused pipeline decodes it exactly as decodeSource does (8-bit sRGB or grey, no alpha, no ICC profile); otherwise undefined. */
export async function fusableSource(source: string | Uint8Array): Promise<SharpInput | undefined> {
  try {
    return fusableMetadata(await sharpFrom(source).metadata());
  } catch {
    return undefined; // the pixel path reports unreadable sources
  }
}

/** fusableSource's test on metadata sharp has read already. */
export function fusableMetadata(meta: Metadata): SharpInput | undefined {
  if (meta.depth !== 'uchar' || meta.hasAlpha || meta.hasProfile || !meta.width || !meta.height) return undefined;
  if (meta.channels === 3 && meta.space === 'srgb') return { width: meta.width, height: meta.height, channels: 3 };
  if (meta.channels === 1 && meta.space === 'b-w') return { width: meta.width, height: meta.height, channels: 1 };
  return undefined;
}

/** A sharp pipeline reading a file path or encoded bytes. */
export function sharpFrom(source: string | Uint8Array): Sharp {
  return sharp(typeof source === 'string' ? source : Buffer.from(source.buffer, source.byteOffset, source.byteLength));
}
