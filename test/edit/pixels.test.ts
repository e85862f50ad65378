/**
 * EditImage's 8-bit kernels (src/edit/pixels.ts, resizeRaw) against the tensor kernels, byte for
 * byte, on a real photo in every channel layout (grey, grey+alpha, RGB, RGBA) and at sizes where
 * the antialiased resize weights and the per-channel tables all matter. (gaussianBlur runs the tensor
 * kernel on both paths and keeps a tolerance of 1 on a few values; sharpness has its own exact kernel,
 * see also sharpness.test.ts.)
 */
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import * as edit from '../../src/edit/index.js';
import type { RawImage } from '../../src/edit/index.js';
import { photoDir } from './helpers.js';

async function photo(width: number, height: number, channels: 1 | 2 | 3 | 4): Promise<RawImage> {
  const { data } = await sharp(`${photoDir}chelsea.png`).resize(width, height, { fit: 'fill' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const n = width * height;
  const out = new Uint8Array(n * channels);
  for (let p = 0; p < n; p++) {
    const [r, g, b] = [data[p * 3]!, data[p * 3 + 1]!, data[p * 3 + 2]!];
    const colour = channels <= 2 ? [g] : [r, g, b];
    colour.forEach((v, k) => { out[p * channels + k] = v; });
    if (channels === 2 || channels === 4) out[p * channels + channels - 1] = (p * 37) % 256; // alpha that varies
  }
  return { data: out, width, height, channels };
}

const ops: [string, (x: any) => any][] = [
  ['adjustBrightness', (x) => edit.adjustBrightness(x, 1.37)],
  ['adjustContrast', (x) => edit.adjustContrast(x, 0.55)],
  ['adjustContrast up', (x) => edit.adjustContrast(x, 1.8)],
  ['adjustSaturation', (x) => edit.adjustSaturation(x, 1.6)],
  ['adjustHue', (x) => edit.adjustHue(x, 0.23)],
  ['adjustHue negative', (x) => edit.adjustHue(x, -0.41)],
  ['adjustGamma', (x) => edit.adjustGamma(x, 2.2, 1.1)],
  ['adjustSharpness', (x) => edit.adjustSharpness(x, 2.5)],
  ['adjustSharpness blur', (x) => edit.adjustSharpness(x, 0.2)],
  ['rgbToGrayscale 1', (x) => edit.rgbToGrayscale(x, 1)],
  ['rgbToGrayscale 3', (x) => edit.rgbToGrayscale(x, 3)],
  ['invert', (x) => edit.invert(x)],
  ['posterize', (x) => edit.posterize(x, 3)],
  ['solarize', (x) => edit.solarize(x, 97.5)],
  ['autocontrast', (x) => edit.autocontrast(x)],
  ['equalize', (x) => edit.equalize(x)],
  ['hflip', (x) => edit.hflip(x)],
  ['vflip', (x) => edit.vflip(x)],
  ['crop', (x) => edit.crop(x, 3, 5, 20, 17)],
  ['resize bilinear antialias', (x) => edit.resize(x, [13, 21], { interpolation: 'bilinear', antialias: true })],
  ['resize bicubic antialias', (x) => edit.resize(x, [17, 11], { interpolation: 'bicubic', antialias: true })],
  ['resize bilinear', (x) => edit.resize(x, [19, 23], { interpolation: 'bilinear', antialias: false })],
  ['resize bicubic up', (x) => edit.resize(x, [80, 61], { interpolation: 'bicubic' })],
  ['resize nearest', (x) => edit.resize(x, [29, 90], { interpolation: 'nearest' })],
  ['resize shorter edge', (x) => edit.resize(x, 16)],
  ['resizedCrop', (x) => edit.resizedCrop(x, 2, 4, 30, 25, [12, 10])],
  ['gaussianBlur', (x) => edit.gaussianBlur(x, [9, 5], [2, 1.2])],
  ['gaussianBlur 1x7', (x) => edit.gaussianBlur(x, [1, 7])],
];

before(async () => {
  await initBackend();
});

describe('typed-array kernels equal the tensor kernels', () => {
  for (const channels of [1, 2, 3, 4] as const) {
    for (const [name, fn] of ops) {
      test(`${name} on ${channels} channel(s)`, async () => {
        const raw = await photo(45, 37, channels);
        const beforeCount = tf.memory().numTensors;
        const img = await (fn(edit.openImage(raw)) as edit.EditImage).toRaw();
        const t = tf.tensor3d(Int32Array.from(raw.data), [raw.height, raw.width, channels], 'int32');
        const y = fn(t) as tf.Tensor;
        const expected = await y.data();
        assert.deepEqual([img.height, img.width, img.channels], y.shape);
        t.dispose();
        y.dispose();
        assert.equal(tf.memory().numTensors, beforeCount, 'no tensor leaked');
        let differ = 0;
        let max = 0;
        for (let i = 0; i < expected.length; i++) {
          const d = Math.abs(expected[i]! - img.data[i]!);
          if (d) { differ++; max = Math.max(max, d); }
        }
        if (name.startsWith('gaussianBlur')) {
          assert.ok(max <= 1 && differ <= expected.length * 0.005, `${differ} values differ, max ${max}`);
        } else {
          assert.equal(differ, 0, `${differ} of ${expected.length} values differ (max ${max})`);
        }
      });
    }
  }

  test('the input pixels are not changed', async () => {
    const raw = await photo(45, 37, 3);
    const copy = new Uint8Array(raw.data);
    for (const [, fn] of ops) await (fn(edit.openImage(raw)) as edit.EditImage).toRaw();
    assert.deepEqual(raw.data, copy);
  });
});
