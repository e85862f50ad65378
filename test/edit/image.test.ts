/**
 * The image back end (EditImage over sharp): sources and outputs, edits applied in the order
 * written, sharp's native steps agreeing with the tensor kernels on every channel layout, and
 * alpha passing through colour operations.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import * as edit from '../../src/edit/index.js';
import { EditImage, openImage, compose, type RawImage } from '../../src/edit/index.js';
import { GankitError } from '../../src/util/errors.js';
import { photoDir, rawImage, tempDir } from './helpers.js';

const tmp = tempDir();
before(async () => {
  await initBackend();
});
after(() => tmp.cleanup());

/** The raw image as an int32 HWC tensor. */
const asTensor = (r: RawImage) => tf.tensor3d(Int32Array.from(r.data), [r.height, r.width, r.channels], 'int32');

/** Run the same edit on the tensor back end and the image back end; assert identical pixels. */
async function sameOnBothBackEnds(r: RawImage, fn: (x: any) => any, label: string): Promise<RawImage> {
  const x = asTensor(r);
  const y = fn(x) as tf.Tensor;
  const fromImage = await (fn(openImage(r)) as EditImage).toRaw();
  assert.deepEqual([fromImage.height, fromImage.width, fromImage.channels], y.shape, `${label}: shape`);
  assert.deepEqual(Array.from(fromImage.data), Array.from(await y.data()), `${label}: pixels`);
  tf.dispose([x, y]);
  return fromImage;
}

/** Add an alpha channel (a gradient) to an RGB or grey raw image. */
function withAlpha(r: RawImage): RawImage {
  const n = r.width * r.height;
  const c = r.channels + 1;
  const data = new Uint8Array(n * c);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < r.channels; k++) data[i * c + k] = r.data[i * r.channels + k]!;
    data[i * c + r.channels] = (i * 7) % 256;
  }
  return { data, width: r.width, height: r.height, channels: c as RawImage['channels'] };
}

describe('sources and outputs', () => {
  test('a file path, a Buffer and raw pixels open to the same pixels', async () => {
    const path = join(photoDir, 'astronaut.png');
    const a = await openImage(path).toRaw();
    const b = await openImage(await readFile(path)).toRaw();
    const c = await openImage(rawImage('astronaut')).toRaw();
    assert.deepEqual(a, b);
    assert.deepEqual(a, c);
    assert.deepEqual(await openImage(path).size(), { width: 32, height: 24, channels: 3 });
  });

  test('PNG output is lossless and keeps grey images grey', async () => {
    for (const name of ['coffee', 'grey']) {
      const raw = rawImage(name);
      const png = await openImage(raw).toBuffer();
      const meta = await sharp(png).metadata();
      assert.equal(meta.format, 'png');
      assert.deepEqual(await openImage(png).toRaw(), raw);
    }
  });

  test('toFile picks the format from the extension; JPEG and WebP take a quality', async () => {
    const image = openImage(rawImage('chelsea')).rotate(15, { interpolation: 'bilinear' });
    for (const [file, format] of [['a.png', 'png'], ['b.jpg', 'jpeg'], ['c.JPEG', 'jpeg'], ['d.webp', 'webp']] as const) {
      const path = join(tmp.dir, file);
      await image.toFile(path, format === 'png' ? undefined : { quality: 90 });
      assert.ok((await stat(path)).size > 100);
      const meta = await sharp(path).metadata();
      assert.equal(meta.format, format);
      assert.equal(meta.width, 32);
    }
    const jpeg = await image.toBuffer({ format: 'jpg' as never, quality: 50 });
    assert.equal((await sharp(jpeg).metadata()).format, 'jpeg');
  });

  test('JPEG cannot hold alpha: a clear error', async () => {
    const rgba = withAlpha(rawImage('astronaut'));
    await assert.rejects(openImage(rgba).toBuffer({ format: 'jpeg' }), (e: unknown) => e instanceof GankitError && /alpha/.test(e.message));
    const png = await openImage(rgba).toBuffer();
    assert.equal((await sharp(png).metadata()).channels, 4);
  });

  test('toTensor in the three ranges', async () => {
    const raw = rawImage('gradient');
    const image = openImage(raw);
    const u8 = await image.toTensor({ range: 'uint8' });
    const unit = await image.toTensor();
    const signed = await image.toTensor({ range: '-1-1' });
    assert.equal(u8.dtype, 'int32');
    assert.deepEqual(u8.shape, [17, 21, 3]);
    assert.deepEqual(Array.from(await u8.data()), Array.from(raw.data));
    assert.ok(Math.abs((await unit.max().data())[0]! - 1) < 1e-7);
    assert.ok(Math.abs((await signed.min().data())[0]! + 1) < 1e-7);
    tf.dispose([u8, unit, signed]);
  });

  test('CMYK JPEGs open as sRGB', async () => {
    const cmyk = await sharp(rawImage('coffee').data, { raw: { width: 32, height: 24, channels: 3 } }).toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer();
    assert.equal((await sharp(cmyk).metadata()).space, 'cmyk');
    const r = await openImage(cmyk).toRaw();
    assert.equal(r.channels, 3);
    const mean = r.data.reduce((a, v, i) => a + Math.abs(v - rawImage('coffee').data[i]!), 0) / r.data.length;
    assert.ok(mean < 12, `mean abs diff ${mean}`);
  });

  test('16-bit PNGs open as 8-bit pixels', async () => {
    const png16 = await sharp(rawImage('coffee').data, { raw: { width: 32, height: 24, channels: 3 } }).toColourspace('rgb16').png().toBuffer();
    assert.equal((await sharp(png16).metadata()).depth, 'ushort');
    const r = await openImage(png16).toRaw();
    assert.equal(r.channels, 3);
    const d = r.data.reduce((m, v, i) => Math.max(m, Math.abs(v - rawImage('coffee').data[i]!)), 0);
    assert.ok(d <= 1, `max diff ${d}`);
  });
});

describe('edits run in the order written', () => {
  test('crop then rotate differs from rotate then crop, and each equals the tensor result', async () => {
    const raw = rawImage('astronaut');
    const a = await sameOnBothBackEnds(raw, (x) => edit.rotate(edit.crop(x, 2, 4, 16, 20), 30, { interpolation: 'bilinear' }), 'crop, rotate');
    const b = await sameOnBothBackEnds(raw, (x) => edit.crop(edit.rotate(x, 30, { interpolation: 'bilinear' }), 2, 4, 16, 20), 'rotate, crop');
    assert.notDeepEqual(a.data, b.data);
  });

  test('sharp-native steps keep their order too (a pipeline would reorder extract, rotate, flip and extend)', async () => {
    const raw = rawImage('gradient');
    const chain = (x: any) => edit.hflip(edit.pad(edit.crop(edit.rotate(x, 90, { expand: true }), 1, 2, 12, 9), [1, 2, 3, 0], { mode: 'edge' }));
    await sameOnBothBackEnds(raw, chain, 'rotate90, crop, pad, hflip');
    const fluent = await openImage(raw).rotate(90, { expand: true }).crop(1, 2, 12, 9).pad([1, 2, 3, 0], { mode: 'edge' }).hflip().toRaw();
    const functional = await (chain(openImage(raw)) as EditImage).toRaw();
    assert.deepEqual(fluent, functional);
  });

  test('a long mixed chain: fluent EditImage, functional on tensors and compose agree', async () => {
    const raw = rawImage('chelsea');
    const steps = [
      (x: any) => edit.resize(x, [30, 40]),
      (x: any) => edit.adjustSaturation(x, 1.6),
      (x: any) => edit.rotate(x, -12, { interpolation: 'bilinear', fill: [10, 200, 30] }),
      (x: any) => edit.centerCrop(x, 28),
      (x: any) => edit.adjustHue(x, 0.1),
      (x: any) => edit.gaussianBlur(x, 3),
      (x: any) => edit.vflip(x),
      (x: any) => edit.equalize(x),
    ];
    const composed = compose(steps);
    const viaCompose = await sameOnBothBackEnds(raw, composed, 'compose');
    const fluent = await openImage(raw).resize([30, 40]).adjustSaturation(1.6).rotate(-12, { interpolation: 'bilinear', fill: [10, 200, 30] })
      .centerCrop(28).adjustHue(0.1).gaussianBlur(3).vflip().equalize().toRaw();
    assert.deepEqual(fluent, viaCompose);
    const applied = await openImage(raw).apply(composed).toRaw();
    assert.deepEqual(applied, viaCompose);
  });

  test('an EditImage can branch: both children reuse the parent and neither changes it', async () => {
    const base = openImage(rawImage('coffee')).resize(12);
    const left = base.hflip();
    const right = base.invert();
    const [p, l, r] = await Promise.all([base.toRaw(), left.toRaw(), right.toRaw()]);
    assert.deepEqual([p.width, p.height], [16, 12]);
    assert.deepEqual(l.data, (await edit.hflip(openImage(p)).toRaw()).data);
    assert.deepEqual(r.data, (await edit.invert(openImage(p)).toRaw()).data);
  });
});

describe('native sharp steps equal the tensor kernels on every channel layout', () => {
  const layouts: [string, () => RawImage][] = [
    ['grey', () => rawImage('grey')],
    ['grey+alpha', () => withAlpha(rawImage('grey'))],
    ['RGB', () => rawImage('gradient')],
    ['RGBA', () => withAlpha(rawImage('gradient'))],
  ];
  const ops: [string, (x: any) => any][] = [
    ['hflip', (x) => edit.hflip(x)],
    ['vflip', (x) => edit.vflip(x)],
    ['crop', (x) => edit.crop(x, 3, 2, 9, 11)],
    ['crop padOutside', (x) => edit.crop(x, -3, 5, 9, 30, { padOutside: true })],
    ['crop fully outside', (x) => edit.crop(x, 40, 40, 3, 4, { padOutside: true })],
    ['centerCrop smaller', (x) => edit.centerCrop(x, [6, 7])],
    ['centerCrop larger', (x) => edit.centerCrop(x, [20, 30])],
    ['pad constant', (x) => edit.pad(x, [1, 2, 3, 4])],
    ['pad fill', (x) => edit.pad(x, 2, { fill: 255 })],
    ['pad edge', (x) => edit.pad(x, [3, 1, 0, 2], { mode: 'edge' })],
    ['pad reflect', (x) => edit.pad(x, [3, 1, 0, 2], { mode: 'reflect' })],
    ['rotate 0', (x) => edit.rotate(x, 0)],
    ['rotate 90 expand', (x) => edit.rotate(x, 90, { expand: true })],
    ['rotate -90 expand bilinear', (x) => edit.rotate(x, -90, { expand: true, interpolation: 'bilinear' })],
    ['rotate 180', (x) => edit.rotate(x, 180)],
    ['rotate 540', (x) => edit.rotate(x, 540, { interpolation: 'bilinear', fill: 0 })],
    ['rotate 270 expand', (x) => edit.rotate(x, 270, { expand: true })],
    ['rotate 90 (not square: sampled)', (x) => edit.rotate(x, 90)],
    ['rotate 37 bilinear fill', (x) => edit.rotate(x, 37, { interpolation: 'bilinear', fill: 128 })],
    ['affine', (x) => edit.affine(x, { angle: 10, translate: [1, 2], scale: 0.9, shear: [4, 2], interpolation: 'bilinear' })],
    ['perspective nearest', (x) => edit.perspective(x, [[0, 0], [20, 0], [20, 16], [0, 16]], [[2, 1], [19, 0], [20, 14], [1, 16]], { interpolation: 'nearest', fill: 9 })],
  ];
  for (const [layout, make] of layouts) {
    for (const [name, fn] of ops) {
      test(`${name} on ${layout}`, async () => {
        await sameOnBothBackEnds(make(), fn, `${name} on ${layout}`);
      });
    }
  }

  test('a square image turns a quarter without expand', async () => {
    await sameOnBothBackEnds(rawImage('grey'), (x) => edit.centerCrop(edit.rotate(edit.centerCrop(x, 20), 90), 20), 'square quarter turn');
    await sameOnBothBackEnds(withAlpha(rawImage('astronaut')), (x) => edit.rotate(edit.centerCrop(x, 24), -270, { interpolation: 'bilinear' }), 'square RGBA');
  });
});

describe('sharp path colour steps (lookup table for brightness, sharp negate for invert) equal torchvision', () => {
  test('every byte value under 200 brightness factors, on grey, RGB and RGBA', async () => {
    for (const channels of [1, 3, 4] as const) {
      const data = Uint8Array.from({ length: 256 * channels }, (_, i) => (i * 37 + (i >> 2)) % 256);
      const raw: RawImage = { data, width: 16, height: 16, channels };
      for (let k = 0; k < 200; k++) {
        const f = k / 50 + (k % 7) * 0.00123;
        await sameOnBothBackEnds(raw, (x) => edit.adjustBrightness(x, f), `brightness ${f} (${channels} channels)`);
      }
      await sameOnBothBackEnds(raw, (x) => edit.invert(x), `invert (${channels} channels)`);
    }
  });
});

describe('alpha passes through colour operations', () => {
  const colourOps: [string, (x: any) => any][] = [
    ['adjustBrightness', (x) => edit.adjustBrightness(x, 1.4)],
    ['adjustContrast', (x) => edit.adjustContrast(x, 0.6)],
    ['adjustSaturation', (x) => edit.adjustSaturation(x, 0.3)],
    ['adjustHue', (x) => edit.adjustHue(x, -0.3)],
    ['adjustGamma', (x) => edit.adjustGamma(x, 0.7, 1.1)],
    ['adjustSharpness', (x) => edit.adjustSharpness(x, 3)],
    ['invert', (x) => edit.invert(x)],
    ['posterize', (x) => edit.posterize(x, 2)],
    ['solarize', (x) => edit.solarize(x, 100)],
    ['autocontrast', (x) => edit.autocontrast(x)],
    ['equalize', (x) => edit.equalize(x)],
    ['rgbToGrayscale 3', (x) => edit.rgbToGrayscale(x, 3)],
  ];
  for (const [name, fn] of colourOps) {
    test(name, async () => {
      const rgb = rawImage('coffee');
      const rgba = withAlpha(rgb);
      const out = await sameOnBothBackEnds(rgba, fn, `${name} RGBA`);
      const plain = await (fn(openImage(rgb)) as EditImage).toRaw();
      for (let i = 0; i < 32 * 24; i++) {
        assert.equal(out.data[i * 4 + 3], rgba.data[i * 4 + 3], 'alpha unchanged');
        for (let k = 0; k < 3; k++) assert.equal(out.data[i * 4 + k], plain.data[i * 3 + k], 'colour as without alpha');
      }
    });
  }

  test('rgbToGrayscale of RGBA to one channel gives grey+alpha', async () => {
    const out = await sameOnBothBackEnds(withAlpha(rawImage('astronaut')), (x) => edit.rgbToGrayscale(x), 'grey+alpha');
    assert.equal(out.channels, 2);
    assert.equal((await sharp(await openImage(out).toBuffer()).metadata()).channels, 4, 'grey+alpha is written as RGBA');
  });
});
