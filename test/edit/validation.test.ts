/**
 * Bad input: every parameter class gets a GankitError that names the parameter and its valid
 * range, on both back ends, and nothing is mutated or leaked on the way.
 */
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import { GankitError } from '../../src/util/errors.js';
import * as edit from '../../src/edit/index.js';
import { openImage } from '../../src/edit/index.js';
import { rawImage } from './helpers.js';

/** Assert a GankitError whose message matches every pattern. */
function rejects(fn: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof GankitError, `expected a GankitError, got ${String(e)}`);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

async function rejectsAsync(p: Promise<unknown>, ...patterns: RegExp[]): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof GankitError, `expected a GankitError, got ${String(e)}`);
    for (const pat of patterns) assert.match(e.message, pat);
    return true;
  });
}

let img: tf.Tensor3D;
before(async () => {
  await initBackend();
  img = tf.randomUniform([8, 10, 3]) as tf.Tensor3D;
});

describe('bad image inputs', () => {
  test('not an image at all', () => {
    rejects(() => edit.hflip(42 as never), /for image/, /tf\.Tensor/, /received 42 of type number/);
    rejects(() => edit.hflip(null as never), /for image/, /received null/);
    rejects(() => edit.rotate({} as never, 10), /for image/);
    rejects(() => edit.hflip('' as never), /for image/);
  });

  test('wrong rank', () => {
    const t = tf.zeros([4, 4]);
    rejects(() => edit.hflip(t), /3D tensor \(HWC\), 4D tensor \(NHWC\) or more \(\[\.\.\., H, W, C\]\)/, /shape \[4,4\]/);
    const t1 = tf.zeros([4]);
    rejects(() => edit.resize(t1, 2), /3D tensor \(HWC\), 4D tensor \(NHWC\) or more/);
    tf.dispose([t, t1]);
  });

  test('wrong channel count, empty images, wrong dtype, disposed tensors', () => {
    const five = tf.zeros([4, 4, 5]);
    rejects(() => edit.invert(five), /1, 2, 3 or 4 channels/, /shape \[4,4,5\]/);
    const empty = tf.zeros([0, 4, 3]);
    rejects(() => edit.vflip(empty), /non-empty image/);
    const emptyBatch = tf.zeros([0, 4, 4, 3]);
    rejects(() => edit.vflip(emptyBatch), /non-empty image/);
    const b = tf.zeros([4, 4, 3], 'bool');
    rejects(() => edit.hflip(b), /dtype 'float32'/, /'int32'/);
    const gone = tf.zeros([4, 4, 3]);
    gone.dispose();
    rejects(() => edit.hflip(gone), /disposed/);
    tf.dispose([five, empty, emptyBatch, b]);
  });

  test('raw pixels that do not add up', () => {
    rejects(() => openImage({ data: new Uint8Array(10), width: 2, height: 2, channels: 3 }), /Expected 12 bytes/, /source\.data/);
    rejects(() => openImage({ data: new Uint8Array(12), width: 0, height: 2, channels: 3 }), /positive integer for source\.width/);
    rejects(() => openImage({ data: new Uint8Array(12), width: 2, height: 2, channels: 5 as never }), /one of 1, 2, 3, 4 for source\.channels/);
    rejects(() => openImage({ data: [1, 2] as never, width: 1, height: 1, channels: 2 }), /Uint8Array/);
    rejects(() => openImage(Buffer.alloc(0)), /non-empty image bytes/);
  });

  test('unreadable files and bytes reject when the image is used', async () => {
    await rejectsAsync(openImage('/nonexistent/cat.png').toRaw(), /Cannot read image file "\/nonexistent\/cat\.png"/);
    await rejectsAsync(edit.hflip(Buffer.from('not an image')).toBuffer(), /Cannot decode image/, /PNG, JPEG or WebP/);
  });
});

describe('bad numbers: NaN, Infinity, wrong types and out-of-range values', () => {
  const cases: [string, () => unknown, RegExp[]][] = [
    ['rotate angle NaN', () => edit.rotate(img, NaN), [/finite number with \|x\| <= 3\.4e38 \(float32\) for angle/, /NaN/]],
    ['rotate angle Infinity', () => edit.rotate(img, Infinity), [/finite number with \|x\| <= 3\.4e38 \(float32\) for angle/, /Infinity/]],
    ['rotate angle string', () => edit.rotate(img, '30' as never), [/finite number with \|x\| <= 3\.4e38 \(float32\) for angle/, /"30" of type string/]],
    ['rotate interpolation', () => edit.rotate(img, 30, { interpolation: 'bicubic' as never }), [/one of 'nearest', 'bilinear' for options\.interpolation/]],
    ['rotate expand', () => edit.rotate(img, 30, { expand: 1 as never }), [/boolean for options\.expand/]],
    ['rotate center', () => edit.rotate(img, 30, { center: [1] }), [/array of 2 finite numbers \[x, y\] for options\.center/]],
    ['rotate center NaN', () => edit.rotate(img, 30, { center: [1, NaN] }), [/finite number with \|x\| <= 3\.4e38 \(float32\) for options\.center\[1\] \(y\)/]],
    ['rotate fill NaN', () => edit.rotate(img, 30, { fill: NaN }), [/options\.fill/]],
    ['rotate fill too long', () => edit.rotate(img, 30, { fill: [1, 2, 3, 4, 5] }), [/array of 1 to 4 finite numbers/]],
    ['unknown option (typo)', () => edit.rotate(img, 30, { exapnd: true } as never), [/options key/, /"exapnd"/, /'expand'/]],
    ['options not an object', () => edit.resize(img, 4, 'bilinear' as never), [/plain object of options for options/]],
    ['crop negative height', () => edit.crop(img, 0, 0, -1, 4), [/positive integer for height/, /-1/]],
    ['crop zero width', () => edit.crop(img, 0, 0, 4, 0), [/positive integer for width/]],
    ['crop fractional top', () => edit.crop(img, 0.5, 0, 4, 4), [/integer for top/]],
    ['crop padOutside', () => edit.crop(img, 0, 0, 4, 4, { padOutside: 'yes' as never }), [/boolean for options\.padOutside/]],
    ['centerCrop size', () => edit.centerCrop(img, [4, 0]), [/positive integer for size\[1\] \(width\)/]],
    ['centerCrop size shape', () => edit.centerCrop(img, [1, 2, 3]), [/positive integer or \[height, width\]/]],
    ['pad fractional', () => edit.pad(img, -1.5), [/integer for padding but received -1.5/]],
    ['pad cropping everything', () => edit.pad(img, [-8, 0]), [/negative padding that leaves at least one row and column/]],
    ['pad 3 values', () => edit.pad(img, [1, 2, 3]), [/\[left, top, right, bottom\]/]],
    ['pad mode', () => edit.pad(img, 1, { mode: 'wrap' as never }), [/one of 'constant', 'edge', 'reflect', 'symmetric' for options\.mode/]],
    ['resize size 0', () => edit.resize(img, 0), [/positive integer for size/]],
    ['resize size NaN', () => edit.resize(img, [NaN, 3]), [/positive integer for size\[0\] \(height\)/]],
    ['resize interpolation', () => edit.resize(img, 4, { interpolation: 'lanczos' as never }), [/one of 'nearest', 'nearest-exact', 'bilinear', 'bicubic'/]],
    ['resize antialias', () => edit.resize(img, 4, { antialias: 'true' as never }), [/boolean for options\.antialias/]],
    ['resize maxSize with [h, w]', () => edit.resize(img, [4, 4], { maxSize: 10 }), [/maxSize only with an integer size/]],
    ['resize maxSize <= size', () => edit.resize(img, 8, { maxSize: 8 }), [/options\.maxSize greater than size \(8\)/]],
    ['resizedCrop size', () => edit.resizedCrop(img, 0, 0, 4, 4, -2), [/positive integer for size/]],
    ['affine scale 0', () => edit.affine(img, { scale: 0 }), [/number in \[1\.4e-45, 3\.4e38\] \(> 0 in float32\) for options\.scale/]],
    ['affine translate', () => edit.affine(img, { translate: [1, Infinity] }), [/finite number with \|x\| <= 3\.4e38 \(float32\) for options\.translate\[1\]/]],
    ['affine shear', () => edit.affine(img, { shear: [1, 2, 3] }), [/options\.shear/]],
    ['perspective points', () => edit.perspective(img, [[0, 0], [1, 0], [1, 1]], [[0, 0], [1, 0], [1, 1], [0, 1]]), [/array of 4 points \[x, y\].*for startpoints/]],
    ['perspective point NaN', () => edit.perspective(img, [[0, 0], [9, 0], [9, 7], [0, 7]], [[0, 0], [9, 0], [9, NaN], [0, 7]]), [/finite number with \|x\| <= 3\.4e38 \(float32\) for endpoints\[2\]\[1\] \(y\)/]],
    ['perspective degenerate', () => edit.perspective(img, [[0, 0], [9, 0], [9, 7], [0, 7]], [[0, 0], [1, 1], [2, 2], [3, 3]]), [/general position/]],
    ['brightness negative', () => edit.adjustBrightness(img, -0.1), [/finite number in \[0, 3\.4e38\] \(float32\) for brightnessFactor/, /-0\.1/]],
    ['contrast NaN', () => edit.adjustContrast(img, NaN), [/finite number in \[0, 3\.4e38\] \(float32\) for contrastFactor/]],
    ['saturation Infinity', () => edit.adjustSaturation(img, Infinity), [/finite number in \[0, 3\.4e38\] \(float32\) for saturationFactor/]],
    ['hue 0.7', () => edit.adjustHue(img, 0.7), [/number in \[-0\.5, 0\.5\] for hueFactor/, /0\.7/]],
    ['hue -0.51', () => edit.adjustHue(img, -0.51), [/number in \[-0\.5, 0\.5\] for hueFactor/]],
    ['gamma negative', () => edit.adjustGamma(img, -1), [/finite number in \[0, 3\.4e38\] \(float32\) for gamma/]],
    ['gamma gain NaN', () => edit.adjustGamma(img, 1, NaN), [/finite number with \|x\| <= 3\.4e38 \(float32\) for gain/]],
    ['sharpness negative', () => edit.adjustSharpness(img, -2), [/finite number in \[0, 3\.4e38\] \(float32\) for sharpnessFactor/]],
    ['grayscale channels', () => edit.rgbToGrayscale(img, 2 as never), [/one of 1, 3 for numOutputChannels/]],
    ['posterize bits 9', () => edit.posterize(img, 9), [/integer in \[0, 8\] for bits/]],
    ['posterize bits 2.5', () => edit.posterize(img, 2.5), [/integer in \[0, 8\] for bits/]],
    ['solarize NaN', () => edit.solarize(img, NaN), [/finite number with \|x\| <= 3\.4e38 \(float32\) for threshold/]],
    ['blur even kernel', () => edit.gaussianBlur(img, 4), [/odd positive integer for kernelSize/, /4/]],
    ['blur kernel pair', () => edit.gaussianBlur(img, [3, 0]), [/odd positive integer for kernelSize\[1\] \(y\)/]],
    ['blur sigma 0', () => edit.gaussianBlur(img, 3, 0), [/number in \[1\.4e-45, 3\.4e38\] \(> 0 in float32\) for sigma/]],
    ['blur sigma pair', () => edit.gaussianBlur(img, 3, [1, -1]), [/number in \[1\.4e-45, 3\.4e38\] \(> 0 in float32\) for sigma\[1\] \(y\)/]],
  ];
  for (const [name, fn, patterns] of cases) {
    test(name, () => {
      const before = tf.memory().numTensors;
      rejects(fn, ...patterns);
      assert.equal(tf.memory().numTensors, before, 'no tensor leaked on error');
    });
  }

  test('parameters are validated at the call for EditImages too (before any pixel work)', async () => {
    const image = openImage(rawImage('astronaut'));
    rejects(() => image.rotate(NaN), /finite number with \|x\| <= 3\.4e38 \(float32\) for angle/);
    rejects(() => edit.adjustHue(image, 1), /hueFactor/);
    rejects(() => image.crop(0, 0, 0, 1), /positive integer for height/);
    rejects(() => image.gaussianBlur(2), /odd positive integer for kernelSize/);
    await rejectsAsync(image.toBuffer({ format: 'gif' as never }), /one of 'png', 'jpeg', 'webp' \('jpg' is accepted too\) for options\.format/);
    await rejectsAsync(image.toFile('out.bmp'), /file name ending in \.png, \.jpg, \.jpeg or \.webp for path/);
  });
});

describe('parameters that depend on the image', () => {
  test('a crop outside the image is an error unless padOutside (tensor: at the call; image: when used)', async () => {
    rejects(() => edit.crop(img, 4, 4, 8, 4), /crop box inside the 8x10 \(HxW\) image/, /top 4, left 4, height 8, width 4/, /padOutside/);
    rejects(() => edit.crop(img, -1, 0, 2, 2), /crop box inside/);
    rejects(() => edit.resizedCrop(img, 0, 8, 4, 4, 2), /crop box inside/);
    const ok = edit.crop(img, -1, 0, 2, 2, { padOutside: true });
    assert.deepEqual(ok.shape, [2, 2, 3]);
    ok.dispose();
    await rejectsAsync(edit.crop(openImage(rawImage('astronaut')), 20, 0, 10, 10).toRaw(), /crop box inside the 24x32 \(HxW\) image/);
  });

  test('fill with the wrong number of channels or out of the 8-bit range', async () => {
    rejects(() => edit.rotate(img, 10, { fill: [1, 0] }), /one fill value or 3 \(one per channel\) for fill/, /2 values/);
    const u8 = tf.zeros([4, 4, 3], 'int32');
    rejects(() => edit.rotate(u8, 10, { fill: 300 }), /number in \[0, 255\]/);
    rejects(() => edit.pad(u8, 1, { fill: -1 }), /number in \[0, 255\]/);
    u8.dispose();
    await rejectsAsync(edit.rotate(openImage(rawImage('astronaut')), 10, { fill: [0, 0] }).toRaw(), /one fill value or 3/);
  });

  test('solarize threshold beyond the range of the pixels', () => {
    rejects(() => edit.solarize(img, 2), /number in \[0, 1\] for float images for threshold/);
    const u8 = tf.zeros([4, 4, 3], 'int32');
    rejects(() => edit.solarize(u8, 256), /number in \[0, 255\]/);
    u8.dispose();
  });

  test('padding and blur kernels too large for reflect padding; crops larger than the image', () => {
    rejects(() => edit.pad(img, 8, { mode: 'reflect' }), /reflect padding of at most the image size - 1/);
    rejects(() => edit.pad(img, 11, { mode: 'symmetric' }), /symmetric padding/);
    rejects(() => edit.gaussianBlur(img, 17), /kernelSize of at most 19 \(x\) and 15 \(y\)/);
    rejects(() => edit.randomCrop(9)(img), /crop size no larger than the 8x10/, /padIfNeeded/);
  });
});

describe('inputs are never mutated', () => {
  test('tensor inputs keep their values, raw pixels are copied when opened', async () => {
    const copy = await img.data();
    const out = [edit.rotate(img, 30), edit.adjustHue(img, 0.3), edit.equalize(img), edit.crop(img, 1, 1, 3, 3)];
    tf.dispose(out);
    assert.deepEqual(await img.data(), copy);
    const raw = rawImage('coffee');
    const before = new Uint8Array(raw.data);
    const edited = openImage(raw).invert();
    raw.data.fill(0); // changing the caller's buffer after opening does not change the image
    const r = await edited.toRaw();
    assert.equal(r.data[0], 255 - before[0]!);
    r.data.fill(7); // nor does changing what toRaw returned
    assert.equal((await edited.toRaw()).data[0], 255 - before[0]!);
  });
});
