import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { initBackend } from '../../src/backend/select.js';
import { loadImageFolder, imageAt, batches, disposeBatch } from '../../src/data/index.js';
import { decodeImage } from '../../src/image/index.js';
import { GankitError } from '../../src/util/errors.js';
import { tempDir, encodePng } from './helpers.js';

const tmp = tempDir();
const photos = fileURLToPath(new URL('../fixtures/photos/', import.meta.url));
before(async () => { await initBackend(); });
after(() => tmp.cleanup());

/** A solid w x h RGB PNG. */
function solid(w: number, h: number, rgb: [number, number, number]): Buffer {
  const px = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) px.set(rgb, i * 3);
  return encodePng(w, h, 3, px);
}

/** A 30x10 RGB PNG with three vertical 10-pixel bands: red, green, blue. */
function bands(): Buffer {
  const px = new Uint8Array(30 * 10 * 3);
  for (let y = 0; y < 10; y++) for (let x = 0; x < 30; x++) px[(y * 30 + x) * 3 + Math.floor(x / 10)] = 255;
  return encodePng(30, 10, 3, px);
}

function write(path: string, bytes: Uint8Array | string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, bytes);
  return path;
}

/** The RGB value of pixel (y, x) of image i. */
function pixel(ds: Awaited<ReturnType<typeof loadImageFolder>>, i: number, y: number, x: number): number[] {
  const [, w, c] = ds.imageShape;
  const img = imageAt(ds, i);
  return [...img.subarray((y * w + x) * c, (y * w + x + 1) * c)];
}

test('the committed photos load as an unlabelled RGB dataset identical to decodeImage', async () => {
  const ds = await loadImageFolder(photos);
  assert.equal(ds.name, 'photos');
  assert.equal(ds.size, 3);
  assert.deepEqual(ds.imageShape, [24, 32, 3]);
  assert.equal(ds.labels, undefined);
  assert.deepEqual(ds.files!.map((f) => f.slice(photos.length)), ['astronaut.png', 'chelsea.png', 'coffee.png']);
  for (let i = 0; i < 3; i++) {
    const t = await decodeImage(ds.files![i]!, { range: 'uint8', channels: 3 });
    assert.deepEqual([...imageAt(ds, i)], [...t.dataSync()]);
    t.dispose();
  }
  const small = await loadImageFolder(photos, { size: 16, channels: 1, name: 'grey photos' });
  assert.deepEqual(small.imageShape, [16, 16, 1]);
  assert.equal(small.name, 'grey photos');
  const rect = await loadImageFolder(photos, { size: [8, 12], limit: 2 });
  assert.deepEqual(rect.imageShape, [8, 12, 3]);
  assert.equal(rect.size, 2);
});

test('sub-folders are classes, sorted by name, searched recursively; hidden entries are skipped', async () => {
  const root = join(tmp.dir, 'classes');
  write(join(root, 'dog', 'b.png'), solid(8, 8, [0, 0, 200]));
  write(join(root, 'dog', 'nested', 'a.png'), solid(8, 8, [0, 0, 100]));
  write(join(root, 'cat', 'z.jpg'), await sharp(solid(8, 8, [200, 0, 0])).jpeg({ quality: 100 }).toBuffer());
  write(join(root, 'cat', 'a.PNG'), solid(8, 8, [100, 0, 0]));
  write(join(root, 'cat', 'notes.txt'), 'not an image');
  write(join(root, '.cache', 'x.png'), 'ignored');
  write(join(root, 'cat', '.thumb.png'), 'ignored');
  write(join(root, 'README.md'), 'not an image either');
  const ds = await loadImageFolder(root);
  assert.deepEqual(ds.classNames, ['cat', 'dog']);
  assert.equal(ds.numClasses, 2);
  assert.deepEqual([...ds.labels!], [0, 0, 1, 1]);
  assert.deepEqual(ds.files!.map((f) => f.slice(root.length + 1)), ['cat/a.PNG', 'cat/z.jpg', 'dog/b.png', 'dog/nested/a.png']);
  assert.deepEqual(pixel(ds, 0, 4, 4), [100, 0, 0]);
  assert.ok(Math.abs(pixel(ds, 1, 4, 4)[0]! - 200) <= 2, 'JPEG decoded');
  assert.deepEqual(pixel(ds, 3, 0, 0), [0, 0, 100]);
  // Batches carry the folder labels.
  const b = batches(ds, { batchSize: 4, shuffle: false })[Symbol.iterator]().next().value!;
  assert.deepEqual(b.labels!.arraySync(), [0, 0, 1, 1]);
  assert.deepEqual(b.images.shape, [4, 8, 8, 3]);
  disposeBatch(b);
  // The same folder without labels, and with only .png files.
  const none = await loadImageFolder(root, { classes: 'none', recursive: true, extensions: ['png'] });
  assert.equal(none.labels, undefined);
  assert.deepEqual(none.files!.map((f) => f.slice(root.length + 1)), ['cat/a.PNG', 'dog/b.png', 'dog/nested/a.png']);
});

test("fit 'cover' crops the centre (Resize + CenterCrop), 'fill' stretches, 'contain' pads with background", async () => {
  const root = join(tmp.dir, 'fit');
  write(join(root, 'bands.png'), bands());
  const cover = await loadImageFolder(root, { size: 10 });
  assert.deepEqual(cover.imageShape, [10, 10, 3]);
  for (const [y, x] of [[0, 0], [5, 5], [9, 9]] as const) assert.deepEqual(pixel(cover, 0, y, x), [0, 255, 0], 'only the green middle band is left');
  const fill = await loadImageFolder(root, { size: 9, fit: 'fill' });
  assert.deepEqual(pixel(fill, 0, 4, 0).map((v) => v > 200), [true, false, false]);
  assert.deepEqual(pixel(fill, 0, 4, 4).map((v) => v > 200), [false, true, false]);
  assert.deepEqual(pixel(fill, 0, 4, 8).map((v) => v > 200), [false, false, true]);
  const contain = await loadImageFolder(root, { size: 30, fit: 'contain' });
  assert.deepEqual(contain.imageShape, [30, 30, 3]);
  assert.deepEqual(pixel(contain, 0, 0, 15), [0, 0, 0], 'black padding above');
  assert.deepEqual(pixel(contain, 0, 29, 15), [0, 0, 0], 'black padding below');
  assert.deepEqual(pixel(contain, 0, 15, 15), [0, 255, 0]);
  assert.deepEqual(pixel(contain, 0, 15, 2), [255, 0, 0]);
  const white = await loadImageFolder(root, { size: 30, fit: 'contain', background: 255 });
  assert.deepEqual(pixel(white, 0, 0, 15), [255, 255, 255]);
  const tall = await loadImageFolder(root, { size: [10, 20] });
  assert.deepEqual(tall.imageShape, [10, 20, 3]);
  assert.deepEqual(pixel(tall, 0, 5, 0).map((v) => v > 100), [true, false, false], 'cover to 10x20 keeps the centre 20 columns');
  assert.deepEqual(pixel(tall, 0, 5, 10), [0, 255, 0]);
});

test('grey, 16-bit, grey+alpha and RGBA files convert to RGB or grey predictably', async () => {
  const root = join(tmp.dir, 'kinds');
  write(join(root, 'a-grey.png'), encodePng(2, 2, 1, [0, 50, 128, 255]));
  write(join(root, 'b-grey16.png'), encodePng(2, 2, 1, [0, 65535, 30000, 1000], 16));
  write(join(root, 'c-greyalpha.png'), encodePng(2, 2, 2, [10, 0, 20, 255, 30, 128, 40, 255]));
  write(join(root, 'd-rgba.png'), encodePng(2, 2, 4, [200, 100, 50, 128, 200, 100, 50, 128, 200, 100, 50, 128, 200, 100, 50, 128]));
  write(join(root, 'e-rgb.png'), encodePng(2, 2, 3, [100, 150, 200, 100, 150, 200, 100, 150, 200, 100, 150, 200]));
  const rgb = await loadImageFolder(root);
  assert.deepEqual(rgb.imageShape, [2, 2, 3]);
  assert.deepEqual([...imageAt(rgb, 0)], [0, 0, 0, 50, 50, 50, 128, 128, 128, 255, 255, 255], 'grey repeats into RGB');
  const g16 = [...imageAt(rgb, 1)].filter((_, i) => i % 3 === 0);
  assert.deepEqual(g16.slice(0, 2), [0, 255]);
  assert.ok(Math.abs(g16[2]! - 30000 / 257) <= 1 && Math.abs(g16[3]! - 1000 / 257) <= 1, `16-bit scaled to 8-bit: ${g16}`);
  assert.deepEqual([...imageAt(rgb, 2)].filter((_, i) => i % 3 === 0), [10, 20, 30, 40], 'grey+alpha: alpha dropped');
  assert.deepEqual(pixel(rgb, 3, 0, 0), [200, 100, 50], 'RGBA: alpha dropped like PIL convert("RGB")');
  const flat = await loadImageFolder(root, { background: [255, 255, 255] });
  const a = 128 / 255;
  pixel(flat, 3, 1, 1).forEach((v, i) => assert.ok(Math.abs(v - ([200, 100, 50][i]! * a + 255 * (1 - a))) <= 1.5, `flattened onto white: ${v}`));
  assert.deepEqual(pixel(flat, 2, 0, 0), [255, 255, 255], 'transparent grey pixel becomes the background');
  const grey = await loadImageFolder(root, { channels: 1 });
  assert.deepEqual(grey.imageShape, [2, 2, 1]);
  assert.deepEqual([...imageAt(grey, 0)], [0, 50, 128, 255], 'grey files stay exact');
  assert.equal(imageAt(grey, 4)[0], Math.round(0.2989 * 100 + 0.587 * 150 + 0.114 * 200), 'RGB -> grey uses the torchvision weights');
});

test('missing, empty and unreadable folders and files give errors that name them', async () => {
  await assert.rejects(loadImageFolder(join(tmp.dir, 'nowhere')), /Image folder ".*nowhere" does not exist/);
  const file = write(join(tmp.dir, 'plain.txt'), 'x');
  await assert.rejects(loadImageFolder(file), /Image folder ".*plain\.txt" is not a directory/);
  const empty = join(tmp.dir, 'empty');
  mkdirSync(empty);
  await assert.rejects(loadImageFolder(empty), (e: Error) => e instanceof GankitError && /Image folder ".*empty" has no images \(looked for \.png, \.jpg/.test(e.message));
  write(join(empty, 'nested', 'deep', 'x.png'), solid(4, 4, [1, 2, 3]));
  await assert.rejects(loadImageFolder(empty, { classes: 'none' }), /has no images .*pass recursive: true/);
  assert.equal((await loadImageFolder(empty, { classes: 'none', recursive: true })).size, 1);
  await assert.rejects(loadImageFolder(photos, { classes: 'folders' }), /has no class sub-folders/);
  const emptyClass = join(tmp.dir, 'emptyclass');
  write(join(emptyClass, 'a', 'x.png'), solid(4, 4, [1, 2, 3]));
  mkdirSync(join(emptyClass, 'b'));
  await assert.rejects(loadImageFolder(emptyClass), /Class folder ".*emptyclass\/b" has no images/);
  const bad = join(tmp.dir, 'bad');
  write(join(bad, 'good.png'), solid(4, 4, [1, 2, 3]));
  write(join(bad, 'broken.png'), 'this is not a PNG');
  await assert.rejects(loadImageFolder(bad, { size: 4 }), (e: Error) =>
    e instanceof GankitError && /Cannot read image ".*bad\/broken\.png": /.test(e.message));
  const truncated = join(tmp.dir, 'truncated');
  const png = solid(16, 16, [9, 9, 9]);
  write(join(truncated, 'cut.png'), png.subarray(0, png.length - 30));
  await assert.rejects(loadImageFolder(truncated), /Cannot read image ".*truncated\/cut\.png"/);
  const mixed = join(tmp.dir, 'mixed');
  write(join(mixed, 'a.png'), solid(4, 4, [1, 2, 3]));
  write(join(mixed, 'b.png'), solid(5, 4, [1, 2, 3]));
  await assert.rejects(loadImageFolder(mixed), /Image ".*b\.png" is 5x4 pixels but ".*a\.png" is 4x4; pass the size option/);
  assert.deepEqual((await loadImageFolder(mixed, { size: 4 })).imageShape, [4, 4, 3]);
});

test('loadImageFolder validates options, naming the parameter and its valid range', async () => {
  await assert.rejects(loadImageFolder(photos, { size: 0 }), /Expected integer in \[1, 16384\] or \[height, width\] of such integers for size but received 0/);
  await assert.rejects(loadImageFolder(photos, { size: [4] as never }), /for size but received \[4\] of type array/);
  await assert.rejects(loadImageFolder(photos, { channels: 4 as never }), /Expected one of 1, 3 for channels but received 4/);
  await assert.rejects(loadImageFolder(photos, { fit: 'crop' as never }), /Expected one of 'cover', 'contain', 'fill' for fit but received "crop"/);
  await assert.rejects(loadImageFolder(photos, { background: 300 }), /Expected number in \[0, 255\] or \[r, g, b\] of such numbers for background/);
  await assert.rejects(loadImageFolder(photos, { classes: 'yes' as never }), /for classes/);
  await assert.rejects(loadImageFolder(photos, { extensions: [] }), /for extensions/);
  await assert.rejects(loadImageFolder(photos, { limit: -1 }), /Expected positive integer for limit/);
  await assert.rejects(loadImageFolder(photos, { resize: 3 } as never), /Expected one of 'size', .* for loadImageFolder options key but received "resize"/);
  await assert.rejects(loadImageFolder('' as string), /Expected a non-empty directory path for dir/);
});
