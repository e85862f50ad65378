/**
 * adjustSharpness on 8-bit pixels (sharpnessPixels, its native kernel and EditImage) against the tensor
 * kernel on int32 (`op.tensor(x, 'uint8')`): byte-identical on random images of every channel count
 * and on the fixture photos, and the claim behind the integer blur checked exhaustively: round(S / 13)
 * computed in integers equals torch-style float32 3x3 convolutions (float32 weights, any summation
 * order tried) for every centre value and every neighbour sum.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import { addonStatus, nativeKernels, setAddonEnabled, NO_ADDON_ENV } from '../../src/edit/addon.js';
import { adjustSharpnessOp } from '../../src/edit/color.js';
import type { RawImage } from '../../src/edit/core.js';
import { openImage } from '../../src/edit/index.js';
import { runOnRaw } from '../../src/edit/image.js';
import { roundThirteenth, sharpnessPixels } from '../../src/edit/pixels.js';
import { decodeSource } from '../../src/image/decode.js';
import { photoDir, randomImage } from './helpers.js';

const f32 = Math.fround;
const disabled = process.env[NO_ADDON_ENV] === '1' || process.env[NO_ADDON_ENV] === 'true';
const needsAddon = { skip: disabled ? `${NO_ADDON_ENV} is set` : false };

/** The tensor kernel alone (no image kernel), run by EditImage's fallback on an int32 tensor. */
async function tensorPath(img: RawImage, factor: number): Promise<RawImage> {
  const op = adjustSharpnessOp(factor);
  return runOnRaw(img, { name: op.name, tensor: op.tensor });
}

/** sharpnessPixels with the addon on and switched off; a missing addon fails unless GANKIT_NO_ADDON=1 says so. */
function bothKernels(img: RawImage, factor: number): { native: RawImage | undefined; js: RawImage } {
  if (!disabled) assert.ok(nativeKernels(), `the native addon is loaded: ${addonStatus()}`);
  const native = disabled ? undefined : sharpnessPixels(img, factor);
  const was = setAddonEnabled(false);
  try {
    return { native, js: sharpnessPixels(img, factor) };
  } finally {
    setAddonEnabled(was);
  }
}

function assertBytes(actual: RawImage, expected: RawImage, what: string): void {
  assert.deepEqual([actual.width, actual.height, actual.channels], [expected.width, expected.height, expected.channels], `${what}: size`);
  assert.equal(actual.data.length, expected.data.length, `${what}: length`);
  let diff = 0, first = -1;
  for (let i = 0; i < expected.data.length; i++) if (actual.data[i] !== expected.data[i]) { diff++; if (first < 0) first = i; }
  assert.equal(diff, 0, `${what}: ${diff} of ${expected.data.length} bytes differ (first at ${first}: ${actual.data[first]} vs ${expected.data[first]})`);
}

before(async () => {
  await initBackend();
});

describe('round(S / 13) in integers equals the float32 3x3 convolution, rounded', () => {
  const a = f32(1 / 13), b = f32(5 / 13); // torch's float32 weights (and the tensor kernel's)
  /** torch.round / tf.round: half to even. */
  const roundEven = (v: number): number => {
    const r = Math.round(v);
    return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
  };

  test('floor((2S + 13) / 26) is the nearest integer to S / 13, at least 1/26 from a tie', () => {
    for (let s = 0; s <= 13 * 255; s++) {
      const r = roundThirteenth(s);
      // |S - 13 r| <= 6, i.e. |S / 13 - r| <= 6/13 = 1/2 - 1/26.
      assert.ok(Math.abs(s - 13 * r) <= 6, `S = ${s}`);
    }
  });

  test('every centre value and neighbour sum, several decompositions and summation orders', () => {
    /** The 9 taps (row-major, centre at index 4) in float32 products, and their exact sum S. */
    const taps = new Float64Array(9);
    const orders: [string, () => number][] = [
      // Row-major float32 accumulation (torch's CPU convolution order for a 3x3 kernel).
      ['row-major float32', () => { let s = f32(taps[0]!); for (let i = 1; i < 9; i++) s = f32(s + taps[i]!); return s; }],
      // Double accumulation, one rounding at the end (tfjs' CPU depthwise convolution).
      ['double, rounded once', () => { let s = 0; for (let i = 0; i < 9; i++) s += taps[i]!; return f32(s); }],
      ['reverse float32', () => { let s = f32(taps[8]!); for (let i = 7; i >= 0; i--) s = f32(s + taps[i]!); return s; }],
      ['centre last float32', () => { let s = 0; for (const i of [0, 1, 2, 3, 5, 6, 7, 8, 4]) s = f32(s + taps[i]!); return s; }],
      ['pairwise float32', () => {
        let v = Array.from(taps, (t) => f32(t));
        while (v.length > 1) { const n: number[] = []; for (let i = 0; i < v.length; i += 2) n.push(i + 1 < v.length ? f32(v[i]! + v[i + 1]!) : v[i]!); v = n; }
        return v[0]!;
      }],
    ];
    const neighbours = new Array<number>(8);
    const decompositions: [string, (r: number) => void][] = [
      ['255s first', (r) => { for (let k = 0; k < 8; k++) { neighbours[k] = Math.min(255, r); r -= neighbours[k]!; } }],
      ['255s last', (r) => { for (let k = 7; k >= 0; k--) { neighbours[k] = Math.min(255, r); r -= neighbours[k]!; } }],
      ['even', (r) => { for (let k = 0; k < 8; k++) neighbours[k] = Math.floor(r / 8) + (k < r % 8 ? 1 : 0); }],
    ];
    let checked = 0, maxErr = 0;
    for (let x = 0; x < 256; x++) {
      for (let r = 0; r <= 8 * 255; r++) {
        const s = 5 * x + r;
        const want = roundThirteenth(s);
        for (const [dname, decompose] of decompositions) {
          decompose(r);
          for (let i = 0, k = 0; i < 9; i++) taps[i] = i === 4 ? f32(x * b) : f32(neighbours[k++]! * a);
          for (const [oname, sum] of orders) {
            const v = sum();
            const err = Math.abs(v - s / 13);
            if (err > maxErr) maxErr = err;
            if (roundEven(v) !== want) assert.fail(`x = ${x}, neighbours ${neighbours.join(',')} (${dname}), ${oname}: round(${v}) != ${want}`);
            checked++;
          }
        }
      }
    }
    assert.equal(checked, 256 * 2041 * 3 * 5);
    // The float32 error is far inside the 1/26 (0.038) margin.
    assert.ok(maxErr < 1e-3, `max float32 error ${maxErr}`);
  });
});

describe('sharpnessPixels equals the tensor kernel', () => {
  const sizes = [[1, 1], [2, 5], [5, 2], [3, 3], [7, 4], [64, 48], [301, 203]] as const;
  const factors = [0, 0.3, 1, 2, 3.7, 10];

  test('random images: sizes 1x1 to 301x203, 1-4 channels, factors 0-10 (native, JavaScript, tensor)', async () => {
    let cases = 0;
    for (const [w, h] of sizes) {
      for (const channels of [1, 2, 3, 4] as const) {
        const img = randomImage(w, h, channels, w * 1009 + h * 13 + channels);
        for (const f of factors) {
          const what = `${w}x${h}x${channels} factor ${f}`;
          const expected = await tensorPath(img, f);
          const { native, js } = bothKernels(img, f);
          assertBytes(js, expected, `JavaScript ${what}`);
          if (native) assertBytes(native, expected, `native ${what}`);
          cases++;
        }
      }
    }
    assert.equal(cases, sizes.length * 4 * factors.length);
  });

  test('saturating images (only 0 and 255, stripes and single spikes) clamp as the tensor kernel does', async () => {
    for (const channels of [1, 3, 4] as const) {
      const img = randomImage(33, 17, channels, 7 + channels);
      img.data.forEach((v, i) => (img.data[i] = i % 7 === 0 ? 255 : v < 128 ? 0 : 255));
      for (const f of [0.5, 1.7, 4, 255.5]) {
        const expected = await tensorPath(img, f);
        const { native, js } = bothKernels(img, f);
        assertBytes(js, expected, `JavaScript ${channels} channels factor ${f}`);
        if (native) assertBytes(native, expected, `native ${channels} channels factor ${f}`);
      }
    }
  });

  test('fixture photos (1, 3 and 4 channels), through EditImage too', async () => {
    for (const n of ['astronaut', 'chelsea', 'coffee']) {
      const rgb = await decodeSource(join(photoDir, `${n}.png`));
      const grey: RawImage = { data: rgb.data.filter((_, i) => i % 3 === 1), width: rgb.width, height: rgb.height, channels: 1 };
      const rgba: RawImage = { data: new Uint8Array(rgb.width * rgb.height * 4), width: rgb.width, height: rgb.height, channels: 4 };
      for (let p = 0; p < rgb.width * rgb.height; p++) {
        rgba.data.set(rgb.data.subarray(3 * p, 3 * p + 3), 4 * p);
        rgba.data[4 * p + 3] = (p * 37) & 255;
      }
      for (const [what, img] of [[`${n}`, rgb], [`${n} grey`, grey], [`${n} rgba`, rgba]] as const) {
        for (const f of [0.3, 2]) {
          const expected = await tensorPath(img, f);
          const { native, js } = bothKernels(img, f);
          assertBytes(js, expected, `JavaScript ${what} factor ${f}`);
          if (native) assertBytes(native, expected, `native ${what} factor ${f}`);
        }
      }
      const viaEditImage = await openImage(rgb).adjustSharpness(2).toRaw();
      assertBytes(viaEditImage, await tensorPath(rgb, 2), `EditImage ${n}`);
    }
  });

  test('the tensor kernel itself is unchanged (tf.memory balanced)', () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor4d(Int32Array.from(randomImage(5, 4, 3, 1).data), [1, 4, 5, 3], 'int32');
    const y = tf.tidy(() => adjustSharpnessOp(2).tensor(x, 'uint8'));
    assert.equal(y.dtype, 'int32');
    x.dispose(); y.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
});

describe('sharpnessPixels edge cases', () => {
  test('height or width <= 2: an unchanged copy', () => {
    for (const [w, h] of [[1, 1], [2, 9], [9, 2]] as const) {
      const img = randomImage(w, h, 3, 5);
      const { native, js } = bothKernels(img, 3);
      for (const r of [native, js]) {
        if (!r) continue;
        assert.deepEqual(r.data, img.data);
        assert.notEqual(r.data, img.data);
      }
    }
  });

  test('the border is blended with itself, so it can change (float32 f x + (1 - f) x truncates, as in torch)', async () => {
    // Row 0 (all border) holds 0..255; with f = 1.3, float32(1.3 x) + float32(-0.3 x) lands just below x for 141 values.
    const img: RawImage = { data: new Uint8Array(256 * 3), width: 256, height: 3, channels: 1 };
    for (let x = 0; x < 256; x++) img.data[x] = x;
    const { native, js } = bothKernels(img, 1.3);
    let changed = 0;
    for (let x = 0; x < 256; x++) {
      assert.equal(js.data[x], Math.trunc(f32(f32(x * f32(1.3)) + f32(x * f32(1 - 1.3)))));
      if (js.data[x] !== x) changed++;
    }
    assert.equal(changed, 141);
    assertBytes(js, await tensorPath(img, 1.3), 'JavaScript border');
    if (native) assertBytes(native, js, 'native border');
  });

  test('alpha is copied unchanged', () => {
    const img = randomImage(20, 10, 4, 3);
    const { native, js } = bothKernels(img, 2.5);
    for (const r of [native, js]) {
      if (!r) continue;
      for (let i = 3; i < img.data.length; i += 4) assert.equal(r.data[i], img.data[i]);
    }
  });

  test('huge factors (float32 overflow to inf / NaN) give the same bytes natively and in JavaScript', needsAddon, () => {
    const img = randomImage(16, 9, 3, 11);
    for (const f of [1e20, 1e36, 1e38, 3.4e38, 1e300]) {
      const { native, js } = bothKernels(img, f);
      assertBytes(native!, js, `factor ${f}`);
    }
  });

  test('bad factors are rejected, naming the parameter', () => {
    const img = randomImage(4, 4, 3, 2);
    assert.throws(() => sharpnessPixels(img, -1), /sharpnessFactor/);
    assert.throws(() => sharpnessPixels(img, Number.NaN), /sharpnessFactor/);
    assert.throws(() => sharpnessPixels(img, Infinity), /sharpnessFactor/);
    assert.throws(() => adjustSharpnessOp(-0.5), /sharpnessFactor/);
  });

  test('the native kernel rejects wrong arguments with a TypeError', needsAddon, () => {
    const k = nativeKernels()!;
    const data = new Uint8Array(27);
    assert.throws(() => k.sharpness(data, 3, 3, 3, new Uint8Array(26), 1), TypeError);
    assert.throws(() => k.sharpness(data, 3, 3, 5, new Uint8Array(27), 1), TypeError);
    assert.throws(() => k.sharpness(data, 9, 1, 3, new Uint8Array(27), 1), TypeError);
    assert.throws(() => k.sharpness(data, 3, 3, 3, data, 1), TypeError);
    assert.throws(() => k.sharpness(data, 3, 3, 3, new Uint8Array(27), -1), TypeError);
  });
});
