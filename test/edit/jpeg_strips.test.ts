/**
 * JPEG encoding in parallel strips (src/edit/jpeg_strips.ts) and decoding straight into gankit's buffers
 * (gankit_vips decodeInto, src/edit/vips.ts startDecode): a split JPEG decodes to exactly the pixels of
 * the single-pass encode under two independent decoders (libvips through sharp, and TensorFlow's libjpeg
 * through tfjs-node), for colour and grey, odd sizes, 2-4 cores, upside down and while still decoding;
 * its structure (DRI, one RSTn per strip boundary, the full height); when it does not split; decodeInto's
 * pixels equal sharp's decode; and the EditImage paths that use both.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import sharp from 'sharp';
import { encodeJpegStrips, stripCount, STRIP_MIN_PIXELS } from '../../src/edit/jpeg_strips.js';
import { decodeSource, encodeSharp, sharpOf } from '../../src/edit/raw.js';
import { hasPointPipeline, startDecode, decodeIntoOutput } from '../../src/edit/vips.js';
import { openImage } from '../../src/edit/image.js';
import { outputPoolStats } from '../../src/edit/outputs.js';
import { vflipPixels } from '../../src/edit/pixels.js';
import type { RawImage } from '../../src/edit/core.js';
import { photoDir } from './helpers.js';

const needsVips = { skip: hasPointPipeline() ? false : 'gankit_vips is not loaded' };

/** A photo-like test image: coffee.png resized (Lanczos) to width x height, RGB or grey. */
async function photo(width: number, height: number, channels: 1 | 3 = 3): Promise<RawImage> {
  let s = sharp(join(photoDir, 'coffee.png')).resize(width, height, { fit: 'fill', kernel: 'lanczos3' });
  if (channels === 1) s = s.toColourspace('b-w');
  const { data, info } = await s.raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.channels, channels);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width, height, channels };
}

/** The single-pass encode encodeRaw used before strips (sharp, quality, standard Huffman tables). */
const singlePass = (img: RawImage, quality: number): Promise<Buffer> => encodeSharp(sharpOf(img), img.channels === 1, 'jpeg', quality);

let tfNode: typeof import('@tensorflow/tfjs-node') | undefined;
/** Decoded pixels of a JPEG under libvips (sharp) and under TensorFlow's libjpeg (tfjs-node). */
async function decodings(jpeg: Buffer): Promise<[Buffer, Uint8Array]> {
  tfNode ??= await import('@tensorflow/tfjs-node');
  const viaSharp = await sharp(jpeg).raw().toBuffer();
  const t = tfNode.node.decodeJpeg(jpeg);
  try {
    return [viaSharp, t.dataSync() as Uint8Array];
  } finally {
    t.dispose();
  }
}

/** Markers of a JPEG's header and scan: SOF0 height, DRI interval, count of RST markers in the entropy data. */
function structure(jpeg: Buffer): { height: number; interval: number | undefined; restarts: number } {
  let i = 2, height = -1, interval: number | undefined;
  while (jpeg[i + 1] !== 0xda) {
    const marker = jpeg[i + 1]!, length = jpeg.readUInt16BE(i + 2);
    if (marker === 0xc0) height = jpeg.readUInt16BE(i + 5);
    if (marker === 0xdd) interval = jpeg.readUInt16BE(i + 4);
    i += 2 + length;
  }
  let restarts = 0;
  for (let k = i + 2 + jpeg.readUInt16BE(i + 2); k < jpeg.length - 1; k++) if (jpeg[k] === 0xff && jpeg[k + 1]! >= 0xd0 && jpeg[k + 1]! <= 0xd7) restarts++;
  return { height, interval, restarts };
}

async function assertSamePixels(strips: Buffer, reference: Buffer, what: string): Promise<void> {
  const [a, b] = await decodings(strips);
  const [c, d] = await decodings(reference);
  assert.ok(a.equals(c), `${what}: libvips decodes the split JPEG to the single-pass pixels`);
  assert.ok(Buffer.from(b.buffer, b.byteOffset, b.byteLength).equals(Buffer.from(d.buffer, d.byteOffset, d.byteLength)), `${what}: so does TensorFlow's libjpeg`);
}

test('stripCount: large 1- or 3-channel images split per core; small ones, one core, alpha and restart-interval limits do not', () => {
  assert.equal(stripCount(4000, 3000, 3, 2), 2);
  assert.equal(stripCount(4000, 3000, 3, 4), 4);
  assert.equal(stripCount(4000, 3000, 1, 3), 3);
  assert.equal(stripCount(4000, 3000, 3, 1), 1, 'one core: nothing to gain');
  assert.equal(stripCount(1000, 1000, 3, 8), 1, 'under STRIP_MIN_PIXELS');
  assert.equal(stripCount(2000, STRIP_MIN_PIXELS / 2000, 3, 2), 2);
  assert.equal(stripCount(4000, 3000, 4, 2), 1, 'JPEG has no alpha');
  assert.equal(stripCount(4000, 3000, 2, 2), 1);
  // 16383 wide: 1024 MCUs per row, so at most 63 MCU rows (1008 pixel rows) per 16-bit restart interval.
  assert.equal(stripCount(16383, 2000, 3, 2), 2);
  assert.equal(stripCount(16383, 4000, 3, 2), 4, 'more strips than cores when a core-sized strip would overflow the interval');
});

test('a split JPEG decodes to the single-pass pixels: colour, grey, odd sizes, 2-4 cores, two qualities', async () => {
  const cases: [number, number, 1 | 3, number, number][] = [
    [2400, 1800, 3, 2, 90], [2001, 1999, 3, 3, 75], [1733, 1201, 3, 4, 50], [2400, 1800, 1, 2, 90], [2003, 1011, 1, 3, 80],
  ];
  for (const [w, h, c, cores, q] of cases) {
    const img = await photo(w, h, c);
    const split = await encodeJpegStrips(img, q, { cores });
    assert.ok(split, `${w}x${h}x${c} on ${cores} cores is split`);
    const parts = stripCount(w, h, c, cores);
    const s = structure(split);
    assert.equal(s.height, h);
    assert.equal(s.restarts, parts - 1, 'one restart marker between strips');
    const mcu = c === 1 ? 8 : 16;
    const rows = Math.ceil(h / parts / 16) * 16;
    assert.equal(s.interval, (rows / mcu) * Math.ceil(w / mcu), 'the restart interval is one strip of MCUs');
    const meta = await sharp(split).metadata();
    assert.deepEqual([meta.width, meta.height, meta.channels, meta.isProgressive], [w, h, c, false]);
    await assertSamePixels(split, await singlePass(img, q), `${w}x${h}x${c} q${q} ${cores} cores`);
  }
});

test('reversed strips are the upside-down image; strips wait for rowsReady and a failed decode rejects', async () => {
  const img = await photo(2400, 1800, 3);
  const flipped = await encodeJpegStrips(img, 85, { reversed: true, cores: 2 });
  assert.ok(flipped);
  await assertSamePixels(flipped, await singlePass(vflipPixels(img), 85), 'reversed');
  // Progressive: every strip asks for the rows it needs; the bottom strip (the flipped image's top) needs them all.
  const asked: number[] = [];
  let released = 0;
  const gates: (() => void)[] = [];
  const rowsReady = (rows: number) => {
    asked.push(rows);
    return rows <= released ? Promise.resolve() : new Promise<void>((resolve) => gates.push(resolve));
  };
  const pending = encodeJpegStrips(img, 85, { reversed: true, cores: 2, rowsReady });
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(asked.length, 6, 'three strips per core while decoding');
  assert.equal(Math.max(...asked), 1800);
  assert.equal(Math.min(...asked), 1800 - 5 * 304, 'the flipped image\'s last strip needs only the source\'s top rows');
  released = 1800;
  gates.forEach((g) => g());
  const progressive = await pending;
  assert.ok(progressive);
  assert.equal(structure(progressive).restarts, 5);
  await assertSamePixels(progressive, await singlePass(vflipPixels(img), 85), 'reversed while decoding');
  await assert.rejects(encodeJpegStrips(img, 85, { rowsReady: () => Promise.reject(new Error('decode failed')) }), /decode failed/);
});

test('images that are not split give undefined (the caller encodes in one pass)', async () => {
  assert.equal(await encodeJpegStrips(await photo(800, 600, 3), 80, { cores: 2 }), undefined);
  assert.equal(await encodeJpegStrips(await photo(2400, 1800, 3), 80, { cores: 1 }), undefined);
});

test('decodeInto gives sharp\'s decoded pixels for JPEG, PNG, WebP and grey, reporting rows in order', needsVips, async () => {
  const img = await photo(1200, 900, 3);
  const grey = await photo(640, 480, 1);
  const sources: [string, Buffer, RawImage][] = [
    ['jpeg', await sharpOf(img).jpeg({ quality: 92 }).toBuffer(), img],
    ['png', await sharpOf(img).png().toBuffer(), img],
    ['webp', await sharpOf(img).webp({ quality: 80 }).toBuffer(), img],
    ['grey jpeg', await sharpOf(grey).toColourspace('b-w').jpeg().toBuffer(), grey],
  ];
  for (const [what, bytes, like] of sources) {
    const size = { width: like.width, height: like.height, channels: like.channels as 1 | 3 };
    const decoding = startDecode(bytes, size)!;
    const allRows = decoding.rowsReady(size.height);
    const data = decoding.image.data;
    assert.equal(await decoding.done, true, what);
    await allRows; // settled by the time the decode is done
    const expected = await sharp(bytes).toColourspace(size.channels === 1 ? 'b-w' : 'srgb').raw({ depth: 'uchar' }).toBuffer(); // decodeSource's sharp decode
    assert.ok(Buffer.from(data.buffer, data.byteOffset, data.byteLength).equals(expected), `${what}: same pixels as sharp`);
    // Rows become ready in order.
    const seen: number[] = [];
    const raw = startDecode(bytes, size)!;
    for (let r = 1; r <= size.height; r += Math.ceil(size.height / 7)) await raw.rowsReady(r).then(() => seen.push(r));
    assert.equal(await raw.done, true);
    assert.deepEqual(seen, [...seen].sort((a, b) => a - b));
    const direct = await decodeIntoOutput(bytes, size);
    assert.ok(direct && Buffer.from(direct.data.buffer, direct.data.byteOffset, direct.data.byteLength).equals(expected), `${what}: decodeIntoOutput`);
  }
});

test('decodeInto refuses a size or channel count the source does not have, and corrupt sources; decodeSource still reports them', needsVips, async () => {
  const img = await photo(300, 200, 3);
  const bytes = await sharpOf(img).jpeg().toBuffer();
  assert.equal(await decodeIntoOutput(bytes, { width: 301, height: 200, channels: 3 }), undefined);
  assert.equal(await decodeIntoOutput(bytes, { width: 300, height: 200, channels: 1 }), undefined);
  const failing = startDecode(bytes.subarray(0, 600), { width: 300, height: 200, channels: 3 })!;
  const waiter = failing.rowsReady(200);
  assert.equal(await failing.done, false);
  await assert.rejects(waiter, /Decoding failed/);
  await assert.rejects(failing.rowsReady(1), /Decoding failed/);
  await assert.rejects(decodeSource(new Uint8Array(bytes.subarray(0, 600))), /Cannot decode image from 600-byte buffer/);
  // Bad arguments to the addon itself: TypeErrors naming them.
  const addon = (await import('node:module')).createRequire(import.meta.url)('../../addon/vips/build/Release/gankit_vips.node') as {
    decodeInto(...a: unknown[]): Promise<true>;
  };
  const out = new Uint8Array(300 * 200 * 3);
  assert.throws(() => addon.decodeInto(bytes, out, 300, 200, 2), /channels 1 or 3/);
  assert.throws(() => addon.decodeInto(bytes, out, 0, 200, 3), /width and height integers in \[1, 16383\]/);
  assert.throws(() => addon.decodeInto(bytes, out.subarray(1), 300, 200, 3), /width x height x channels bytes/);
  assert.throws(() => addon.decodeInto(bytes, out, 300, 200, 3, 'x'), /onRows a function/);
  assert.throws(() => addon.decodeInto(bytes, out, 300), /expected source, out, width, height, channels/);
  assert.throws(() => addon.decodeInto(out, out, 300, 200, 3), /not to overlap/);
});

test('EditImage: a large JPEG source flipped, and a pixel-path edit, write the pixel path\'s image', needsVips, async () => {
  const img = await photo(2400, 1800, 3);
  const source = await sharpOf(img).jpeg({ quality: 95 }).toBuffer();
  const decoded = await decodeSource(new Uint8Array(source));
  for (const [what, edit, kernel] of [
    ['vflip', (x: ReturnType<typeof openImage>) => x.vflip(), async (r: RawImage) => vflipPixels(r)],
    ['rotate 180', (x: ReturnType<typeof openImage>) => x.rotate(180), async (r: RawImage) => (await openImage(r).rotate(180).toRaw())],
    ['contrast', (x: ReturnType<typeof openImage>) => x.adjustContrast(1.4), async (r: RawImage) => (await openImage(r).adjustContrast(1.4).toRaw())],
  ] as const) {
    const live = outputPoolStats()?.liveBlocks;
    const written = await edit(openImage(source)).toBuffer({ format: 'jpeg', quality: 90 });
    assert.ok(structure(written).restarts > 0, `${what}: written in strips`);
    // vflip's strips and contrast's in-place kernel hand their decoded buffer back to the pool at once.
    if (what !== 'rotate 180') assert.equal(outputPoolStats()?.liveBlocks, live, `${what}: no pooled block left live`);
    await assertSamePixels(written, await singlePass(await kernel(decoded), 90), what);
  }
});
