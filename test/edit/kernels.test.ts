/**
 * 8-bit kernel details: toRaw hands out buffers the caller owns; the table and statistics loops of
 * src/edit/pixels.ts (native and JavaScript) equal values computed here byte by byte.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { initBackend } from '../../src/backend/select.js';
import { openImage, type EditImage, type RawImage } from '../../src/edit/index.js';
import { applyLuts, greySum, histograms, lut } from '../../src/edit/pixels.js';
import { photoDir } from './helpers.js';

let dir: string;
let rgbPng: string;

async function photo(channels: 1 | 3): Promise<RawImage> {
  let s = sharp(`${photoDir}chelsea.png`).resize(61, 47, { fit: 'fill' }).removeAlpha();
  if (channels === 1) s = s.toColourspace('b-w');
  const { data, info } = await s.raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.channels, channels);
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels };
}

before(async () => {
  await initBackend();
  dir = await mkdtemp(join(tmpdir(), 'gankit-kernels-'));
  const rgb = await photo(3);
  rgbPng = join(dir, 'rgb.png');
  await sharp(rgb.data, { raw: { width: rgb.width, height: rgb.height, channels: 3 } }).png().toFile(rgbPng);
});
after(async () => { await rm(dir, { recursive: true, force: true }); });

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

describe('table loop equals a byte loop', () => {
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

describe('statistics equal plain loops', () => {
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
        assert.equal(greySum(img), sum, `greySum, n ${n}, offset ${offset}`);
      }
    }
  });
});
