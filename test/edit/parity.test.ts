/**
 * Parity with torchvision: every case of test/fixtures/edit/edit_fixtures.json (written by
 * scripts/fixtures/edit_fixtures.py with Debian's torchvision 0.14) on both back ends:
 * - tfjs tensors: int32 0..255 ('uint8' cases) and float32 in [0, 1] ('float32' cases), HWC and NHWC;
 * - EditImage (sharp + raw pixels): every single-image uint8 case.
 *
 * Tolerances (the measured maxima; this test enforces them exactly):
 * - uint8: bit-exact for every op and case, except bilinear sampling (resize, resizedCrop, rotate,
 *   affine, perspective with bilinear interpolation), where a float32 sum that lands within an ulp
 *   of .5 may round the other way: at most 1 level on at most 3 values of a case (4 of the
 *   fixtures' uint8 cases differ at all, by 1 to 3 values);
 * - float32: bit-exact for data movement, tables and nearest sampling; otherwise max abs diff
 *   <= 4e-6 (float32 summation order), perspective <= 5e-6 (its grid divides; both solve the
 *   coefficients in float64 as v2 does, see scripts/fixtures/edit_fixtures.py).
 */
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import { EditImage, openImage } from '../../src/edit/index.js';
import { caseExpected, caseName, caseTensor, diff, editFixtures, photoDir, rawImage, runCase, type EditCase } from './helpers.js';

/** Ops whose float32 results are computed without float rounding differences (data movement, tables, per-value formulas torch evaluates the same way). */
const FLOAT_EXACT = new Set([
  'hflip', 'vflip', 'crop', 'centerCrop', 'pad', 'invert', 'posterize', 'solarize', 'equalize', 'autocontrast', 'rgbToGrayscale',
  'adjustBrightness', 'adjustSaturation', 'adjustHue', 'adjustSharpness',
]);

/** Bilinear sampling: the one place where uint8 results may differ by 1 level on a few values. */
const isBilinear = (c: EditCase) => ['resize', 'resizedCrop', 'rotate', 'affine', 'perspective'].includes(c.op) &&
  (c.options.interpolation ?? (['resize', 'resizedCrop', 'perspective'].includes(c.op) ? 'bilinear' : 'nearest')) === 'bilinear';

function uint8Tolerance(c: EditCase): { max: number; values: number } {
  return isBilinear(c) ? { max: 1, values: 3 } : { max: 0, values: 0 };
}

function floatTolerance(c: EditCase): number {
  if (c.op === 'perspective') return 5e-6;
  if (FLOAT_EXACT.has(c.op) || c.options.interpolation === 'nearest') return 0;
  return 4e-6;
}

function check(c: EditCase, shape: number[], values: ArrayLike<number>, backEnd: string): void {
  assert.deepEqual(shape, c.output.shape, `${backEnd}: output shape`);
  const expected = caseExpected(c);
  if (c.dtype === 'uint8') {
    const tol = uint8Tolerance(c);
    const d = diff(values, expected, 0);
    assert.ok(d.max <= tol.max, `${backEnd}: max abs diff ${d.max} > ${tol.max}`);
    assert.ok(d.mismatched <= tol.values, `${backEnd}: ${d.mismatched}/${d.total} values differ (allowed ${tol.values})`);
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
