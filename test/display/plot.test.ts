import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plotBundle, plot, toSeries, lttb, minMaxBuckets, isSeriesLike, PLOT_MIME, JUPYTER_DISPLAY, type PlotPayload, type Point } from '../../src/display/index.js';
import { GankitError } from '../../src/util/errors.js';
import { png } from './helpers.js';

const payload = (b: Record<string, unknown>): PlotPayload => b[PLOT_MIME] as PlotPayload;

test('records, named pairs, named values and tf.History all become named series', () => {
  const rec = toSeries([{ step: 10, lossD: 1, lossG: 2 }, { step: 20, lossD: 0.5, lossG: NaN }]);
  assert.deepEqual(rec, [{ name: 'lossD', points: [[10, 1], [20, 0.5]] }, { name: 'lossG', points: [[10, 2]] }]);
  assert.deepEqual(toSeries({ a: [[0, 1], [5, 2]] }), [{ name: 'a', points: [[0, 1], [5, 2]] }]);
  assert.deepEqual(toSeries({ a: [3, 4] }), [{ name: 'a', points: [[0, 3], [1, 4]] }]);
  assert.deepEqual(toSeries({ epoch: [1, 2], history: { loss: [0.9, 0.8] } }), [{ name: 'loss', points: [[1, 0.9], [2, 0.8]] }]);
  assert.throws(() => toSeries({ a: ['x'] } as never), GankitError);
});

test('isSeriesLike detects histories but not arbitrary data', () => {
  assert.ok(isSeriesLike([{ step: 0, loss: 1 }]));
  assert.ok(isSeriesLike({ loss: [[0, 1]] }));
  assert.ok(isSeriesLike({ epoch: [0], history: { loss: [1] } }));
  for (const v of [[{ a: 1 }], { a: [1, 2, 3] }, [1, 2], { a: [] }, [{ step: 1 }], [{ step: 0, name: 'x' }], null, 'x']) {
    assert.equal(isSeriesLike(v), false, JSON.stringify(v));
  }
});

test('LTTB keeps first and last points and returns exactly the threshold', () => {
  const pts: Point[] = Array.from({ length: 10000 }, (_, i) => [i, Math.sin(i / 50) + (i === 5000 ? 10 : 0)]);
  const d = lttb(pts, 500);
  assert.equal(d.length, 500);
  assert.deepEqual(d[0], pts[0]);
  assert.deepEqual(d[499], pts[9999]);
  assert.ok(d.some((p) => p[0] === 5000), 'keeps the spike');
  assert.ok(d.every((p, i) => i === 0 || p[0] > d[i - 1]![0]), 'x increasing');
  assert.equal(lttb(pts.slice(0, 10), 500).length, 10);
  const m = minMaxBuckets(pts, 500);
  assert.ok(m.length <= 500);
  assert.ok(m.some((p) => p[0] === 5000));
  assert.ok(m.every((p, i) => i === 0 || p[0] > m[i - 1]![0]));
});

test('plotBundle bounds points, filters non-finite values, assigns y2 and renders a PNG', async () => {
  const hist = Array.from({ length: 5000 }, (_, i) => ({ step: i, Loss_D: 1 / (i + 1), Loss_G: i === 7 ? Infinity : 2, 'D(x)': 0.7, dgz: 0.3 }));
  const b = await plotBundle(hist, { title: 'DCGAN <1>', maxPoints: 200, final: false });
  assert.deepEqual(Object.keys(b).sort(), [PLOT_MIME, 'image/png', 'text/plain'].sort());
  const p = payload(b);
  assert.equal(p.version, 1);
  assert.equal(p.maxPoints, 200);
  assert.equal(p.final, false);
  assert.equal(p.scale, 'linear');
  assert.equal(p.title, 'DCGAN <1>');
  assert.equal(p.xLabel, 'step');
  assert.deepEqual(p.series.map((s) => [s.name, s.axis ?? 'y']), [['Loss_D', 'y'], ['Loss_G', 'y'], ['D(x)', 'y2'], ['D(G(z))', 'y2']]);
  for (const s of p.series) {
    assert.ok(s.points.length <= 200);
    assert.ok(s.points.every((q) => Number.isFinite(q[0]) && Number.isFinite(q[1])));
  }
  assert.deepEqual(p.series[0]!.points[0], [0, 1]);
  assert.deepEqual(p.series[0]!.points.at(-1), [4999, 1 / 5000]);
  const img = await png(b['image/png']);
  assert.deepEqual([img.width, img.height], [640, 360]);
  assert.match(b['text/plain'], /Loss_D: 5000 points, last 0\.0002 at step 4999/);
  const log = payload(await plotBundle({ loss: [[0, 1], [1, 0], [2, 0.01]] }, { scale: 'log', y2: [] }));
  assert.equal(log.scale, 'log');
  await png((await plotBundle({ loss: [[0, 1], [1, 0], [2, 0.01]] }, { scale: 'log' }))['image/png']);
  const big = await plotBundle(Array.from({ length: 100000 }, (_, i) => ({ step: i, a: Math.random(), b: Math.random() })));
  assert.ok(JSON.stringify(big).length < 200_000, 'two 1000-point series stay small');
});

test('plot objects display themselves; options are validated', async () => {
  const p = plot({ loss: [[0, 1]] }, { width: 320, height: 200 });
  const b = await p[JUPYTER_DISPLAY]();
  assert.equal((await png(b['image/png'])).width, 320);
  assert.throws(() => plotBundle({ a: [[0, 1]] }, { maxPoints: 2 }), GankitError);
  assert.throws(() => plotBundle({ a: [[0, 1]] }, { scale: 'ln' as never }), GankitError);
  assert.throws(() => plot({ a: [[0, 1]] }, { colour: 'red' } as never), /Expected one of 'maxPoints', .* for plot options key but received "colour" of type string/);
  assert.throws(() => plotBundle(42 as never), GankitError);
});

test('trainer record keys get the friendly labels of the live view; the right axis is marked', async () => {
  const hist = Array.from({ length: 30 }, (_, i) => ({ step: i + 1, lossD: 1.2 - i / 40, lossG: 0.8 + i / 20, dx: 0.6, dgz1: 0.4 }));
  const b = await plotBundle(hist, { title: 'full run' });
  const p = payload(b);
  assert.deepEqual(p.series.map((s) => [s.name, s.axis ?? 'y', s.panel ?? 0]), [['Loss_D', 'y', 0], ['Loss_G', 'y', 0], ['D(x)', 'y2', 0], ['D(G(z))', 'y2', 0]]);
  assert.match(b['text/plain'], /^ {2}D\(x\) \(right axis\): 30 points/m);
  await png(b['image/png']);
});

test('series on different scales never share an axis: fd, confidence and diversity get a panel each', async () => {
  const rows = [10, 20, 30].map((step, i) => ({ step, fd: 300 - 50 * i, confidence: 0.4 + 0.1 * i, diversity: 3 + 2 * i }));
  const b = await plotBundle({
    fd: rows.map((r) => [r.step, r.fd] as [number, number]),
    confidence: rows.map((r) => [r.step, r.confidence] as [number, number]),
    diversity: rows.map((r) => [r.step, r.diversity] as [number, number]),
  }, { title: 'Quality', y2: ['confidence', 'diversity'], height: 480 });
  const p = payload(b);
  assert.deepEqual(p.series.map((s) => [s.name, s.axis ?? 'y', s.panel ?? 0]), [['fd', 'y', 0], ['confidence', 'y', 1], ['diversity', 'y', 2]]);
  assert.deepEqual((await png(b['image/png'])).height, 480);
  // Two groups share one panel: the second on the right axis.
  const two = payload(await plotBundle({ fd: [[0, 300]], confidence: [[0, 0.5]] }));
  assert.deepEqual(two.series.map((s) => [s.axis ?? 'y', s.panel ?? 0]), [['y', 0], ['y2', 0]]);
  // Unknown series join the first group on their side.
  const mixed = payload(await plotBundle({ custom: [[0, 2]], lossD: [[0, 1]], dx: [[0, 0.5]] }));
  assert.deepEqual(mixed.series.map((s) => [s.name, s.axis ?? 'y', s.panel ?? 0]), [['custom', 'y', 0], ['Loss_D', 'y', 0], ['D(x)', 'y2', 0]]);
  // A single group on the right side is drawn on the left axis.
  const right = payload(await plotBundle({ dx: [[0, 0.5]], dgz1: [[0, 0.4]] }));
  assert.deepEqual(right.series.map((s) => s.axis ?? 'y'), ['y', 'y']);
});

test('stopped runs: the payload says stopped and final; bad combinations are rejected', async () => {
  const b = await plotBundle({ loss: [[0, 1], [1, 0.5]] }, { stopped: true });
  const p = payload(b);
  assert.equal(p.stopped, true);
  assert.equal(p.final, true);
  assert.match(b['text/plain'], /\(stopped\)/);
  assert.equal(payload(await plotBundle({ loss: [[0, 1]] }, { final: false })).stopped, undefined);
  assert.throws(() => plotBundle({ loss: [[0, 1]] }, { stopped: true, final: false }), /Expected false when final is false .* for stopped but received true/);
  assert.throws(() => plotBundle({ loss: [[0, 1]] }, { stopped: 'yes' as never }), /Expected boolean for stopped/);
});
