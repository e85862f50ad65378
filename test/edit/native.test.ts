/**
 * EditImage's fused native pipelines (src/edit/native.ts and the ops' `sharp` steps): decode -> op ->
 * encode and pixels -> op -> encode in one sharp pipeline must give exactly the pixels of the 8-bit
 * kernels; toRaw hands out buffers the caller owns; the word-at-a-time table loop equals a byte loop.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { initBackend } from '../../src/backend/select.js';
import { openImage, type EditImage, type RawImage } from '../../src/edit/index.js';
import type { EditOp } from '../../src/edit/core.js';
import { centerCropOp, cropOp, hflipOp, padOp, vflipOp } from '../../src/edit/geometry.js';
import { adjustBrightnessOp, adjustContrastOp, adjustGammaOp, adjustHueOp, adjustSaturationOp, rgbToGrayscaleOp, autocontrastOp, equalizeOp, invertOp, posterizeOp, solarizeOp } from '../../src/edit/color.js';
import { rotateOp } from '../../src/edit/warp.js';
import { applyLuts, channelRange, greySum, histograms, lut } from '../../src/edit/pixels.js';
import { hasPointPipeline } from '../../src/edit/vips.js';
import { photoDir } from './helpers.js';

let dir: string;
let rgbPng: string, greyPng: string, rgbJpg: string;

async function photo(channels: 1 | 3): Promise<RawImage> {
  let s = sharp(`${photoDir}chelsea.png`).resize(61, 47, { fit: 'fill' }).removeAlpha();
  if (channels === 1) s = s.toColourspace('b-w');
  const { data, info } = await s.raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.channels, channels);
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels };
}

before(async () => {
  await initBackend();
  dir = await mkdtemp(join(tmpdir(), 'gankit-native-'));
  const rgb = await photo(3), grey = await photo(1);
  rgbPng = join(dir, 'rgb.png'); greyPng = join(dir, 'grey.png'); rgbJpg = join(dir, 'rgb.jpg');
  await sharp(rgb.data, { raw: { width: rgb.width, height: rgb.height, channels: 3 } }).png().toFile(rgbPng);
  await sharp(grey.data, { raw: { width: grey.width, height: grey.height, channels: 1 } }).toColourspace('b-w').png().toFile(greyPng);
  await sharp(rgb.data, { raw: { width: rgb.width, height: rgb.height, channels: 3 } }).jpeg({ quality: 92 }).toFile(rgbJpg);
});
after(async () => { await rm(dir, { recursive: true, force: true }); });

const nativeOps: [string, () => EditOp][] = [
  ['hflip', hflipOp],
  ['vflip', vflipOp],
  ['crop', () => cropOp(5, 7, 30, 41)],
  ['centerCrop', () => centerCropOp([40, 33])],
  ['pad edge', () => padOp([3, 1, 2, 4], { mode: 'edge' })],
  ['pad constant', () => padOp(2, { fill: 37 })],
  ['invert', invertOp],
  ['rotate 90 expand', () => rotateOp(90, { expand: true })],
  ['rotate -180', () => rotateOp(-180)],
];

/** The op with its native step wrapped to record whether a fused pipeline asked for it (and got one). */
function watched(make: () => EditOp): { op: EditOp; used: () => boolean } {
  const op = make();
  let used = false;
  return {
    op: { ...op, sharp: async (input) => { const step = await op.sharp!(input); if (step) used = true; return step; } },
    used: () => used,
  };
}

async function decode(bytes: Buffer): Promise<Uint8Array> {
  return (await openImage(bytes).toRaw()).data;
}

describe('fused native pipelines equal the 8-bit kernels', () => {
  for (const [name, make] of nativeOps) {
    for (const source of ['rgb', 'grey'] as const) {
      test(`${name}, ${source} PNG file: decode -> op -> encode`, async () => {
        const path = source === 'rgb' ? rgbPng : greyPng;
        const w = watched(make);
        const fused = await openImage(path).then(w.op).toBuffer();
        const expected = await openImage(path).then(make()).toRaw();
        const fusedPixels = await decode(fused);
        // Grey constant padding has no exact sharp step; hflip on an encoded source streams through gankit_vips instead.
        assert.equal(w.used(), !(source === 'grey' && name === 'pad constant') && !(name === 'hflip' && hasPointPipeline()), 'native step used');
        assert.equal((await sharp(fused).metadata()).channels, expected.channels);
        assert.deepEqual(fusedPixels, expected.data);
      });
    }
    test(`${name}, after another edit: pixels -> op -> encode`, async () => {
      const w = watched(make);
      const base = openImage(rgbPng).adjustHue(0.2);
      const fused = await base.then(w.op).toBuffer();
      const expected = await openImage(await base.toRaw()).then(make()).toRaw();
      assert.ok(w.used(), 'native step used');
      assert.deepEqual(await decode(fused), expected.data);
    });
  }

  test('a fused JPEG is byte-identical to encoding the materialised pixels', async () => {
    for (const [, make] of nativeOps) {
      const fused = await openImage(rgbJpg).then(make()).toBuffer({ format: 'jpeg', quality: 90 });
      const image = openImage(rgbJpg).then(make());
      await image.size(); // materialise: toBuffer then encodes the cached pixels
      assert.deepEqual(fused, await image.toBuffer({ format: 'jpeg', quality: 90 }));
    }
  });

  test('toFile writes the fused result; bad crops still fail with gankit errors', async () => {
    const out = join(dir, 'out.png');
    await openImage(rgbPng).crop(1, 2, 20, 30).toFile(out);
    assert.deepEqual((await openImage(out).toRaw()).data, (await openImage(rgbPng).crop(1, 2, 20, 30).toRaw()).data);
    await assert.rejects(openImage(rgbPng).crop(40, 0, 20, 10).toBuffer(), /crop box inside/);
    await assert.rejects(openImage(join(dir, 'missing.png')).hflip().toBuffer(), /Cannot read image file/);
  });

});

describe('per-pixel edits run in place on a freshly decoded buffer (encoding, toRaw)', () => {
  const tableOps: [string, () => EditOp][] = [
    ['brightness', () => adjustBrightnessOp(1.37)], ['contrast', () => adjustContrastOp(0.3)], ['gamma', () => adjustGammaOp(0.8, 1.1)],
    ['posterize', () => posterizeOp(3)], ['solarize', () => solarizeOp(128)], ['autocontrast', autocontrastOp], ['equalize', equalizeOp],
    ['saturation', () => adjustSaturationOp(1.5)], ['hue', () => adjustHueOp(0.1)], ['grayscale 1', () => rgbToGrayscaleOp(1)], ['grayscale 3', () => rgbToGrayscaleOp(3)],
  ];
  for (const [name, make] of tableOps) {
    for (const [label, path] of [['rgb', () => rgbPng], ['grey', () => greyPng]] as const) {
      test(`${name}, ${label}: same pixels as the allocating kernel; the source stays intact`, async () => {
        const op = make();
        let inPlace = 0;
        const counted: EditOp = { ...op, imageInto: async (img) => { inPlace++; return op.imageInto!(img); } };
        const root = openImage(path());
        // Point ops, autocontrast and equalize encode through the gankit_vips pipelines when built (test/edit/vips.test.ts), not in place.
        const encodesInPlace = (op.point === undefined && op.whole === undefined) || !hasPointPipeline() ? 1 : 0;
        const encoded = await root.then(counted).toBuffer();
        assert.equal(inPlace, encodesInPlace, 'in-place kernel used unless fused');
        const handed = await root.then(counted).toRaw();
        assert.equal(inPlace, encodesInPlace + 1, 'in-place kernel used by toRaw');
        const expected = await openImage(await openImage(path()).toRaw()).then({ ...op, imageInto: undefined }).toRaw();
        assert.deepEqual(await decode(encoded), expected.data);
        assert.deepEqual(handed, expected);
        await root.size(); // caches the root's pixels: a second edit must not run in place on them
        const before = await root.toRaw();
        await root.then(counted).toBuffer();
        assert.equal(inPlace, encodesInPlace + 1, 'no in-place run on cached pixels');
        assert.deepEqual((await root.toRaw()).data, before.data);
      });
    }
  }
});

describe('toRaw hands out buffers the caller owns', () => {
  test('changing a returned buffer changes nothing else', async () => {
    const raw = await photo(3);
    const image: EditImage = openImage(raw).adjustBrightness(1.2);
    const a = await image.toRaw();
    const b = await image.toRaw();
    assert.notEqual(a.data.buffer, b.data.buffer);
    assert.deepEqual(a.data, b.data);
    a.data.fill(7);
    assert.deepEqual((await image.toRaw()).data, b.data);
    assert.deepEqual((await image.hflip().toRaw()).data, (await openImage(b).hflip().toRaw()).data);
    const same = openImage(raw).crop(0, 0, raw.height, raw.width); // returns its input's pixels: copied out
    const c = await same.toRaw();
    c.data.fill(0);
    assert.deepEqual((await same.toRaw()).data, raw.data);
    const decoded = openImage(rgbPng);
    const d = await decoded.toRaw();
    d.data.fill(0);
    assert.deepEqual((await decoded.toRaw()).data, raw.data.length === d.data.length ? (await openImage(rgbPng).toRaw()).data : d.data);
  });
});

describe('table loop: 32-bit words equal a byte loop', () => {
  test('one table and three tables, aligned and unaligned, every length mod 12', () => {
    const t0 = lut((x) => (x * 7 + 3) & 255), t1 = lut((x) => 255 - x), t2 = lut((x) => (x >> 1) + 9);
    for (let n = 1; n <= 40; n++) {
      for (const offset of [0, 1, 4]) {
        const buf = new Uint8Array(n * 3 + offset);
        for (let i = 0; i < buf.length; i++) buf[i] = (i * 97 + 13) & 255;
        const data = buf.subarray(offset);
        const img: RawImage = { data, width: n, height: 1, channels: 3 };
        const one = applyLuts(img, [t0]).data;
        const three = applyLuts(img, [t0, t1, t2]).data;
        for (let i = 0; i < data.length; i++) {
          assert.equal(one[i], t0[data[i]!], `one table, n ${n}, offset ${offset}, byte ${i}`);
          assert.equal(three[i], [t0, t1, t2][i % 3]![data[i]!], `three tables, n ${n}, offset ${offset}, byte ${i}`);
        }
      }
    }
  });
});

describe('word-at-a-time statistics equal plain loops', () => {
  test('histograms, channel ranges and grey sums of RGB data, aligned and unaligned, every length mod 12', () => {
    const f32 = Math.fround;
    const [wr, wg, wb] = [f32(0.2989), f32(0.587), f32(0.114)];
    for (let n = 1; n <= 30; n++) {
      for (const offset of [0, 1, 4]) {
        const buf = new Uint8Array(n * 3 + offset);
        for (let i = 0; i < buf.length; i++) buf[i] = (i * 151 + 7 * (i >> 3)) & 255;
        const data = buf.subarray(offset);
        const img: RawImage = { data, width: n, height: 1, channels: 3 };
        const expected = [0, 1, 2].map(() => new Float64Array(256));
        let sum = 0;
        for (let p = 0; p < n; p++) {
          for (let k = 0; k < 3; k++) expected[k]![data[p * 3 + k]!]!++;
          sum += Math.floor(f32(f32(f32(data[p * 3]! * wr) + f32(data[p * 3 + 1]! * wg)) + f32(data[p * 3 + 2]! * wb)));
        }
        assert.deepEqual(histograms(img), expected, `histograms, n ${n}, offset ${offset}`);
        const min = [0, 1, 2].map((k) => Math.min(...Array.from({ length: n }, (_, p) => data[p * 3 + k]!)));
        const max = [0, 1, 2].map((k) => Math.max(...Array.from({ length: n }, (_, p) => data[p * 3 + k]!)));
        assert.deepEqual(channelRange(img), { min, max }, `channelRange, n ${n}, offset ${offset}`);
        assert.equal(greySum(img), sum, `greySum, n ${n}, offset ${offset}`);
      }
    }
  });
});
