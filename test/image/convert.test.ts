import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import {
  decodeImage, encodeImage, loadImage, loadImages, writeImage, tensorToPixels, formatFromPath,
  type ChannelCount, type ImageRange, type ImageFormat,
} from '../../src/image/index.js';
import { GankitError } from '../../src/util/errors.js';
import { tempDir } from './helpers.js';

const tmp = tempDir();
before(async () => { await initBackend(); });
after(() => tmp.cleanup());

const H = 16;
const W = 20;

/** A smooth deterministic 8-bit test pattern (JPEG-friendly), HWC. */
function pattern(channels: number, h = H, w = W): Uint8Array {
  const out = new Uint8Array(h * w * channels);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < channels; c++) {
    // Smooth ramps (no wrap-around edges), so lossy codecs stay close.
    const v = c === 3 ? 100 + 4 * x + 3 * y : 20 + 5 * x + 4 * y + 25 * c;
    out[(y * w + x) * channels + c] = Math.min(255, v);
  }
  return out;
}

/** The pattern as a tensor in `range`, scaled the way decodeImage scales 8-bit samples. */
function patternTensor(channels: number, range: ImageRange, h = H, w = W): tf.Tensor3D {
  const p = pattern(channels, h, w);
  if (range === 'uint8') return tf.tensor3d(Int32Array.from(p), [h, w, channels], 'int32');
  const f = Float32Array.from(p, (v) => (range === '0-1' ? v / 255 : Math.fround(v / 255) * 2 - 1));
  return tf.tensor3d(f, [h, w, channels], 'float32');
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

const FORMATS: ImageFormat[] = ['png', 'jpeg', 'webp'];
const RANGES: ImageRange[] = ['0-1', '-1-1', 'uint8'];
const CHANNELS: ChannelCount[] = [1, 3, 4];
const SCALE: Record<ImageRange, number> = { '0-1': 1 / 255, '-1-1': 2 / 255, uint8: 1 };

for (const format of FORMATS) {
  test(`round trip ${format}: 1, 3 and 4 channels in every range`, async () => {
    for (const channels of CHANNELS) for (const range of RANGES) {
      const label = `${format} ${channels}ch ${range}`;
      const x = patternTensor(channels, range);
      const original = x.dataSync().slice();
      if (format === 'jpeg' && channels === 4) {
        await assert.rejects(encodeImage(x, { format, range }),
          /Expected an image with 1 or 3 channels for format 'jpeg' but received 4 channels \(JPEG has no alpha/);
        x.dispose();
        continue;
      }
      const n = tf.memory().numTensors;
      const buf = await encodeImage(x, { format, range, ...(format === 'png' ? {} : { quality: 95 }) });
      assert.equal(tf.memory().numTensors, n, `${label}: encode leaks nothing`);
      assert.deepEqual(x.dataSync(), original, `${label}: input not mutated`);
      const y = await decodeImage(buf, { range, channels });
      assert.deepEqual(y.shape, [H, W, channels], label);
      assert.equal(y.dtype, range === 'uint8' ? 'int32' : 'float32', label);
      const d = maxDiff(y.dataSync(), original);
      if (format === 'png') assert.equal(d, 0, `${label}: PNG is exact`);
      else assert.ok(d <= 12 * SCALE[range] + 1e-6, `${label}: max diff ${d}`);
      tf.dispose([x, y]);
    }
  });
}

test('WebP lossless round trip is exact; lossy WebP and JPEG honour quality', async () => {
  for (const channels of [3, 4] as const) {
    const x = patternTensor(channels, 'uint8');
    const y = await decodeImage(await encodeImage(x, { format: 'webp', range: 'uint8', lossless: true }), { range: 'uint8' });
    assert.deepEqual(y.dataSync(), x.dataSync());
    tf.dispose([x, y]);
  }
  const x = patternTensor(3, '0-1');
  const small = await encodeImage(x, { format: 'jpeg', quality: 10 });
  const big = await encodeImage(x, { format: 'jpg', quality: 100 });
  assert.ok(small.length < big.length, `${small.length} < ${big.length}`);
  x.dispose();
});

test('encodeImage writes the right container and channel count; NHWC with N = 1 accepted', async () => {
  const x = patternTensor(3, '0-1').expandDims(0);
  const png = await encodeImage(x);
  assert.equal(png.subarray(0, 8).toString('hex'), '89504e470d0a1a0a');
  assert.equal((await encodeImage(x, { format: 'jpeg' })).subarray(0, 3).toString('hex'), 'ffd8ff');
  assert.equal((await encodeImage(x, { format: 'webp' })).subarray(8, 12).toString('ascii'), 'WEBP');
  const m = await sharp(png).metadata();
  assert.deepEqual([m.width, m.height, m.channels], [W, H, 3]);
  const grey = patternTensor(1, '0-1');
  const gm = await sharp(await encodeImage(grey)).metadata();
  assert.deepEqual([gm.channels, gm.space], [1, 'b-w'], 'one channel is stored as a grey PNG');
  tf.dispose([x, grey]);
});

test('values are rounded like torchvision save_image, clamped, NaN -> 0', async () => {
  const cases: [ImageRange, number[], number[]][] = [
    ['0-1', [-1, 0, 0.5 / 255, 0.49 / 255, 1, 1.5, Infinity, -Infinity, NaN], [0, 0, 1, 0, 255, 255, 255, 0, 0]],
    ['-1-1', [-1, 0, 1, -2, 2, 0.5], [0, 128, 255, 0, 255, 191]],
    ['uint8', [-5, 0, 1.49, 1.5, 254.5, 300, NaN], [0, 0, 1, 2, 255, 255, 0]],
  ];
  for (const [range, values, expected] of cases) {
    const x = tf.tensor3d(values, [1, values.length, 1]);
    const px = await tensorToPixels(x, { range });
    assert.deepEqual(Array.from(px.data), expected, range);
    assert.deepEqual([px.height, px.width, px.channels], [1, values.length, 1]);
    x.dispose();
  }
  const ints = tf.tensor3d([-3, 0, 77, 255, 1000], [1, 5, 1], 'int32');
  assert.deepEqual(Array.from((await tensorToPixels(ints, { range: 'uint8' })).data), [0, 0, 77, 255, 255]);
  ints.dispose();
});

test('decode channel conversion: grey <-> RGB, RGBA -> RGB, RGB -> luma (ITU-R 601-2)', async () => {
  const rgb = Buffer.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 200, 30]);
  const rgbPng = await sharp(rgb, { raw: { width: 2, height: 2, channels: 3 } }).png().toBuffer();
  const luma = (r: number, g: number, b: number) => Math.round(0.2989 * r + 0.587 * g + 0.114 * b);
  const g1 = await decodeImage(rgbPng, { channels: 1, range: 'uint8' });
  assert.deepEqual(Array.from(g1.dataSync()), [luma(255, 0, 0), luma(0, 255, 0), luma(0, 0, 255), luma(10, 200, 30)]);
  const g1f = await decodeImage(rgbPng, { channels: 1 });
  assert.ok(maxDiff(g1f.dataSync(), Array.from(g1.dataSync(), (v) => v / 255)) < 1e-7);
  const rgba4 = await decodeImage(rgbPng, { channels: 4, range: 'uint8' });
  assert.deepEqual(Array.from(rgba4.dataSync()).filter((_, i) => i % 4 === 3), [255, 255, 255, 255], 'opaque alpha added');

  const rgba = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0]);
  const rgbaPng = await sharp(rgba, { raw: { width: 2, height: 2, channels: 4 } }).png().toBuffer();
  const asIs = await decodeImage(rgbaPng, { range: 'uint8' });
  assert.deepEqual(Array.from(asIs.dataSync()), Array.from(rgba), 'RGBA kept by default, alpha not premultiplied');
  const dropped = await decodeImage(rgbaPng, { channels: 3, range: 'uint8' });
  assert.deepEqual(Array.from(dropped.dataSync()), [1, 2, 3, 5, 6, 7, 9, 10, 11, 13, 14, 15]);

  const grey = Buffer.from([0, 100, 200, 255]);
  const greyPng = await sharp(grey, { raw: { width: 2, height: 2, channels: 1 } }).toColourspace('b-w').png().toBuffer();
  const g = await decodeImage(greyPng, { range: 'uint8' });
  assert.deepEqual(g.shape, [2, 2, 1], 'grey file decodes to 1 channel by default');
  const g3 = await decodeImage(greyPng, { channels: 3, range: 'uint8' });
  assert.deepEqual(Array.from(g3.dataSync()), [0, 0, 0, 100, 100, 100, 200, 200, 200, 255, 255, 255]);
  const g4 = await decodeImage(greyPng, { channels: 4, range: 'uint8' });
  assert.deepEqual(Array.from(g4.dataSync()), [0, 0, 0, 255, 100, 100, 100, 255, 200, 200, 200, 255, 255, 255, 255, 255]);

  const ga = Buffer.from([0, 255, 10, 100, 128, 0, 255, 255]);
  const gaPng = await sharp(ga, { raw: { width: 2, height: 2, channels: 2 } }).toColourspace('b-w').png().toBuffer();
  const gaT = await decodeImage(gaPng, { range: 'uint8' });
  assert.deepEqual(Array.from(gaT.dataSync()), [0, 0, 0, 255, 10, 10, 10, 100, 128, 128, 128, 0, 255, 255, 255, 255], 'grey+alpha -> RGBA');
  const ga1 = await decodeImage(gaPng, { channels: 1, range: 'uint8' });
  assert.deepEqual(Array.from(ga1.dataSync()), [0, 10, 128, 255], 'grey+alpha -> grey keeps the grey value');
  tf.dispose([g1, g1f, rgba4, asIs, dropped, g, g3, g4, gaT, ga1]);
});

test('16-bit PNGs keep their precision in float ranges and round to 0..255 in uint8', async () => {
  const v16 = new Uint16Array([0, 1000, 40000, 65535]);
  const png16 = await sharp(v16, { raw: { width: 2, height: 2, channels: 1 } }).toColourspace('grey16').png().toBuffer();
  const f = await decodeImage(png16);
  assert.deepEqual(f.shape, [2, 2, 1]);
  assert.ok(maxDiff(f.dataSync(), Array.from(v16, (v) => v / 65535)) < 1e-7);
  const u = await decodeImage(png16, { range: 'uint8' });
  assert.deepEqual(Array.from(u.dataSync()), [0, 4, 156, 255]);
  const rgb16 = new Uint16Array([0, 1000, 40000, 65535, 300, 20000, 5, 6, 7, 100, 200, 65000]);
  const pngRgb = await sharp(rgb16, { raw: { width: 2, height: 2, channels: 3 } }).toColourspace('rgb16').png().toBuffer();
  const c = await decodeImage(pngRgb, { range: '-1-1' });
  assert.ok(maxDiff(c.dataSync(), Array.from(rgb16, (v) => (v / 65535) * 2 - 1)) < 1e-6);
  tf.dispose([f, u, c]);
});

test('files: writeImage picks the format from the extension; loadImage reads it back', async () => {
  const x = patternTensor(3, '0-1');
  const magic: Record<string, string> = { png: '89504e47', jpg: 'ffd8ff', jpeg: 'ffd8ff', webp: '52494646', PNG: '89504e47' };
  for (const ext of Object.keys(magic)) {
    const path = join(tmp.dir, `x.${ext}`);
    await writeImage(x, path);
    assert.equal(readFileSync(path).subarray(0, magic[ext]!.length / 2).toString('hex'), magic[ext], ext);
    const y = await loadImage(path);
    assert.deepEqual(y.shape, [H, W, 3]);
    assert.ok(maxDiff(y.dataSync(), x.dataSync()) <= (ext.toLowerCase() === 'png' ? 0 : 40 / 255), ext);
    y.dispose();
  }
  await writeImage(x, join(tmp.dir, 'explicit.jpg'), { format: 'jpeg', quality: 50 });
  assert.equal(formatFromPath('a/b.JPG'), 'jpeg');
  x.dispose();
});

test('decodeImage reads Buffers and Uint8Array views without copying wrong bytes or mutating them', async () => {
  const x = patternTensor(4, 'uint8');
  const png = await encodeImage(x, { range: 'uint8' });
  const backing = new Uint8Array(png.length + 10);
  backing.set(png, 7);
  const view = backing.subarray(7, 7 + png.length);
  const snapshot = backing.slice();
  const y = await decodeImage(view, { range: 'uint8' });
  assert.deepEqual(y.dataSync(), x.dataSync());
  assert.deepEqual(backing, snapshot, 'input bytes not mutated');
  tf.dispose([x, y]);
});

test('loadImages stacks same-size files into NHWC and explains mismatches', async () => {
  const paths: string[] = [];
  const xs = [0, 1, 2].map((i) => tf.tidy(() => patternTensor(3, '0-1').mul(1 - i * 0.25) as tf.Tensor3D));
  for (let i = 0; i < xs.length; i++) {
    paths.push(join(tmp.dir, `batch${i}.png`));
    await writeImage(xs[i]!, paths[i]!);
  }
  const n = tf.memory().numTensors;
  const batch = await loadImages(paths);
  assert.equal(tf.memory().numTensors, n + 1, 'only the batch is new');
  assert.deepEqual(batch.shape, [3, H, W, 3]);
  for (let i = 0; i < 3; i++) {
    const one = await loadImage(paths[i]!);
    const slice = batch.slice([i, 0, 0, 0], [1, H, W, 3]);
    assert.deepEqual(slice.dataSync(), one.dataSync());
    tf.dispose([one, slice]);
  }
  const u = await loadImages(paths.slice(0, 2), { range: 'uint8', channels: 1 });
  assert.deepEqual([u.shape, u.dtype], [[2, H, W, 1], 'int32']);

  const small = tf.zeros([4, 4, 3]);
  const grey = tf.zeros([H, W, 1]);
  const smallPath = join(tmp.dir, 'small.png');
  const greyPath = join(tmp.dir, 'grey.png');
  await writeImage(small, smallPath);
  await writeImage(grey, greyPath);
  await assert.rejects(loadImages([paths[0]!, smallPath]),
    /Expected all images to have the same size for paths but paths\[1\] ".*small.png" is 4x4 \(HxW\) while paths\[0\] ".*batch0.png" is 16x20/);
  await assert.rejects(loadImages([paths[0]!, greyPath]),
    /Expected all images to have the same channel count for paths but paths\[1\] ".*grey.png" has 1 while paths\[0\] has 3; pass channels/);
  const mixed = await loadImages([paths[0]!, greyPath], { channels: 3 });
  assert.deepEqual(mixed.shape, [2, H, W, 3]);
  await assert.rejects(loadImages([]), /Expected non-empty array of file paths for paths but received \[\] of type array/);
  await assert.rejects(loadImages('a.png' as never), /Expected non-empty array of file paths for paths but received "a.png"/);
  await assert.rejects(loadImages([paths[0]!, 3 as never]), /Expected non-empty string for paths\[1\] but received 3 of type number/);
  await assert.rejects(loadImages([paths[0]!, join(tmp.dir, 'missing.png')]), /Cannot read image file ".*missing.png": ENOENT/);
  tf.dispose([...xs, batch, u, small, grey, mixed]);
});

test('decodeImage rejects unreadable, corrupt and unsupported inputs and bad options', async () => {
  const n = tf.memory().numTensors;
  const zeros = tf.zeros([2, 2, 3]);
  const ones = tf.ones([32, 32, 3]);
  const good = await encodeImage(zeros);
  const corruptPath = join(tmp.dir, 'corrupt.png');
  writeFileSync(corruptPath, Buffer.from('not an image at all'));
  const truncated = join(tmp.dir, 'truncated.jpg');
  writeFileSync(truncated, (await encodeImage(ones, { format: 'jpeg' })).subarray(0, 120));
  tf.dispose([zeros, ones]);
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>');
  await assert.rejects(loadImage(join(tmp.dir, 'nope.png')), (e: unknown) =>
    e instanceof GankitError && /^Cannot read image file ".*nope.png": ENOENT: no such file or directory/.test(e.message));
  await assert.rejects(loadImage(tmp.dir), /Cannot read image file ".*": EISDIR/);
  await assert.rejects(loadImage(corruptPath), /Cannot decode image from file ".*corrupt.png": Input (buffer|file) contains unsupported image format \(expected a PNG, JPEG or WebP image/);
  await assert.rejects(loadImage(truncated), /Cannot decode image from file ".*truncated.jpg": .*(corrupt|premature end)/i);
  await assert.rejects(decodeImage(Buffer.from('garbage')), /Cannot decode image from 7-byte buffer: Input buffer contains unsupported image format/);
  await assert.rejects(decodeImage(svg), /Cannot decode image from \d+-byte buffer: unsupported format "svg" \(expected a PNG, JPEG or WebP image/);
  await assert.rejects(decodeImage(Buffer.alloc(0)), /Expected non-empty image bytes for input but received 0 bytes/);
  await assert.rejects(decodeImage(''), /Expected file path, Buffer or Uint8Array for input but received "" of type string/);
  await assert.rejects(decodeImage(42 as never), /Expected file path, Buffer or Uint8Array for input but received 42 of type number/);
  await assert.rejects(loadImage(undefined as never), /Expected non-empty string for path but received undefined/);
  await assert.rejects(decodeImage(good, { channels: 2 as never }), /Expected one of 1, 3, 4 for channels but received 2 of type number/);
  await assert.rejects(decodeImage(good, { range: '0-255' as never }), /Expected one of '0-1', '-1-1', 'uint8' for range but received "0-255" of type string/);
  await assert.rejects(decodeImage(good, { chanels: 3 } as never), /Expected one of 'range', 'channels' for options key but received "chanels"/);
  assert.equal(tf.memory().numTensors, n, 'failed decodes leak nothing');
});

test('encodeImage / writeImage reject bad shapes, dtypes and options, naming the valid values', async () => {
  const img = tf.zeros([2, 2, 3]);
  const n = tf.memory().numTensors;
  const bad: [tf.Tensor, RegExp][] = [
    [tf.zeros([2, 3]), /^Expected 3D tensor \(HWC\) or 4D tensor \(NHWC\) for tensor but received shape \[2,3\] of dtype float32$/],
    [tf.zeros([1, 1, 2, 2, 3]), /Expected 3D tensor \(HWC\) or 4D tensor \(NHWC\) for tensor but received shape \[1,1,2,2,3\]/],
    [tf.zeros([2, 2, 2, 3]), /Expected a single image: 3D tensor \(HWC\) or 4D tensor \(NHWC\) with N = 1 \(use makeGrid or saveImage for batches\) for tensor but received shape \[2,2,2,3\]/],
    [tf.zeros([2, 2, 2]), /Expected an image with 1, 3 or 4 channels \(last axis\) for tensor but received shape \[2,2,2\] of dtype float32/],
    [tf.zeros([2, 2, 5]), /1, 3 or 4 channels .* received shape \[2,2,5\]/],
    [tf.zeros([0, 2, 3]), /Expected an image with height and width of at least 1 for tensor but received shape \[0,2,3\]/],
    [tf.zeros([2, 2, 3], 'bool'), /Expected a tensor of dtype 'float32' or 'int32' for tensor but received shape \[2,2,3\] of dtype bool/],
    [tf.tidy(() => tf.complex(tf.zeros([2, 2, 3]), tf.zeros([2, 2, 3]))), /of dtype complex64/],
  ];
  for (const [t, re] of bad) {
    await assert.rejects(encodeImage(t), (e: unknown) => e instanceof GankitError && re.test(e.message), String(re));
    await assert.rejects(writeImage(t, join(tmp.dir, 'bad.png')), (e: unknown) => e instanceof GankitError && re.test(e.message));
  }
  tf.dispose(bad.map(([t]) => t));
  assert.equal(tf.memory().numTensors, n);

  await assert.rejects(encodeImage([[1]] as never), /Expected a tf.Tensor for tensor but received \[\[1\]\] of type array/);
  const dead = tf.zeros([2, 2, 3]);
  dead.dispose();
  await assert.rejects(encodeImage(dead), /Expected a live tensor for tensor but received a disposed tensor/);
  await assert.rejects(encodeImage(img, { format: 'gif' as never }), /Expected one of 'png', 'jpeg', 'webp' \('jpg' is accepted too\) for format but received "gif" of type string/);
  await assert.rejects(encodeImage(img, { range: 'x' as never }), /Expected one of '0-1', '-1-1', 'uint8' for range but received "x"/);
  await assert.rejects(encodeImage(img, { format: 'jpeg', quality: 0 }), /Expected integer in \[1, 100\] for quality but received 0 of type number/);
  await assert.rejects(encodeImage(img, { format: 'webp', quality: 101 }), /Expected integer in \[1, 100\] for quality but received 101/);
  await assert.rejects(encodeImage(img, { format: 'jpeg', quality: 50.5 }), /Expected integer in \[1, 100\] for quality but received 50.5/);
  await assert.rejects(encodeImage(img, { quality: 80 }), /Expected no value with format 'png' \(quality applies to 'jpeg' and 'webp'\) for quality but received 80/);
  await assert.rejects(encodeImage(img, { format: 'jpeg', lossless: true }), /Expected false or no value with format 'jpeg' \(lossless applies to 'webp'\) for lossless but received true/);
  await assert.rejects(encodeImage(img, { format: 'webp', lossless: 'yes' as never }), /Expected boolean for lossless but received "yes"/);
  await assert.rejects(encodeImage(img, { fromat: 'png' } as never), /Expected one of 'format', 'range', 'quality', 'lossless' for options key but received "fromat"/);
  await assert.rejects(encodeImage(img, 'png' as never), /Expected a plain object of options for options but received "png" of type string/);
  await assert.rejects(writeImage(img, join(tmp.dir, 'x.gif')), /Expected a file name ending in .png, .jpg, .jpeg or .webp for path but received ".*x.gif" of type string/);
  await assert.rejects(writeImage(img, join(tmp.dir, 'noext')), /Expected a file name ending in .png, .jpg, .jpeg or .webp for path/);
  await assert.rejects(writeImage(img, join(tmp.dir, 'x.jpg'), { format: 'png' }), /Expected 'jpeg' or no value for a path ending in .jpg for format but received "png"/);
  await assert.rejects(writeImage(img, join(tmp.dir, 'missing-dir', 'x.png')), /Cannot write image file ".*x.png": ENOENT/);
  await assert.rejects(writeImage(img, 5 as never), /Expected non-empty string for path but received 5 of type number/);
  assert.equal(tf.memory().numTensors, n);
  img.dispose();
});
