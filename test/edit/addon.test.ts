/**
 * The optional native addon (addon/, src/edit/addon.ts): built after setup, and every kernel gives
 * the JavaScript fallback's bytes exactly (the same op run with the addon on and switched off),
 * on real photos and seeded random images with 1-4 channels, across a parameter table.
 * With GANKIT_NO_ADDON=1 it checks that the fallback is the one running instead.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { addonCandidates, addonStatus, nativeKernels, setAddonEnabled, NO_ADDON_ENV } from '../../src/edit/addon.js';
import sharp from 'sharp';
import { decodeSource } from '../../src/image/decode.js';
import { affineOp, perspectiveOp, rotateOp } from '../../src/edit/warp.js';
import * as color from '../../src/edit/color.js';
import * as tf from '@tensorflow/tfjs';
import { resizeOp, resizedCropOp, resizeRaw } from '../../src/edit/resize.js';
import type { EditOp, RawImage } from '../../src/edit/core.js';
import { photoDir, randomImage } from './helpers.js';

// Only an explicit GANKIT_NO_ADDON=1 turns the comparisons off (reported as skipped with that reason);
// otherwise a missing addon fails every test here instead of comparing the JavaScript kernels with themselves.
const disabled = process.env[NO_ADDON_ENV] === '1' || process.env[NO_ADDON_ENV] === 'true';
const needsAddon = { skip: disabled ? `${NO_ADDON_ENV} is set` : false };

/** The loaded addon; fails the test when it is not built or does not load. */
function kernels() {
  const k = nativeKernels();
  assert.ok(k, `the native addon is loaded: ${addonStatus()}`);
  return k;
}

/** A copy of an image. */
const copy = (img: RawImage): RawImage => ({ ...img, data: new Uint8Array(img.data) });

/** Run op's image kernel with the addon on and off; assert both give the same image. */
async function assertSame(op: EditOp, img: RawImage, what: string): Promise<void> {
  const run = op.image!.bind(op);
  kernels();
  setAddonEnabled(true);
  const native = await run(copy(img));
  setAddonEnabled(false);
  try {
    const js = await run(copy(img));
    assert.ok(native && js, `${what}: both kernels give an image`);
    assert.deepEqual([native.width, native.height, native.channels], [js.width, js.height, js.channels], `${what}: size`);
    let diff = 0;
    for (let i = 0; i < js.data.length; i++) if (native.data[i] !== js.data[i]) diff++;
    assert.equal(diff, 0, `${what}: ${diff} of ${js.data.length} bytes differ`);
    assert.equal(native.data.length, js.data.length, `${what}: length`);
  } finally {
    setAddonEnabled(true);
  }
}

let photos: Record<string, RawImage> | undefined;
/** The fixture photos as decoded, and enlarged to 400x300 (Lanczos, by sharp) so the kernels split rows over threads; grey and RGBA versions too. */
async function photoSet(): Promise<Record<string, RawImage>> {
  if (photos) return photos;
  const set: Record<string, RawImage> = {};
  for (const n of ['astronaut', 'chelsea', 'coffee']) {
    const path = join(photoDir, `${n}.png`);
    set[n] = await decodeSource(path);
    set[`${n} 400x300`] = await decodeSource(await sharp(path).resize(400, 300, { kernel: 'lanczos3' }).png().toBuffer());
  }
  set['coffee 400x300 grey'] = await decodeSource(await sharp(join(photoDir, 'coffee.png')).resize(400, 300).toColourspace('b-w').png().toBuffer());
  set['chelsea 400x300 rgba'] = await decodeSource(await sharp(join(photoDir, 'chelsea.png')).resize(400, 300).ensureAlpha(0.5).png().toBuffer());
  assert.deepEqual([set['coffee 400x300 grey']!.channels, set['chelsea 400x300 rgba']!.channels, set['coffee 400x300']!.channels], [1, 4, 3]);
  photos = set;
  return photos;
}

/** Random images of every channel count and a few sizes (odd, tiny, large enough for several threads). */
function randomSet(): [string, RawImage][] {
  const out: [string, RawImage][] = [];
  for (const channels of [1, 2, 3, 4] as const) {
    for (const [w, h] of [[37, 23], [5, 9], [300, 260]] as const) out.push([`random ${w}x${h}x${channels}`, randomImage(w, h, channels, w * 131 + h * 7 + channels)]);
  }
  return out;
}

test('the addon is built and loaded (unless GANKIT_NO_ADDON=1)', () => {
  if (disabled) {
    assert.equal(nativeKernels(), undefined);
    assert.match(addonStatus(), /^JavaScript fallback \(GANKIT_NO_ADDON=/);
    return;
  }
  assert.ok(addonCandidates().some((p) => existsSync(p)), `addon built at one of ${addonCandidates().join(', ')} (bash scripts/build-addon.sh)`);
  assert.ok(nativeKernels(), addonStatus());
  assert.match(addonStatus(), /^native addon .*gankit_addon\.node$/);
  assert.equal(setAddonEnabled(false), true);
  assert.equal(nativeKernels(), undefined);
  assert.match(addonStatus(), /switched off/);
  assert.equal(setAddonEnabled(true), false);
});

test('native kernels reject wrong arguments with a TypeError', needsAddon, () => {
  const k = kernels();
  const data = new Uint8Array(12);
  assert.throws(() => k.applyLuts(data, 2, 2, 3, new Uint8Array(11), new Uint8Array(256)), TypeError);
  assert.throws(() => k.applyLuts(data, 2, 2, 3, new Uint8Array(12), new Uint8Array(100)), TypeError);
  assert.throws(() => k.applyLuts(data, 2, 2, 3, data, new Uint8Array(256)), /overlap/);
  assert.throws(() => k.histograms(data, 2, 2, 3, new Float64Array(10)), TypeError);
  assert.throws(() => k.grayscale(data, 2, 2, 3, new Uint8Array(12), 1), TypeError);
  assert.throws(() => k.saturation(data, 2, 2, 3, new Uint8Array(12), new Uint8Array(256)), TypeError);
  assert.throws(() => k.warp(data, 2, 2, 3, new Uint8Array(12), 2, 2, 0, new Float32Array(8), 1, undefined), TypeError);
  assert.throws(() => k.warp(data, 3, 2, 3, new Uint8Array(12), 2, 2, 0, new Float32Array(6), 1, undefined), TypeError);
  assert.throws(() => k.sharpness(data, 2, 2, 3, new Uint8Array(12), 1), TypeError);
  assert.throws(() => k.sharpness(data, 4, 1, 3, new Uint8Array(11), 1), TypeError);
  assert.throws(() => k.hflip(data, 3, 2, 3, new Uint8Array(12)), /width \* height \* channels/);
  assert.throws(() => k.hflip(data, 2, 2, 5, new Uint8Array(12)), /1-4 channels/);
});

test('hflip and invert kernels (and crops around them) equal the JavaScript copies on random images and photos', needsAddon, async () => {
  const geometry = await import('../../src/edit/geometry.js');
  const images: [string, RawImage][] = [...randomSet(), ...Object.entries(await photoSet())];
  for (const channels of [1, 2, 3, 4] as const) {
    for (const [w, h] of [[1, 7], [2, 5], [3, 1]] as const) images.push([`random ${w}x${h}x${channels}`, randomImage(w, h, channels, 17 * w + h + channels)]);
  }
  let cases = 0;
  for (const [what, img] of images) {
    const { width: w, height: h } = img;
    const ops: [string, EditOp][] = [
      ['hflip', geometry.hflipOp()],
      ['vflip', geometry.vflipOp()],
      ['invert', color.invertOp()],
      ['crop inside', geometry.cropOp(Math.floor(h / 3), Math.floor(w / 4), Math.max(1, Math.floor(h / 2)), Math.max(1, Math.floor(w / 2)))],
      ['crop one pixel', geometry.cropOp(h - 1, w - 1, 1, 1)],
      ['crop a column', geometry.cropOp(0, Math.floor(w / 2), h, 1)],
      ['crop padded outside', geometry.cropOp(-2, -3, h + 1, w + 5, { padOutside: true })],
      ['centerCrop smaller', geometry.centerCropOp([Math.max(1, h - 3), Math.max(1, w - 2)])],
      ['centerCrop larger', geometry.centerCropOp([h + 4, w + 3])],
    ];
    for (const [name, op] of ops) {
      await assertSame(op, img, `${name} on ${what}`);
      cases++;
    }
  }
  assert.ok(cases > 50, `${cases} cases`);
});

/** rotate / affine / perspective ops over interpolation, fill, expand, centre, shear and scale. */
function warpOps(w: number, h: number): [string, EditOp][] {
  const ops: [string, EditOp][] = [];
  for (const interpolation of ['nearest', 'bilinear'] as const) {
    for (const fill of [undefined, 0, 77, 255, [10, 200, 30, 128]] as const) {
      const f = fill as number | number[] | undefined;
      const tag = `${interpolation} fill ${JSON.stringify(fill)}`;
      for (const angle of [30, -12.5, 45, 90.1, 181, 1e-3]) {
        ops.push([`rotate ${angle} expand ${tag}`, rotateOp(angle, { interpolation, fill: f, expand: true })]);
        ops.push([`rotate ${angle} centre ${tag}`, rotateOp(angle, { interpolation, fill: f, center: [3, h * 0.6 + 0.5] })]);
      }
      ops.push([`affine mild ${tag}`, affineOp({ angle: 15, translate: [40, 20], scale: 0.9, shear: [5, 0], interpolation, fill: f })]);
      ops.push([`affine strong ${tag}`, affineOp({ angle: -70, translate: [-3.5, 7], scale: 2.3, shear: [40, -25], interpolation, fill: f })]);
      const corners = [[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]];
      ops.push([`perspective mild ${tag}`, perspectiveOp(corners, [[w * 0.05, h * 0.08], [w * 0.93, h * 0.02], [w * 0.97, h * 0.9], [w * 0.1, h * 0.95]], { interpolation, fill: f })]);
      // Far-off corners: the grid's denominator crosses zero inside the image (inf / NaN positions).
      ops.push([`perspective extreme ${tag}`, perspectiveOp(corners, [[w * 0.4, h * 0.1], [w * 0.6, 0], [w * 3, h * 2], [-w, h * 1.5]], { interpolation, fill: f })]);
    }
  }
  return ops;
}

/** The fill must have one value per channel; a 4-value fill only fits 4-channel images. */
const fits = (name: string, channels: number) => channels === 4 || !name.includes('[10,200,30,128]');

test('warp kernel equals warpRaw on random images (1-4 channels)', needsAddon, async () => {
  let cases = 0;
  for (const [what, img] of randomSet()) {
    if (img.width > 100) continue; // the large random image is covered by the photos' sizes
    for (const [name, op] of warpOps(img.width, img.height)) {
      if (!fits(name, img.channels)) continue;
      await assertSame(op, img, `${name} on ${what}`);
      cases++;
    }
  }
  assert.ok(cases > 500, `${cases} cases`);
});

test('warp kernel equals warpRaw on real photos', needsAddon, async () => {
  const set = await photoSet();
  for (const [what, img] of Object.entries(set)) {
    const ops = warpOps(img.width, img.height).filter(([name]) => fits(name, img.channels) && !name.includes('fill 0 ') && !name.includes(' 1e-3 ') && !name.includes(' 181 '));
    for (const [name, op] of ops.filter((_, i) => i % 3 === 0)) await assertSame(op, img, `${name} on ${what}`);
  }
});

/** Table, luma, histogram and sharpness ops across their parameters. */
function pixelOps(): [string, EditOp][] {
  const ops: [string, EditOp][] = [];
  for (const f of [0, 0.3, 1, 1.4, 2.7]) ops.push([`brightness ${f}`, color.adjustBrightnessOp(f)], [`contrast ${f}`, color.adjustContrastOp(f)], [`saturation ${f}`, color.adjustSaturationOp(f)]);
  for (const f of [0, 0.3, 1, 1.3, 2, 3.7]) ops.push([`sharpness ${f}`, color.adjustSharpnessOp(f)]);
  for (const [g, k] of [[0.8, 1], [2.2, 0.7], [1, 1.3], [0.25, 1]] as const) ops.push([`gamma ${g} gain ${k}`, color.adjustGammaOp(g, k)]);
  for (const bits of [1, 3, 5, 8]) ops.push([`posterize ${bits}`, color.posterizeOp(bits)]);
  for (const t of [0, 64, 128, 200, 255]) ops.push([`solarize ${t}`, color.solarizeOp(t)]);
  ops.push(['grayscale 1', color.rgbToGrayscaleOp(1)], ['grayscale 3', color.rgbToGrayscaleOp(3)], ['autocontrast', color.autocontrastOp()], ['equalize', color.equalizeOp()]);
  return ops;
}

test('pixel kernels equal the JavaScript loops on random images and photos', needsAddon, async () => {
  const images: [string, RawImage][] = [...randomSet(), ...Object.entries(await photoSet())];
  // Narrow-range images make autocontrast and equalize build non-trivial tables.
  const narrow = randomImage(120, 90, 3, 9);
  narrow.data.forEach((v, i) => (narrow.data[i] = 60 + (v % 50) + (i % 3) * 20));
  images.push(['narrow-range random 120x90x3', narrow]);
  let cases = 0;
  for (const [what, img] of images) {
    for (const [name, op] of pixelOps()) {
      await assertSame(op, img, `${name} on ${what}`);
      cases++;
    }
  }
  assert.ok(cases > 300, `${cases} cases`);
});

test('the histogram kernel equals the JavaScript statistics', needsAddon, async () => {
  const k = kernels();
  const { histograms } = await import('../../src/edit/pixels.js');
  for (const [what, img] of [...randomSet(), ...Object.entries(await photoSet())]) {
    const native = histograms(img);
    setAddonEnabled(false);
    const js = histograms(img);
    setAddonEnabled(true);
    assert.deepEqual(native, js, `histograms of ${what}`);
    assert.equal(native.reduce((s, h) => s + h.reduce((a, b) => a + b, 0), 0), img.width * img.height * native.length, `histogram counts of ${what}`);
  }
  assert.ok(k);
});

test('luma kernels equal the JavaScript loops on all 16.7 M RGB colours', needsAddon, async () => {
  // 4096 x 4096 pixels, pixel p = (p & 255, p >> 8 & 255, p >> 16): each colour once, so a differently
  // ordered float32 luma sum (which changes about 20 colours) cannot pass.
  const data = new Uint8Array(4096 * 4096 * 3);
  for (let p = 0, i = 0; p < 4096 * 4096; p++, i += 3) { data[i] = p & 255; data[i + 1] = (p >> 8) & 255; data[i + 2] = p >> 16; }
  const img: RawImage = { data, width: 4096, height: 4096, channels: 3 };
  for (const [name, op] of [['grayscale 1', color.rgbToGrayscaleOp(1)], ['saturation 1.5', color.adjustSaturationOp(1.5)], ['contrast 1.4', color.adjustContrastOp(1.4)]] as const) {
    await assertSame(op, img, `${name} on all colours`);
  }
});

/** Output sizes [height, width] for an h x w input: down, up, one axis only, odd ratios. */
const resizeSizes = (h: number, w: number): [number, number][] => [
  [Math.max(1, Math.round(h / 3)), Math.max(1, Math.round(w / 2.5))], [h * 2 + 1, w + 3], [h, Math.max(1, w - 7)], [Math.max(1, h - 5), w], [7, 11], [1, 1],
];

test('resize kernel equals resizeRaw (bilinear, antialiased or not) on random images and photos', needsAddon, async () => {
  let cases = 0;
  for (const [what, img] of [...randomSet(), ...Object.entries(await photoSet())]) {
    for (const size of resizeSizes(img.height, img.width)) {
      for (const antialias of [true, false]) {
        await assertSame(resizeOp(size, { interpolation: 'bilinear', antialias }), img, `resize ${size} bilinear aa ${antialias} on ${what}`);
        cases++;
      }
    }
    await assertSame(resizedCropOp(2, 3, Math.max(1, img.height - 4), Math.max(1, img.width - 5), [9, 13], {}), img, `resizedCrop on ${what}`);
  }
  assert.ok(cases > 100, `${cases} cases`);
});

/** A seeded generator of integers in [0, n). */
function randomInts(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return Math.floor((s / 2 ** 32) * n);
  };
}

/** resizeRaw with the addon gives the JavaScript fallback's image exactly: size and every byte. */
function assertResizeAgrees(img: RawImage, oh: number, ow: number, interpolation: 'bilinear' | 'bicubic' | 'nearest', antialias: boolean): number {
  kernels();
  setAddonEnabled(false);
  const js = resizeRaw(copy(img), oh, ow, interpolation, antialias);
  setAddonEnabled(true);
  const native = resizeRaw(copy(img), oh, ow, interpolation, antialias);
  const what = `${img.width}x${img.height}x${img.channels} -> ${ow}x${oh} ${interpolation} aa ${antialias}`;
  assert.deepEqual([native.width, native.height, native.channels], [ow, oh, img.channels], what);
  assert.equal(native.data.length, js.data.length, `${what}: length`);
  let diff = 0;
  for (let i = 0; i < js.data.length; i++) if (native.data[i] !== js.data[i]) diff++;
  assert.equal(diff, 0, `${what}: ${diff} of ${js.data.length} bytes differ`);
  return 1;
}

test('resize kernel equals resizeRaw in JavaScript on random sizes and scales', needsAddon, () => {
  const rand = randomInts(20240607);
  // Sizes: tiny, 1xN and Nx1, odd, around the 8-row blocks and 8/32-value vectors; scales: up, down, non-integer, one axis only.
  const edges = [1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31, 33, 40, 63, 65, 100, 129];
  const pick = () => (rand(3) === 0 ? 1 + rand(200) : edges[rand(edges.length)]!);
  let cases = 0;
  try {
    for (let n = 0; n < 160; n++) {
      const channels = (1 + (n % 4)) as RawImage['channels'];
      // Every 20th: large enough that the rows are split over threads.
      const [w, h] = n % 20 === 19 ? [300 + rand(400), 200 + rand(300)] : [pick(), pick()];
      const img = randomImage(w, h, channels, 1000 + n);
      const scale = () => [0.25, 0.5, 0.37, 0.77, 1, 1.3, 2, 2.6, 3][rand(9)]!;
      let ow = Math.max(1, Math.round(w * scale())), oh = Math.max(1, Math.round(h * scale()));
      if (n % 7 === 0) ow = w;
      if (n % 11 === 0) oh = h;
      if (ow === w && oh === h) ow = w + 1;
      for (const interpolation of ['bilinear', 'bicubic', 'nearest'] as const) {
        for (const antialias of [true, false]) cases += assertResizeAgrees(img, oh, ow, interpolation, antialias);
      }
    }
  } finally {
    setAddonEnabled(true);
  }
  assert.ok(cases >= 480, `${cases} cases`);
});

test('resize kernel rounds sums near .5 and past 0..255 as the JavaScript does', needsAddon, () => {
  // Extreme pixels (0 / 255 stripes) make bicubic overshoot and undershoot; many sums land on x.5 with bilinear halving.
  try {
    for (const channels of [1, 3, 4] as const) {
      const w = 67, h = 45;
      const data = new Uint8Array(w * h * channels);
      for (let i = 0; i < data.length; i++) data[i] = (i * 7) % 5 < 2 ? 255 : i % 3 === 0 ? 0 : (i * 13) % 256;
      const img: RawImage = { data, width: w, height: h, channels };
      for (const [oh, ow] of [[90, 134], [22, 33], [45, 200], [17, 67], [133, 29]] as const) {
        for (const interpolation of ['bilinear', 'bicubic'] as const) {
          for (const antialias of [true, false]) assertResizeAgrees(img, oh, ow, interpolation, antialias);
        }
      }
    }
  } finally {
    setAddonEnabled(true);
  }
});

test('resize kernel, bicubic, equals the tensor kernel (the fallback for bicubic)', needsAddon, async () => {
  const set = await photoSet();
  const images: [string, RawImage][] = [...randomSet().filter(([, i]) => i.width < 100), ['coffee 400x300', set['coffee 400x300']!], ['chelsea 400x300 rgba', set['chelsea 400x300 rgba']!]];
  const before = tf.memory().numTensors;
  for (const [what, img] of images) {
    // On the photos: down in both axes, one axis only, and up (the tensor kernel on the CPU is slow).
    const sizes = img.width < 100 ? resizeSizes(img.height, img.width) : ([[100, 133], [300, 391], [320, 410]] as [number, number][]);
    for (const size of sizes) {
      for (const antialias of [true, false]) {
        const op = resizeOp(size, { interpolation: 'bicubic', antialias });
        const native = await op.image!(img);
        assert.ok(native, 'the addon resizes bicubic');
        const expected = tf.tidy(() => op.tensor(tf.tensor4d(Int32Array.from(img.data), [1, img.height, img.width, img.channels], 'int32'), 'uint8').dataSync());
        assert.deepEqual([native.height, native.width], size);
        let diff = 0;
        for (let i = 0; i < expected.length; i++) if (native.data[i] !== expected[i]) diff++;
        assert.equal(diff, 0, `bicubic ${size} aa ${antialias} on ${what}: ${diff} of ${expected.length} values differ`);
        assert.equal(native.data.length, expected.length);
      }
    }
  }
  assert.equal(tf.memory().numTensors, before);
  setAddonEnabled(false);
  try {
    assert.equal(await resizeOp([5, 5], { interpolation: 'bicubic' }).image!(images[0]![1]), undefined, 'without the addon bicubic falls back to the tensor kernel');
  } finally {
    setAddonEnabled(true);
  }
});

test('table pass: masks, xors and solarize thresholds (vectorised forms) equal the JavaScript tables', needsAddon, async () => {
  const images = randomSet().filter(([what]) => what.includes('x3') || what.includes('x1'));
  let cases = 0;
  for (const [what, img] of images) {
    const ops: [string, EditOp][] = [['invert', color.invertOp()]];
    for (let bits = 0; bits <= 8; bits++) ops.push([`posterize ${bits}`, color.posterizeOp(bits)]);
    for (const t of [0, 1, 2, 77, 127.5, 128, 254, 255]) ops.push([`solarize ${t}`, color.solarizeOp(t)]);
    for (const [name, op] of ops) {
      await assertSame(op, img, `${name} on ${what}`);
      cases++;
    }
  }
  assert.ok(cases >= 100, `${cases} cases`);
});
