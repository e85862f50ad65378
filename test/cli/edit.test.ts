/** `gankit edit` (runEditCli): files and folders, edits in command-line order, exit codes and messages. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { initBackend } from '../../src/backend/select.js';
import { runEditCli } from '../../src/cli/edit.js';
import { openImage } from '../../src/edit/index.js';
import { photoDir, tempDir } from '../edit/helpers.js';

const tmp = tempDir('gankit-edit-cli-');
after(() => tmp.cleanup());
before(async () => {
  await initBackend();
});

/** Run the CLI capturing stdout and stderr. */
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runEditCli(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

const astronaut = join(photoDir, 'astronaut.png');

describe('gankit edit', () => {
  test('one file: edits applied in the order written, same pixels as the API', async () => {
    const out = join(tmp.dir, 'one.png');
    const r = await run(astronaut, out, '--crop', '2,3,20,24', '--rotate', '30,expand,interpolation=bilinear,fill=255:0:0', '--hflip', '--saturation=1.5');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /astronaut\.png -> .*one\.png \(\d+x\d+\)/);
    const expected = await openImage(astronaut).crop(2, 3, 20, 24).rotate(30, { expand: true, interpolation: 'bilinear', fill: [255, 0, 0] }).hflip().adjustSaturation(1.5).toRaw();
    assert.deepEqual(await openImage(out).toRaw(), expected);
  });

  test('every edit flag parses', async () => {
    const out = join(tmp.dir, 'all.webp');
    const r = await run(
      astronaut, out, '--resize', '48,64,interpolation=bicubic,antialias=false', '--center-crop', '40', '--pad', '1,2,mode=reflect',
      '--affine', 'angle=10,translate=1:2,scale=0.9,shear=5:1,interpolation=bilinear,fill=9', '--perspective', '0:0,39:0,39:43,0:43>2:1,38:0,39:40,1:43',
      '--vflip', '--brightness', '1.1', '--contrast', '0.9', '--hue', '-0.1', '--gamma', '0.8,1.05', '--sharpness', '2', '--posterize', '6',
      '--solarize', '240', '--autocontrast', '--equalize', '--blur', '3,0.8', '--erase', '1,2,3,4,value=9:8:7', '--elastic', 'seed=3,alpha=20:10,sigma=2',
      '--invert', '--grayscale', '--resize', '20,max-size=30', '--quality', '70',
    );
    assert.equal(r.code, 0, r.err);
    const meta = await sharp(out).metadata();
    assert.equal(meta.format, 'webp');
    assert.equal(meta.height, 20);
  });

  test('the v2 flags: negative padding, nearest-exact, erase and a seeded elastic transform, same pixels as the API', async () => {
    const out = join(tmp.dir, 'v2.png');
    const r = await run(astronaut, out, '--pad', '-2,3,1,-4,mode=edge', '--resize', '30,40,interpolation=nearest-exact', '--erase', '5,6,7,8,value=1:2:3', '--elastic', 'seed=7,alpha=9,sigma=2:1,fill=255');
    assert.equal(r.code, 0, r.err);
    const expected = await openImage(astronaut).pad([-2, 3, 1, -4], { mode: 'edge' }).resize([30, 40], { interpolation: 'nearest-exact' })
      .erase(5, 6, 7, 8, [1, 2, 3]).elasticTransform({ seed: '7', alpha: 9, sigma: [2, 1], fill: 255 }).toRaw();
    assert.deepEqual(await openImage(out).toRaw(), expected);
    const bad = await run(astronaut, 'o.png', '--elastic', 'seed=1,sigma=-1');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /finite number in \[0, 3\.4e38\] \(float32\) for options\.sigma\[0\] but received -1/);
  });

  test('a folder: every image, into a new folder, with another format', async () => {
    const src = join(tmp.dir, 'in');
    await mkdir(src);
    for (const name of ['astronaut', 'coffee', 'chelsea']) await copyFile(join(photoDir, `${name}.png`), join(src, `${name}.png`));
    await writeFile(join(src, 'notes.txt'), 'not an image');
    const dst = join(tmp.dir, 'out');
    const r = await run(src, dst, '--resize', '12', '--format', 'jpg', '--quality', '90');
    assert.equal(r.code, 0, r.err);
    assert.deepEqual((await readdir(dst)).sort(), ['astronaut.jpg', 'chelsea.jpg', 'coffee.jpg']);
    assert.equal((await sharp(join(dst, 'coffee.jpg')).metadata()).height, 12);
  });

  test('usage errors exit 2 with a clear message, before reading any file', async () => {
    const cases: [string[], RegExp][] = [
      [[astronaut], /Expected IN and OUT but received 1 path/],
      [[astronaut, 'o.png', '--twirl', '3'], /Expected one of .*'--crop'.* for gankit edit flag \(see --help\) but received "--twirl" of type string/],
      [[astronaut, 'o.png', '--rotate'], /Option '--rotate <value>' argument missing/],
      [[astronaut, 'o.png', '--rotate', 'abc'], /Expected number for --rotate but received "abc"/],
      [[astronaut, 'o.png', '--rotate', '30,spin'], /1 comma-separated value, then options among expand, interpolation, center, fill for --rotate but received "30,spin"/],
      [[astronaut, 'o.png', '--rotate', '30,spin=2'], /Expected one of 'expand', 'interpolation', 'center', 'fill' for --rotate option but received "spin"/],
      [[astronaut, 'o.png', '--crop', '1,2,3'], /4 comma-separated values, then options among pad-outside for --crop but received "1,2,3"/],
      [[astronaut, 'o.png', '--hue', '0.9'], /number in \[-0\.5, 0\.5\] for hueFactor/],
      [['/nonexistent.png', 'o.png', '--blur', '4'], /odd positive integer for kernelSize/],
      [[astronaut, 'o.png', '--hflip=yes'], /Option '--hflip' does not take an argument/],
      [[astronaut, 'o.png', '--quality', '0'], /integer in \[1, 100\] for --quality/],
      [[astronaut, 'o.png', '--format', 'bmp'], /one of 'png', 'jpeg', 'webp' \('jpg' is accepted too\) for --format/],
    ];
    for (const [argv, pattern] of cases) {
      const r = await run(...argv);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
      assert.match(r.err, pattern);
    }
    const help = await run('--help');
    assert.equal(help.code, 0);
    assert.match(help.out, /Usage: gankit edit IN OUT/);
    assert.match(help.out, /--rotate degrees \(counter-clockwise\)/);
  });

  test('the format follows the extension; a --format that disagrees is an error and writes nothing', async () => {
    const out = join(tmp.dir, 'x.jpg');
    const r = await run(astronaut, out, '--format', 'png', '--hflip');
    assert.equal(r.code, 1);
    assert.match(r.err, /Expected 'jpeg' or no value for a path ending in \.jpg for format but received "png"/);
    assert.equal(r.err.trim().split('\n').length, 1, 'one line');
    await assert.rejects(readdir(join(tmp.dir, 'x.jpg')));
    const ok = await run(astronaut, out, '--format', 'jpg', '--rotate', '-30');
    assert.equal(ok.code, 0, ok.err);
    assert.equal((await sharp(out).metadata()).format, 'jpeg');
  });

  test('every failure is one line and a non-zero exit: a missing output folder, huge parameters', async () => {
    const cases: [string[], number][] = [
      [[astronaut, join(tmp.dir, 'missing', 'folder', 'x.png'), '--hflip'], 1],
      [[astronaut, join(tmp.dir, 'z.png'), '--pad', '1e12'], 1],
      [[astronaut, join(tmp.dir, 'z.png'), '--blur', '1e9'], 2],
    ];
    for (const [argv, code] of cases) {
      const r = await run(...argv);
      assert.equal(r.code, code, `${argv.join(' ')}: ${r.err}`);
      assert.equal(r.err.trim().split('\n').length, 1, `${argv.join(' ')}: one line: ${r.err}`);
      assert.match(r.err, /^gankit edit: /);
    }
  });

  test('a file that cannot be processed exits 1', async () => {
    const r = await run('/nonexistent/cat.png', join(tmp.dir, 'x.png'), '--hflip');
    assert.equal(r.code, 1);
    assert.match(r.err, /Cannot read image file/);
    const crop = await run(astronaut, join(tmp.dir, 'y.png'), '--crop', '0,0,100,100');
    assert.equal(crop.code, 1);
    assert.match(crop.err, /crop box inside the 24x32/);
  });
});
