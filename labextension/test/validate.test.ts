import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LIMITS, PayloadError, invalid, is, validateImages, validatePlot, validateTensor } from '../src/validate';
import { PNG_1x1, imagesPayload, plotPayload, tensorPayload } from './helpers';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));

/** Apply `mutate` to a copy of `base` and expect validation to fail with a message matching `re`. */
function rejects<T>(validate: (d: unknown) => unknown, base: T, mutate: (d: any) => void, re: RegExp) {
  const d = clone(base) as any;
  mutate(d);
  assert.throws(() => validate(d), (e: unknown) => e instanceof PayloadError && re.test(e.message));
}

describe('validation: shared', () => {
  test('error builder has one shape', () => {
    assert.equal(invalid('preview.width', 'positive integer', -1).message, 'Expected positive integer for preview.width but received -1 of type number');
    assert.match(invalid('x', 'string', null).message, /received null of type null$/);
    assert.match(invalid('x', 'string', [1, 2]).message, /received array of length 2 of type array$/);
    assert.match(invalid('x', 'number', 'a'.repeat(100)).message, /received "a{40}…" of type string$/);
  });

  test('base64 predicate', () => {
    assert.ok(is.base64(PNG_1x1));
    assert.ok(!is.base64('data:image/png;base64,AAAA'));
    assert.ok(!is.base64('AAA"'));
    assert.ok(!is.base64('AAAAA'));
  });

  for (const [name, validate] of [
    ['tensor', validateTensor],
    ['images', validateImages],
    ['plot', validatePlot]
  ] as const) {
    test(`${name}: non-objects and wrong versions are rejected`, () => {
      for (const bad of [null, undefined, 42, 'x', [], true]) {
        assert.throws(() => validate(bad), PayloadError);
      }
      const base = name === 'tensor' ? tensorPayload() : name === 'images' ? imagesPayload() : plotPayload();
      rejects(validate, base, d => (d.version = 2), /Expected version 1 .* for version but received 2/);
      rejects(validate, base, d => delete d.version, /for version but received undefined/);
    });
  }
});

describe('validation: tensor', () => {
  test('accepts a well-formed payload and keeps its fields', () => {
    const p = tensorPayload();
    const v = validateTensor(clone(p));
    assert.deepEqual(v, p);
  });

  test('accepts an image preview, a rank-0 tensor, and null stats', () => {
    validateTensor(
      tensorPayload({
        shape: [],
        slice: [],
        slices: undefined,
        stats: { min: null, max: null, mean: null, std: null, nanCount: 1, infCount: 0, size: 1 },
        preview: { kind: 'image', width: 1, height: 1, range: [0, 1], png: PNG_1x1, stride: [1, 1] }
      })
    );
  });

  const base = tensorPayload();
  const cases: [string, (d: any) => void, RegExp][] = [
    ['missing shape', d => delete d.shape, /for shape but received undefined/],
    ['negative dim', d => (d.shape[1] = -3), /for shape\[1\] but received -3/],
    ['dtype not a string', d => (d.dtype = 5), /string for dtype/],
    ['stats missing', d => delete d.stats, /object for stats/],
    ['stats.min a string', d => (d.stats.min = '0'), /finite number or null for stats.min/],
    ['nanCount fractional', d => (d.stats.nanCount = 1.5), /stats.nanCount/],
    ['preview kind', d => (d.preview.kind = 'svg'), /"heatmap" or "image" for preview.kind/],
    ['preview width 0', d => (d.preview.width = 0), /positive integer in \[1, 1024\] for preview.width/],
    ['values length', d => d.preview.values.pop(), /width\*height = 784 values for preview.values/],
    ['value a string', d => (d.preview.values[5] = 'x'), /preview.values\[5\]/],
    ['range not a pair', d => (d.preview.range = [0]), /\[low, high\] for preview.range/],
    ['png with data: prefix', d => (d.preview.png = 'data:image/png;base64,' + PNG_1x1), /base64-encoded PNG .* for preview.png/],
    ['stride 0', d => (d.preview.stride = [0, 1]), /preview.stride\[0\]/],
    ['slice wrong rank', d => d.slice.pop(), /one entry per axis \(4\) for slice/],
    ['slice range malformed', d => (d.slice[1] = [0, 28]), /\[start, stop, step\] for slice\[1\]/],
    ['slices label', d => (d.slices[2].label = null), /string for slices\[2\].label/],
    ['slices preview', d => (d.slices[1].preview.height = -1), /slices\[1\].preview.height/],
    ['heatmap with neither values nor png', d => {
      delete d.preview.values;
      d.preview.png = '';
    }, /preview.png/]
  ];
  for (const [name, mutate, re] of cases) {
    test(`rejects: ${name}`, () => rejects(validateTensor, base, mutate, re));
  }

  test('rejects oversized previews and too many slices', () => {
    rejects(validateTensor, base, d => (d.preview.width = LIMITS.previewSide + 1), /preview.width/);
    rejects(validateTensor, base, d => (d.slices = Array(LIMITS.slices + 1).fill(d.slices[0])), /at most 64 items for slices/);
    rejects(validateTensor, base, d => (d.shape = Array(40).fill(1)), /at most 32 items for shape/);
  });
});

describe('validation: images', () => {
  test('accepts a well-formed payload', () => {
    const p = imagesPayload(5, { title: 'fixed noise' });
    assert.deepEqual(validateImages(clone(p)), p);
  });
  const base = imagesPayload(3);
  const cases: [string, (d: any) => void, RegExp][] = [
    ['images not an array', d => (d.images = {}), /array for images/],
    ['image png missing', d => delete d.images[1].png, /images\[1\].png/],
    ['image png not base64', d => (d.images[0].png = '<svg onload=alert(1)>'), /base64-encoded PNG .* for images\[0\].png/],
    ['image width', d => (d.images[2].width = 1.5), /images\[2\].width/],
    ['caption not a string', d => (d.images[0].caption = 7), /string for images\[0\].caption/],
    ['nrow 0', d => (d.nrow = 0), /for nrow/],
    ['padValue out of range', d => (d.padValue = 2), /number in \[0, 1\] for padValue/],
    ['total < images', d => (d.total = 1), /for total/],
    ['too many images', d => (d.images = Array(LIMITS.images + 1).fill(d.images[0])), /at most 1024 items for images/],
    ['huge caption', d => (d.images[0].caption = 'x'.repeat(LIMITS.text + 1)), /at most 1000 characters for images\[0\].caption/]
  ];
  for (const [name, mutate, re] of cases) {
    test(`rejects: ${name}`, () => rejects(validateImages, base, mutate, re));
  }
  test('rejects payloads whose images are too large in total', () => {
    const big = 'A'.repeat(LIMITS.pngChars);
    const p = imagesPayload(5);
    p.images.forEach(i => (i.png = big));
    assert.throws(() => validateImages(p), /Payload too large/);
  });
});

describe('validation: plot', () => {
  test('accepts a well-formed payload, and null values as gaps', () => {
    const p = plotPayload(10);
    assert.deepEqual(validatePlot(clone(p)), p);
    const q = clone(p) as any;
    q.series[0].points[3][1] = null;
    assert.equal(validatePlot(q).series[0].points[3][1], null);
  });
  const base = plotPayload(5);
  const cases: [string, (d: any) => void, RegExp][] = [
    ['series missing', d => delete d.series, /array for series/],
    ['series name', d => (d.series[1].name = 3), /string for series\[1\].name/],
    ['point not a pair', d => (d.series[0].points[2] = [1]), /\[step, value\] for series\[0\].points\[2\]/],
    ['step not a number', d => (d.series[0].points[2][0] = 'a'), /finite number for series\[0\].points\[2\]\[0\]/],
    ['axis', d => (d.series[0].axis = 'y3'), /"y" or "y2" for series\[0\].axis/],
    ['scale', d => (d.scale = 'symlog'), /"linear" or "log" for scale/],
    ['final', d => (d.final = 'yes'), /boolean for final/],
    ['maxPoints', d => (d.maxPoints = 0), /for maxPoints/],
    ['title', d => (d.title = {}), /string for title/],
    ['too many points', d => (d.series[0].points = Array(LIMITS.points + 1).fill([0, 0])), /at most 200000 items for series\[0\].points/]
  ];
  for (const [name, mutate, re] of cases) {
    test(`rejects: ${name}`, () => rejects(validatePlot, base, mutate, re));
  }
});
