/**
 * An exported generator loads with tf.loadLayersModel over http in a real browser (Chromium, tfjs's
 * own browser bundle, cpu/webgl backend there) and generates the same images as gankit in Node.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { initBackend } from '../../src/backend/select.js';
import { createGan, disposeGan, exportGenerator, sampleNoise, generate } from '../../src/gan/index.js';

const CHROMIUM = process.env.GANKIT_CHROMIUM ?? '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (set GANKIT_CHROMIUM)`;
const require = createRequire(import.meta.url);
let browser: Browser | undefined;

before(async () => {
  await initBackend();
  if (!skip) browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
});
after(async () => { await browser?.close(); });

test('an exported conditional generator loads in Chromium with tf.loadLayersModel and matches Node', { skip }, async () => {
  const gan = createGan({ architecture: 'conditional', ngf: 8, ndf: 8, latentDim: 16, seed: 3 });
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'gankit-export-')), 'gen');
  await exportGenerator(gan.generator, dir);
  const z = sampleNoise(4, 16, 9);
  const labels = [0, 3, 5, 9];
  const expected = generate(gan.generator, z, labels);
  const files: Record<string, { body: Buffer; type: string }> = {
    '/': { body: Buffer.from('<!doctype html><title>gankit</title>'), type: 'text/html' },
    '/tf.min.js': { body: readFileSync(require.resolve('@tensorflow/tfjs/dist/tf.min.js')), type: 'text/javascript' },
    '/gen/model.json': { body: readFileSync(path.join(dir, 'model.json')), type: 'application/json' },
    '/gen/weights.bin': { body: readFileSync(path.join(dir, 'weights.bin')), type: 'application/octet-stream' },
  };
  const page = await browser!.newPage();
  await page.route('http://gankit.test/**', (route) => {
    const f = files[new URL(route.request().url()).pathname];
    return f ? route.fulfill({ status: 200, body: f.body, contentType: f.type }) : route.fulfill({ status: 404, body: '' });
  });
  await page.goto('http://gankit.test/');
  await page.addScriptTag({ url: 'http://gankit.test/tf.min.js' });
  const got = await page.evaluate(async ({ zs, ls }) => {
    const t = (globalThis as any).tf;
    const model = await t.loadLayersModel('http://gankit.test/gen/model.json');
    const out = model.predict([t.tensor2d(zs, [4, 16]), t.tensor2d(ls, [4, 1], 'int32')]);
    return { shape: out.shape, values: Array.from(out.dataSync() as Float32Array), backend: t.getBackend(), version: t.version.tfjs };
  }, { zs: Array.from(z.dataSync()), ls: labels });
  await page.close();
  assert.deepEqual(got.shape, [4, 28, 28, 1]);
  assert.equal(got.version, tf.version.tfjs);
  const want = expected.dataSync();
  const worst = got.values.reduce((m: number, v: number, i: number) => Math.max(m, Math.abs(v - want[i]!)), 0);
  assert.ok(worst < 1e-4, `browser (${got.backend}) vs node: max difference ${worst}`);
  tf.dispose([z, expected]);
  disposeGan(gan);
});
