import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import { imagesBundle, imageGrid, composeGrid, IMAGES_MIME, JUPYTER_DISPLAY, type ImagesPayload } from '../../src/display/index.js';
import { GankitError } from '../../src/util/errors.js';
import { noLeak, png } from './helpers.js';

before(async () => { await initBackend(); });

const payload = (b: Record<string, unknown>): ImagesPayload => b[IMAGES_MIME] as ImagesPayload;

test('an NHWC batch becomes one PNG per image plus a make_grid PNG', async () => {
  const x = tf.randomUniform([10, 12, 16, 1]);
  const b = await noLeak(() => imagesBundle(x, { nrow: 4, padding: 3, padValue: 1, title: 'fakes', captions: ['a', 'b'] }));
  assert.deepEqual(Object.keys(b).sort(), [IMAGES_MIME, 'image/png', 'text/plain'].sort());
  const p = payload(b);
  assert.equal(p.version, 1);
  assert.equal(p.images.length, 10);
  assert.equal(p.total, 10);
  assert.deepEqual([p.nrow, p.padding, p.padValue, p.title], [4, 3, 1, 'fakes']);
  assert.equal(p.images[1]!.caption, 'b');
  assert.equal(p.images[2]!.caption, undefined);
  const first = await png(p.images[0]!.png);
  assert.deepEqual([first.width, first.height, first.channels], [16, 12, 1]);
  assert.deepEqual([p.images[0]!.width, p.images[0]!.height], [16, 12]);
  // Pixel values: torchvision save_image rounding of [0,1] floats.
  const expected = Array.from(x.slice([0, 0, 0, 0], [1, 1, 3, 1]).dataSync(), (v) => Math.min(255, Math.floor(v * 255 + 0.5)));
  assert.deepEqual([...first.data.subarray(0, 3)], expected);
  // Grid: 4 columns x 3 rows of 16x12 cells with 3 px padding, enlarged by an integer factor.
  const grid = await png(b['image/png']);
  const W = 4 * (16 + 3) + 3;
  const H = 3 * (12 + 3) + 3;
  const f = grid.width / W;
  assert.ok(Number.isInteger(f) && f >= 1 && grid.height === H * f, `${grid.width}x${grid.height}`);
  assert.equal(grid.data[0], 255, 'padValue 1 is white');
  assert.match(b['text/plain'], /fakes\nImages: 10 images \(16x12\), nrow 4/);
  x.dispose();
});

test('ranges: -1-1 maps tanh outputs, auto detects, uint8 passes bytes', async () => {
  const t = tf.tensor4d([-1, 0, 1, 0.5], [1, 2, 2, 1]);
  const a = await png(payload(await imagesBundle(t, { range: '-1-1' })).images[0]!.png);
  assert.deepEqual([...a.data], [0, 128, 255, 191]);
  const auto = await png(payload(await imagesBundle(t)).images[0]!.png);
  assert.deepEqual([...auto.data], [...a.data], "auto picks '-1-1' for values in [-1, 1]");
  const bytes = tf.tensor3d([0, 10, 200, 255], [2, 2, 1], 'int32');
  assert.deepEqual([...(await png(payload(await imagesBundle(bytes)).images[0]!.png)).data], [0, 10, 200, 255]);
  const custom = await png(payload(await imagesBundle(tf.tensor2d([[0, 50], [100, 200]]), { range: [0, 100] })).images[0]!.png);
  assert.deepEqual([...custom.data], [0, 128, 255, 255]);
  t.dispose(); bytes.dispose();
});

test('inputs: NCHW, HWC, tensor arrays, encoded PNG bytes and raw pixels', async () => {
  const nchw = tf.zeros([2, 3, 8, 10]);
  const p1 = payload(await noLeak(() => imagesBundle(nchw)));
  assert.deepEqual([p1.images.length, p1.images[0]!.width, p1.images[0]!.height], [2, 10, 8]);
  assert.equal((await png(p1.images[0]!.png)).channels, 3);
  const hwc = tf.ones([5, 6, 4]);
  assert.equal((await png(payload(await imagesBundle(hwc)).images[0]!.png)).channels, 4);
  const arr = [tf.zeros([4, 4, 3]), tf.ones([4, 4, 3])];
  assert.equal(payload(await noLeak(() => imagesBundle(arr))).images.length, 2);
  const encoded = await sharp({ create: { width: 7, height: 5, channels: 3, background: '#ff0000' } }).png().toBuffer();
  const raw = { data: new Uint8Array(3 * 2 * 1).fill(9), width: 3, height: 2, channels: 1 };
  const mixed = payload(await imagesBundle([encoded, raw, tf.zeros([2, 2, 1])]));
  assert.deepEqual(mixed.images.map((i) => [i.width, i.height]), [[7, 5], [3, 2], [2, 2]]);
  assert.deepEqual([...(await png(mixed.images[0]!.png)).data.subarray(0, 3)], [255, 0, 0]);
  [nchw, hwc, ...arr].forEach((t) => t.dispose());
});

test('bounds: at most 256 images, a byte cap, and a size cap per image', async () => {
  const many = tf.randomUniform([300, 8, 8, 1]);
  const p = payload(await noLeak(() => imagesBundle(many)));
  assert.equal(p.images.length, 256);
  assert.equal(p.total, 300);
  const capped = payload(await imagesBundle(many, { maxBytes: 2000 }));
  assert.ok(capped.images.length >= 1 && capped.images.length < 20, `${capped.images.length} images under 2000 bytes`);
  assert.equal(capped.total, 300);
  assert.ok(capped.images.reduce((n, i) => n + i.png.length, 0) <= 2000 || capped.images.length === 1);
  const big = tf.zeros([1, 1200, 900, 3]);
  const pb = payload(await imagesBundle(big, { maxImageSize: 256 }));
  assert.ok(pb.images[0]!.width <= 256 && pb.images[0]!.height <= 256);
  // Encoded bytes are shrunk to the cap while decoding, aspect kept; grey+alpha stays grey+alpha.
  const photo = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#808080' } }).png().toBuffer();
  const greyAlpha = await sharp(Buffer.alloc(600 * 300 * 2, 200), { raw: { width: 600, height: 300, channels: 2 } }).png().toBuffer();
  const pe = payload(await imagesBundle([photo, greyAlpha], { maxImageSize: 256 }));
  assert.deepEqual(pe.images.map((i) => [i.width, i.height]), [[256, 192], [256, 128]]);
  const grid = await png((await imagesBundle(tf.zeros([64, 300, 300, 1]), { nrow: 8 }))['image/png']);
  assert.ok(grid.width <= 2048 && grid.height <= 2048, 'the grid PNG is capped at 2048 px');
  many.dispose(); big.dispose();
});

test('composeGrid follows make_grid: xmaps = min(nrow, n), border padding, padValue', () => {
  const r = (v: number) => ({ data: new Uint8Array(4).fill(v), width: 2, height: 2, channels: 1 as const });
  const g = composeGrid([r(10), r(20), r(30)], 2, 1, 0);
  assert.deepEqual([g.width, g.height, g.channels], [2 * 3 + 1, 2 * 3 + 1, 1]);
  assert.equal(g.data[1 * 7 + 1], 10);
  assert.equal(g.data[1 * 7 + 4], 20);
  assert.equal(g.data[4 * 7 + 1], 30);
  assert.equal(g.data[4 * 7 + 4], 0, 'empty cell keeps the pad value');
});

test('imageGrid objects display themselves; bad input throws GankitError', async () => {
  const x = tf.zeros([2, 4, 4, 3]);
  const g = imageGrid(x, { nrow: 1 });
  const b = await g[JUPYTER_DISPLAY]();
  assert.equal(payload(b).nrow, 1);
  assert.throws(() => imageGrid(x, { nrow: 0 }), GankitError);
  assert.throws(() => imagesBundle([]), GankitError);
  assert.throws(() => imagesBundle(tf.zeros([2, 5, 5, 7, 1])), /image tensor/);
  assert.throws(() => imagesBundle(x, { range: 'x' as never }), GankitError);
  assert.throws(() => imagesBundle([{ data: new Uint8Array(3), width: 2, height: 2, channels: 3 }]), /raw pixels/);
  await assert.rejects(imagesBundle([new Uint8Array([1, 2, 3])]), /Cannot decode image from 3-byte buffer/);
  x.dispose();
});
