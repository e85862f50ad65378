/**
 * Parity with torchvision: every case of test/fixtures/edit/edit_fixtures.json (written by
 * scripts/fixtures/edit_fixtures.py with Debian's torchvision 0.14) on both back ends:
 * - tfjs tensors: int32 0..255 ('uint8' cases) and float32 in [0, 1] ('float32' cases), HWC and NHWC;
 * - EditImage (sharp + raw pixels): every single-image uint8 case.
 *
 * Tolerances (measured maxima are far below them; most cases are bit-exact):
 * - uint8: exact for data movement and integer ops; otherwise max abs diff <= 1 on at most 1% of
 *   the values (float32 rounding order differs from torch's near .5 before rounding / truncation);
 * - float32: max abs diff <= 1e-5; perspective <= 5e-5 (torch solves its coefficients in float32
 *   least squares, gankit exactly in float64).
 */
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import { EditImage, openImage } from '../../src/edit/index.js';
import { caseExpected, caseName, caseTensor, diff, editFixtures, photoDir, rawImage, runCase, type EditCase } from './helpers.js';

/** Operations whose uint8 results must match torchvision exactly (no float rounding involved). */
const EXACT = new Set(['hflip', 'vflip', 'crop', 'centerCrop', 'pad', 'invert', 'posterize', 'solarize', 'equalize', 'rgbToGrayscale']);

function uint8Tolerance(c: EditCase): { max: number; fraction: number } {
  if (EXACT.has(c.op) || c.options.interpolation === 'nearest') return { max: 0, fraction: 0 };
  return { max: 1, fraction: 0.01 };
}

function floatTolerance(c: EditCase): number {
  return c.op === 'perspective' ? 5e-5 : 1e-5;
}

function check(c: EditCase, shape: number[], values: ArrayLike<number>, backEnd: string): void {
  assert.deepEqual(shape, c.output.shape, `${backEnd}: output shape`);
  const expected = caseExpected(c);
  if (c.dtype === 'uint8') {
    const tol = uint8Tolerance(c);
    const d = diff(values, expected, 0);
    assert.ok(d.max <= tol.max, `${backEnd}: max abs diff ${d.max} > ${tol.max}`);
    assert.ok(d.mismatched <= tol.fraction * d.total, `${backEnd}: ${d.mismatched}/${d.total} values differ (allowed ${tol.fraction * 100}%)`);
  } else {
    const d = diff(values, expected);
    assert.ok(d.max <= floatTolerance(c), `${backEnd}: max abs diff ${d.max} > ${floatTolerance(c)}`);
  }
}

const fixtures = editFixtures();
const byOp = new Map<string, EditCase[]>();
for (const c of fixtures.cases) byOp.set(c.op, [...(byOp.get(c.op) ?? []), c]);

before(async () => {
  await initBackend();
});

describe(`torchvision ${fixtures.torchvision} parity, tensor back end`, () => {
  for (const [op, cases] of byOp) {
    describe(op, () => {
      for (const c of cases) {
        test(caseName(c), async () => {
          const x = caseTensor(c);
          const before = tf.memory().numTensors;
          const y = runCase(c, x) as tf.Tensor;
          assert.ok(y instanceof tf.Tensor);
          assert.notEqual(y, x, 'a new tensor, never the input');
          assert.equal(y.dtype, x.dtype, 'dtype preserved');
          check(c, y.shape, await y.data(), 'tensor');
          y.dispose();
          assert.equal(tf.memory().numTensors, before, 'no tensor leaked');
          assert.equal(x.isDisposed, false, 'input untouched');
          x.dispose();
        });
      }
    });
  }
});

describe(`torchvision ${fixtures.torchvision} parity, image back end (EditImage)`, () => {
  for (const [op, cases] of byOp) {
    const single = cases.filter((c) => c.dtype === 'uint8' && !Array.isArray(c.input));
    if (single.length === 0) continue;
    describe(op, () => {
      for (const c of single) {
        test(caseName(c), async () => {
          const raw = rawImage(c.input as string);
          const before = tf.memory().numTensors;
          const out = runCase(c, openImage(raw)) as EditImage;
          assert.ok(out instanceof EditImage);
          const r = await out.toRaw();
          check(c, [r.height, r.width, r.channels], r.data, 'image');
          assert.equal(tf.memory().numTensors, before, 'no tensor leaked');
        });
      }
    });
  }

  test('cases on the committed photos give the same result from the PNG file, a Buffer and raw pixels', async () => {
    const { readFile } = await import('node:fs/promises');
    const photoCases = fixtures.cases.filter((c) => c.dtype === 'uint8' && typeof c.input === 'string' && ['astronaut', 'coffee', 'chelsea'].includes(c.input));
    assert.ok(photoCases.length > 40);
    for (const c of photoCases.filter((_, i) => i % 4 === 0)) {
      const path = `${photoDir}${c.input as string}.png`;
      const fromFile = await (runCase(c, path) as EditImage).toRaw();
      const fromBuffer = await (runCase(c, await readFile(path)) as EditImage).toRaw();
      const expected = caseExpected(c);
      check(c, [fromFile.height, fromFile.width, fromFile.channels], fromFile.data, `file ${caseName(c)}`);
      assert.deepEqual(fromBuffer.data, fromFile.data, caseName(c));
      assert.equal(expected.length, fromFile.data.length);
    }
  });
});
