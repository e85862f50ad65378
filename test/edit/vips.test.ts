/**
 * The gankit_vips pipelines (src/edit/vips.ts, addon/vips): decode -> point op -> encode in one
 * libvips pipeline gives exactly the bytes of decodeSource -> the op's 8-bit kernel -> encodeRaw, for
 * PNG, JPEG and WebP outputs of RGB and grey sources; EditImage uses it for the only edit on an encoded
 * source; failures reject with GankitError; the event loop keeps turning; GANKIT_NO_ADDON=1 turns it off.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { openImage } from '../../src/edit/index.js';
import type { EditOp, PointSpec } from '../../src/edit/core.js';
import { adjustBrightnessOp, adjustGammaOp, adjustSaturationOp, autocontrastOp, equalizeOp, posterizeOp, rgbToGrayscaleOp, solarizeOp, adjustContrastOp } from '../../src/edit/color.js';
import { hflipOp } from '../../src/edit/geometry.js';
import { fusableSource } from '../../src/edit/native.js';
import { decodeSource, encodeRaw, type EditImageFormat } from '../../src/edit/raw.js';
import { NO_ADDON_ENV, setAddonEnabled } from '../../src/edit/addon.js';
import { hasPointPipeline, pointPipeline, vipsAddonCandidates, vipsStatus, wholePipeline } from '../../src/edit/vips.js';
import { GankitError } from '../../src/util/errors.js';
import { photoDir } from './helpers.js';

const disabled = process.env[NO_ADDON_ENV] === '1' || process.env[NO_ADDON_ENV] === 'true';
const needsVips = { skip: disabled ? `${NO_ADDON_ENV} is set` : false };

let dir: string;
const sources: Record<string, string> = {};

/** A 251 x 187 photo with noise (every value occurs; odd sizes cross libvips' region edges), RGB or grey. */
async function pixels(grey: boolean): Promise<Buffer> {
  const w = 251, h = 187;
  const base = await sharp(`${photoDir}astronaut.png`).removeAlpha().resize(w, h, { fit: 'fill' }).raw().toBuffer();
  let seed = 7;
  const noisy = Buffer.from(base.map((v: number) => { seed = (seed * 1103515245 + 12345) >>> 0; return (v + (seed >>> 24) - 128) & 255; }));
  const s = sharp(noisy, { raw: { width: w, height: h, channels: 3 } });
  return (grey ? s.toColourspace('b-w') : s).raw().toBuffer();
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gankit-vips-'));
  for (const grey of [false, true]) {
    const raw = await pixels(grey);
    // sharp writes sRGB unless told 'b-w'.
    const s = () => { const x = sharp(raw, { raw: { width: 251, height: 187, channels: grey ? 1 : 3 } }); return grey ? x.toColourspace('b-w') : x; };
    const tag = grey ? 'grey' : 'rgb';
    sources[`${tag} png`] = join(dir, `${tag}.png`);
    sources[`${tag} jpeg`] = join(dir, `${tag}.jpg`);
    await s().png().toFile(sources[`${tag} png`]!);
    // 300 dpi and EXIF: the fused output must still carry none of it, as the raw path's.
    await s().jpeg({ quality: 93 }).withExif({ IFD0: { Copyright: 'gankit' } }).withDensity(300).toFile(sources[`${tag} jpeg`]!);
    if (!grey) {
      sources['rgb webp'] = join(dir, 'rgb.webp');
      await s().webp({ quality: 90 }).toFile(sources['rgb webp']);
    }
    // Narrow ranges, so autocontrast / equalize tables are far from identity: values squeezed into
    // 70..169 (RGB: green into 100..139, blue flat), lossless PNG so the ranges survive.
    const narrow = Buffer.from(raw.map((v: number, i: number) => (grey ? 70 + (v % 100) : i % 3 === 0 ? 70 + (v % 100) : i % 3 === 1 ? 100 + (v % 40) : 77)));
    const n = () => { const x = sharp(narrow, { raw: { width: 251, height: 187, channels: grey ? 1 : 3 } }); return grey ? x.toColourspace('b-w') : x; };
    sources[`${tag} narrow png`] = join(dir, `${tag}-narrow.png`);
    await n().png().toFile(sources[`${tag} narrow png`]!);
    // Almost one value: equalize's step is 0 (PIL leaves the channel), autocontrast's range 1.
    const mostly = Buffer.from(raw.map((_: number, i: number) => (i % 997 === 0 ? 201 : 200)));
    sources[`${tag} flat png`] = join(dir, `${tag}-flat.png`);
    const f = sharp(mostly, { raw: { width: 251, height: 187, channels: grey ? 1 : 3 } });
    await (grey ? f.toColourspace('b-w') : f).png().toFile(sources[`${tag} flat png`]!);
  }
  // A larger JPEG (several libvips strips, both worker threads) for the histogram pipeline.
  sources['rgb big jpeg'] = join(dir, 'big-narrow.jpg');
  await sharp(`${photoDir}astronaut.png`).removeAlpha().resize(1013, 771, { fit: 'fill' }).linear(0.5, 40).jpeg({ quality: 90 }).toFile(sources['rgb big jpeg']);
});
after(async () => { await rm(dir, { recursive: true, force: true }); });

const ops: [string, () => EditOp][] = [
  ['brightness 1.3', () => adjustBrightnessOp(1.3)],
  ['brightness 0.45', () => adjustBrightnessOp(0.45)],
  ['gamma 0.6 gain 1.1', () => adjustGammaOp(0.6, 1.1)],
  ['gamma 2.2', () => adjustGammaOp(2.2)],
  ['posterize 3', () => posterizeOp(3)],
  ['solarize 100', () => solarizeOp(100)],
  ['grayscale 1', () => rgbToGrayscaleOp(1)],
  ['grayscale 3', () => rgbToGrayscaleOp(3)],
  ['saturation 0.4', () => adjustSaturationOp(0.4)],
  ['saturation 1.7', () => adjustSaturationOp(1.7)],
  ['hflip (row mirror)', () => hflipOp()],
];
const outputs: [EditImageFormat, number | undefined][] = [['png', undefined], ['jpeg', undefined], ['jpeg', 95], ['webp', 70]];

/** The current path's bytes: decode, the op's 8-bit kernel, encode. */
async function expected(source: string, op: EditOp, format: EditImageFormat, quality: number | undefined): Promise<Buffer> {
  const out = await op.image!(await decodeSource(source));
  return encodeRaw(out!, format, quality);
}

/** The op with its pixel kernels and sharp step removed: EditImage can then only encode it through gankit_vips. */
function fusedOnly(op: EditOp): EditOp {
  const refuse = async (): Promise<never> => { throw new Error('the pixel path ran'); };
  return { ...op, sharp: undefined, image: refuse, imageInto: refuse, tensor: () => { throw new Error('the tensor path ran'); } };
}

test('gankit_vips is built and loaded (unless GANKIT_NO_ADDON=1)', () => {
  if (disabled) {
    assert.equal(hasPointPipeline(), false);
    assert.match(vipsStatus(), /GANKIT_NO_ADDON=/);
    return;
  }
  assert.ok(vipsAddonCandidates().some((p) => existsSync(p)), `built at one of ${vipsAddonCandidates().join(', ')} (bash scripts/build-addon.sh)`);
  assert.ok(hasPointPipeline(), vipsStatus());
  assert.match(vipsStatus(), /^libvips pipelines .*gankit_vips\.node$/);
  assert.equal(setAddonEnabled(false), true);
  assert.equal(hasPointPipeline(), false);
  assert.match(vipsStatus(), /switched off/);
  assert.equal(setAddonEnabled(true), false);
});

test('one libvips in the process: gankit_vips maps the library sharp loaded', needsVips, async () => {
  const maps = (await readFile('/proc/self/maps', 'utf8').catch(() => '')).split('\n').filter((l) => /libvips-cpp\.so/.test(l));
  if (maps.length === 0) return; // not Linux
  assert.equal(new Set(maps.map((l) => l.trim().split(/\s+/).slice(5).join(' '))).size, 1, maps.join('\n'));
});

describe('fused point pipelines give the bytes of the pixel path', needsVips, () => {
  for (const [name, make] of ops) {
    test(name, async () => {
      for (const [sourceName, path] of Object.entries(sources)) {
        const meta = await fusableSource(path);
        assert.ok(meta, `${sourceName} is fusable`);
        assert.equal(meta.channels, sourceName.startsWith('grey') ? 1 : 3, `${sourceName} channels`);
        const spec = make().point!(meta) as PointSpec;
        assert.ok(spec, `${name} has a point spec`);
        for (const [format, quality] of outputs) {
          const what = `${name}, ${sourceName} -> ${format} q${quality ?? 'default'}`;
          const want = await expected(path, make(), format, quality);
          assert.ok(want.equals(await pointPipeline(path, spec, format, quality)), `${what}: pointPipeline(path)`);
          const viaImage = await openImage(path).then(fusedOnly(make())).toBuffer({ format, quality });
          assert.ok(want.equals(viaImage), `${what}: EditImage.toBuffer`);
        }
        // Encoded bytes as the source, and toFile.
        const bytes = await readFile(path);
        assert.ok((await expected(path, make(), 'png', undefined)).equals(await openImage(bytes).then(fusedOnly(make())).toBuffer()), `${name}, ${sourceName} bytes`);
        const file = join(dir, `out-${name.replace(/\W/g, '_')}.jpg`);
        await openImage(path).then(fusedOnly(make())).toFile(file, { quality: 88 });
        assert.ok((await expected(path, make(), 'jpeg', 88)).equals(await readFile(file)), `${name}, ${sourceName} toFile`);
      }
    });
  }
});

describe('autocontrast and equalize (histograms counted while decoding) give the bytes of the pixel path', needsVips, () => {
  const wholeOps: [string, () => EditOp, 'autocontrast' | 'equalize'][] = [
    ['autocontrast', autocontrastOp, 'autocontrast'],
    ['equalize', equalizeOp, 'equalize'],
  ];
  for (const [name, make, edit] of wholeOps) {
    test(name, async () => {
      assert.equal(make().whole, edit);
      for (const [sourceName, path] of Object.entries(sources)) {
        assert.ok(await fusableSource(path), `${sourceName} is fusable`);
        for (const [format, quality] of outputs) {
          const what = `${name}, ${sourceName} -> ${format} q${quality ?? 'default'}`;
          const want = await expected(path, make(), format, quality);
          assert.ok(want.equals(await wholePipeline(path, edit, format, quality)), `${what}: wholePipeline(path)`);
          assert.ok(want.equals(await openImage(path).then(fusedOnly(make())).toBuffer({ format, quality })), `${what}: EditImage.toBuffer`);
        }
        const bytes = await readFile(path);
        assert.ok((await expected(path, make(), 'png', undefined)).equals(await openImage(bytes).then(fusedOnly(make())).toBuffer()), `${name}, ${sourceName} bytes`);
        const file = join(dir, `out-${name}.jpg`);
        await openImage(path).then(fusedOnly(make())).toFile(file, { quality: 88 });
        assert.ok((await expected(path, make(), 'jpeg', 88)).equals(await readFile(file)), `${name}, ${sourceName} toFile`);
      }
    });
  }

  test('the narrow sources give tables far from identity', async () => {
    const out = await sharp(await wholePipeline(sources['rgb narrow png']!, 'autocontrast', 'png')).raw().toBuffer();
    const red = Uint8Array.from(out).filter((_: number, i: number) => i % 3 === 0);
    const [lo, hi] = [Math.min(...red), Math.max(...red)];
    assert.deepEqual([lo, hi], [0, 255]);
  });

  test('failures reject with GankitError and EditImage falls back to the pixel path', async () => {
    const bytes = await readFile(sources['rgb big jpeg']!);
    await assert.rejects(wholePipeline(bytes.subarray(0, bytes.length >> 1), 'equalize', 'png'), GankitError);
    await assert.rejects(wholePipeline(join(dir, 'missing.png'), 'autocontrast', 'jpeg'), GankitError);
    const path = join(dir, 'truncated-big.jpg');
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length * 0.7)));
    await assert.rejects(openImage(path).equalize().toBuffer(), GankitError);
  });
});

describe('EditImage keeps the other paths', needsVips, () => {
  test('ops that need image statistics (contrast) take the pixel path with the same bytes as before', async () => {
    const path = sources['rgb jpeg']!;
    assert.equal(adjustContrastOp(1.5).point, undefined);
    assert.ok((await expected(path, adjustContrastOp(1.5), 'png', undefined)).equals(await openImage(path).adjustContrast(1.5).toBuffer()));
  });

  test('a second edit, or pixels already computed, take the pixel path', async () => {
    const path = sources['rgb png']!;
    const img = openImage(path).adjustGamma(0.5);
    const raw = await img.toRaw();
    const twice = await openImage(path).adjustGamma(0.5).posterize(4).toBuffer();
    const want = await encodeRaw((await posterizeOp(4).image!(raw))!, 'png');
    assert.ok(want.equals(twice));
  });

  test('a source with alpha is not fused (the pixel path keeps alpha)', async () => {
    const path = join(dir, 'rgba.png');
    await sharp(sources['rgb png']!).ensureAlpha(0.5).png().toFile(path);
    assert.equal(await fusableSource(path), undefined);
    const out = await openImage(path).adjustBrightness(1.2).toBuffer();
    assert.equal((await sharp(out).metadata()).channels, 4);
  });

  test('a pipeline failure falls back: a truncated JPEG still reports GankitError', async () => {
    const bytes = await readFile(sources['rgb jpeg']!);
    const path = join(dir, 'truncated.jpg');
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await assert.rejects(openImage(path).adjustGamma(0.8).toBuffer(), GankitError);
    await assert.rejects(openImage(join(dir, 'missing.png')).adjustGamma(0.8).toBuffer(), GankitError);
  });
});

describe('pointPipeline errors and threading', needsVips, () => {
  const gamma: PointSpec = { kind: 'lut', luts: [new Uint8Array(256)] };

  test('libvips failures reject with GankitError', async () => {
    const bytes = await readFile(sources['rgb jpeg']!);
    await assert.rejects(pointPipeline(bytes.subarray(0, bytes.length >> 1), gamma, 'png'), (e: unknown) => e instanceof GankitError && /Cannot run the fused png pipeline on \d+-byte buffer/.test(e.message));
    await assert.rejects(pointPipeline(join(dir, 'missing.png'), gamma, 'jpeg'), GankitError);
    await assert.rejects(pointPipeline(new Uint8Array([1, 2, 3, 4]), gamma, 'png'), GankitError);
  });

  test('bad arguments reject with GankitError', async () => {
    const path = sources['rgb png']!;
    await assert.rejects(pointPipeline(path, { kind: 'lut', luts: [new Uint8Array(10)] }, 'png'), GankitError);
    await assert.rejects(pointPipeline(path, { kind: 'lut', luts: [new Uint8Array(256), new Uint8Array(256)] }, 'png'), GankitError);
    // Three tables on a grey source: one per channel is one table.
    const t = new Uint8Array(256);
    await assert.rejects(pointPipeline(sources['grey png']!, { kind: 'lut', luts: [t, t, t] }, 'png'), GankitError);
    await assert.rejects(pointPipeline(path, { kind: 'grayscale', outChannels: 2 as 1 }, 'png'), GankitError);
    await assert.rejects(pointPipeline(path, gamma, 'gif' as 'png'), GankitError);
    await assert.rejects(pointPipeline(path, gamma, 'jpeg', 0), GankitError);
  });

  test('per-channel tables', async () => {
    const path = sources['rgb png']!;
    const r = new Uint8Array(256).map((_, i) => 255 - i), g = new Uint8Array(256).map((_, i) => i >> 1), b = new Uint8Array(256).fill(9);
    const { applyLuts } = await import('../../src/edit/pixels.js');
    const want = await encodeRaw(applyLuts(await decodeSource(path), [r, g, b]), 'webp', 60);
    assert.ok(want.equals(await pointPipeline(path, { kind: 'lut', luts: [r, g, b] }, 'webp', 60)));
  });

  test('the event loop turns while a pipeline runs', async () => {
    const path = join(dir, 'big.jpg');
    await sharp({ create: { width: 2400, height: 1800, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg().toFile(path);
    let ticks = 0;
    let running = true;
    const spin = (): void => { ticks++; if (running) setImmediate(spin); };
    setImmediate(spin);
    const out = await pointPipeline(path, { kind: 'saturation', factor: 1.5 }, 'jpeg');
    running = false;
    assert.ok(out.length > 0);
    assert.ok(ticks > 3, `setImmediate ran ${ticks} times during the pipeline`);
  });
});

test('GANKIT_NO_ADDON=1 turns the pipeline off and EditImage gives the same bytes', needsVips, async () => {
  const src = sources['rgb jpeg']!;
  const fused = await openImage(src).adjustGamma(0.7).toBuffer({ format: 'jpeg' });
  const module = (p: string) => JSON.stringify(fileURLToPath(new URL(p, import.meta.url)));
  const script = [
    `import { openImage } from ${module('../../src/edit/index.js')};`,
    `import { hasPointPipeline, vipsStatus } from ${module('../../src/edit/vips.js')};`,
    `const out = await openImage(${JSON.stringify(src)}).adjustGamma(0.7).toBuffer({ format: 'jpeg' });`,
    `console.log(JSON.stringify({ on: hasPointPipeline(), status: vipsStatus(), out: out.toString('base64') }));`,
  ].join('\n');
  const file = join(dir, 'no-addon.mts');
  await writeFile(file, script);
  const child = spawnSync(process.execPath, ['--import', 'tsx', file], { env: { ...process.env, [NO_ADDON_ENV]: '1' }, encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as { on: boolean; status: string; out: string };
  assert.equal(result.on, false);
  assert.match(result.status, /GANKIT_NO_ADDON=1/);
  assert.ok(Buffer.from(result.out, 'base64').equals(fused));
});
