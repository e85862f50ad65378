/**
 * The latent explorer: payload validation and limits, the guarded deserialisation, the latent
 * arithmetic, latest-wins scheduling, and the view driven with the real shipped generators on tfjs'
 * cpu backend (jsdom with a recording fake canvas).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { EXPLORER_LAYER_CLASSES, EXPLORER_LIMITS, EXPLORER_MIME, type ExplorerPayload } from '../src/contract';
import { LiveGenerator } from '../src/explorer/generator';
import { subPixelFilter } from '../src/explorer/transposed-conv';
import { blendAnchors, copyZCode, currentPoint, interpolate, neighbourOffsets, sampleBatch, truncate, type ExplorerState } from '../src/explorer/latent';
import { LatestWins } from '../src/explorer/schedule';
import { GUARD_CLASS, guardTopology, INITIALIZER_KEYS, validateExplorer } from '../src/explorer/validate';
import { loadTfjs as load } from '../src/tfjs';
import { PayloadError } from '../src/validate';
import { ExplorerView, MIME_TYPES, createView, makeDeps } from '../src/views';
import { deps, makeWindow } from './helpers';

/** Node has no WebGL and the wasm binaries are browser assets here: webgl is passed over, cpu runs. */
const loadTfjs = () => load(['webgl', 'cpu']);
const MODELS = join(__dirname, '..', '..', 'models', 'pretrained');

/** A payload from a shipped generator: its model.json and weights.bin are already the tfjs layers format. */
function pretrained(name: string, extra: Partial<ExplorerPayload> = {}): ExplorerPayload {
  const json = JSON.parse(readFileSync(join(MODELS, name, 'model.json'), 'utf8'));
  const weights = readFileSync(join(MODELS, name, 'weights.bin')).toString('base64');
  const rand = (seed: number) => Array.from({ length: 100 }, (_, i) => Math.sin(seed * 997 + i * 13.1) * 1.3);
  const conditional = json.modelTopology.config.input_layers.length === 2;
  return {
    version: 1,
    model: { topology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weights },
    latentDim: 100,
    image: { width: 28, height: 28, channels: 1, range: [-1, 1] },
    anchors: [1, 2, 3, 4].map(rand),
    seed: 0,
    directions: [Array.from({ length: 100 }, (_, i) => (i === 0 ? 1 : 0)), Array.from({ length: 100 }, (_, i) => (i === 1 ? 1 : 0))],
    ...(conditional ? { classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], label: 0 } : {}),
    samples: 16,
    spread: 0.35,
    truncation: null,
    interpolation: 'spherical',
    generatorName: 'G',
    ...extra
  };
}

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
type Topology = { class_name: string; config: { layers: { class_name: string; name: string; config: Record<string, unknown> }[] } };
const layersOf = (p: ExplorerPayload) => (p.model.topology as unknown as Topology).config.layers;

function rejects(p: unknown, re: RegExp): void {
  assert.throws(() => validateExplorer(p), (e: unknown) => e instanceof PayloadError && re.test(e.message), re.source);
}

describe('explorer payload: validation and limits', () => {
  test('the shipped generators pass; the result keeps every field', () => {
    for (const name of ['mnist-dcgan', 'fashion-mnist-dcgan', 'mnist-conditional']) {
      const p = validateExplorer(pretrained(name, { title: name }));
      assert.equal(p.title, name);
      assert.equal(p.model.weightSpecs.length > 5, true);
      assert.equal(p.anchors.length, 4);
    }
    assert.deepEqual(validateExplorer(pretrained('mnist-conditional', { label: 7 })).label, 7);
  });

  test('every allowed layer class has its initializer keys listed (the guard replaces all of them)', () => {
    assert.deepEqual(Object.keys(INITIALIZER_KEYS).sort(), [...EXPLORER_LAYER_CLASSES].sort());
  });

  test('structure, ranges and sizes: each problem names the field', () => {
    const p = pretrained('mnist-dcgan');
    rejects({ ...p, version: 2 }, /version 1 .* for version but received 2/);
    rejects({ ...p, latentDim: 5000 }, /integer in \[1, 1024\] for latentDim/);
    rejects({ ...p, anchors: p.anchors.slice(0, 3) }, /array of 4 to 4 vectors for anchors/);
    rejects({ ...p, anchors: [p.anchors[0].slice(1), ...p.anchors.slice(1)] }, /latentDim = 100 numbers for anchors\[0\]/);
    rejects({ ...p, anchors: [[...p.anchors[0].slice(1), 'x'], ...p.anchors.slice(1)] }, /finite number for anchors\[0\]\[99\]/);
    rejects({ ...p, directions: Array(9).fill(p.directions[0]) }, /array of at most 8 items for directions/);
    rejects({ ...p, samples: 65 }, /integer in \[1, 64\] for samples/);
    rejects({ ...p, spread: 3 }, /number in \[0, 2\] for spread/);
    rejects({ ...p, truncation: 0 }, /number in \(0, 4\] or null for truncation/);
    rejects({ ...p, interpolation: 'cubic' }, /"spherical" or "linear" for interpolation/);
    rejects({ ...p, image: { ...p.image, channels: 2 } }, /1, 3 or 4 for image.channels/);
    rejects({ ...p, image: { ...p.image, width: 1000 } }, /integer in \[1, 256\] for image.width/);
    rejects({ ...p, image: { ...p.image, range: [1, -1] } }, /low < high for image.range/);
    rejects({ ...p, generatorName: 'G; alert(1)' }, /JavaScript identifier for generatorName/);
    rejects({ ...p, classes: [] }, /non-empty array of class names for classes/);
    rejects({ ...p, classes: ['a', 'b'], label: 2 }, /integer class index in \[0, 1\] for label/);
    rejects({ ...p, classes: Array(1001).fill('x') }, /array of at most 1000 items for classes/);
  });

  test('weights: float32 only, bounded per tensor and in total, base64 of exactly the declared bytes', () => {
    const p = pretrained('mnist-dcgan');
    const specs = (f: (s: ExplorerPayload['model']['weightSpecs']) => unknown) => {
      const q = clone(p);
      (q.model as { weightSpecs: unknown }).weightSpecs = f(q.model.weightSpecs);
      return q;
    };
    rejects(specs(s => s.map((w, i) => (i === 0 ? { ...w, dtype: 'int32' } : w))), /"float32" for model.weightSpecs\[0\].dtype/);
    rejects(specs(s => s.map((w, i) => (i === 0 ? { ...w, shape: [2048, 2049] } : w))), /weight model.weightSpecs\[0\] has 4196352 elements, the limit is 4194304/);
    rejects(specs(s => [...s, ...Array(5).fill({ name: 'x', shape: [1024, 1024], dtype: 'float32' })]), /Generator too large: \d+ bytes of weights, the limit is 16777216/);
    rejects(specs(s => Array(257).fill(s[1])), /array of at most 256 items for model.weightSpecs/);
    rejects({ ...p, model: { ...p.model, weights: p.model.weights.slice(8) } }, /base64 of 1389056 bytes .* for model.weights/);
    rejects({ ...p, model: { ...p.model, weights: '!' + p.model.weights.slice(1) } }, /for model.weights/);
  });

  test('topology: allowed layer classes only, bounded layer count and size, plain data, known activations', () => {
    const p = pretrained('mnist-dcgan');
    const withLayers = (f: (l: ReturnType<typeof layersOf>) => unknown) => {
      const q = clone(p);
      (q.model.topology as unknown as { config: { layers: unknown } }).config.layers = f(layersOf(q));
      return q;
    };
    rejects(withLayers(l => l.map((x, i) => (i === 1 ? { ...x, class_name: 'Lambda' } : x))), /an allowed layer class .* for model.topology.config.layers\[1\].class_name but received "Lambda"/);
    rejects(withLayers(l => l.map((x, i) => (i === 1 ? { ...x, class_name: 'GankitSampleNorm' } : x))), /allowed layer class/);
    rejects(withLayers(l => [...l, ...Array(EXPLORER_LIMITS.layers).fill(l[9])]), /array of at most 64 items for model.topology.config.layers/);
    rejects(withLayers(l => l.map((x, i) => (i === 9 ? { ...x, config: { ...x.config, activation: 'fetch' } } : x))), /an activation name .* for model.topology.config.layers\[9\].config.activation/);
    rejects(
      withLayers(l => l.map((x, i) => (i === 2 ? { ...x, config: { ...x.config, data_format: { class_name: 'Conv2D', config: {} } } } : x))),
      /plain configuration data \(no nested class\) for model.topology.config.layers\[2\].config.data_format/
    );
    rejects(withLayers(l => l.map((x, i) => (i === 2 ? { ...x, config: { ...x.config, filters: 1e12 } } : x))), /magnitude <= 1e9/);
    rejects({ ...p, model: { ...p.model, topology: { ...p.model.topology, class_name: 'Function' } } }, /"Model", "Functional" or "Sequential"/);
    const huge = clone(p);
    layersOf(huge)[0].config.padding = 'x'.repeat(EXPLORER_LIMITS.topologyChars);
    rejects(huge, /topology has \d+ characters of JSON, the limit is 262144/);
  });

  test('guardTopology puts the guard in every initializer and drops regularizers and constraints', () => {
    const p = pretrained('mnist-dcgan');
    const q = clone(p);
    layersOf(q)[2].config.kernel_regularizer = { class_name: 'L1L2', config: { l1: 1 } };
    const g = guardTopology(q.model.topology, 42) as unknown as Topology;
    const conv = g.config.layers[2].config;
    assert.deepEqual(conv.kernel_initializer, { class_name: GUARD_CLASS, config: { load: 42 } });
    assert.deepEqual(conv.bias_initializer, { class_name: GUARD_CLASS, config: { load: 42 } });
    assert.equal('kernel_regularizer' in conv, false);
    const bn = g.config.layers[3].config;
    for (const k of INITIALIZER_KEYS.BatchNormalization) assert.equal((bn[k] as { class_name: string }).class_name, GUARD_CLASS, k);
  });
});

describe('explorer: the generator in tfjs (cpu backend)', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  test('the shipped generator builds through the guard, loads its weights, and makes 16 images in [0, 255]', async () => {
    const p = validateExplorer(pretrained('mnist-dcgan'));
    const before = tf.memory().numTensors;
    const g = await LiveGenerator.create(tf, p);
    const z = new Float32Array(16 * 100).map((_, i) => Math.sin(i));
    const out = await g.grid(z, 16, null, 4);
    assert.deepEqual([out.width, out.height], [4 * 29 - 1, 4 * 29 - 1]);
    assert.equal(out.rgba.length, out.width * out.height * 4);
    const grey = Array.from({ length: out.width * out.height }, (_, i) => out.rgba[i * 4]);
    assert.ok(Math.max(...grey) > 200 && Math.min(...grey) < 30, 'digit strokes and background');
    g.dispose();
    assert.equal(tf.memory().numTensors, before, 'no tensors left after dispose');
  });

  test('rerouted transposed convolutions (matmul, sub-pixel conv + depthToSpace) give the same images', async () => {
    for (const name of ['mnist-dcgan', 'mnist-conditional']) {
      const p = validateExplorer(pretrained(name));
      const before = tf.memory().numTensors;
      const [plain, fast] = [await LiveGenerator.create(tf, p, false), await LiveGenerator.create(tf, p, true)];
      const z = new Float32Array(16 * 100).map((_, i) => Math.sin(i * 0.7) * 1.5);
      const [a, b] = [await plain.grid(z, 16, p.classes ? 3 : null, 4), await fast.grid(z, 16, p.classes ? 3 : null, 4)];
      const diff = Math.max(...Array.from(a.rgba, (v, i) => Math.abs(v - b.rgba[i])));
      assert.ok(diff <= 1, `${name}: pixels differ by up to ${diff}`);
      assert.ok(Math.max(...a.rgba.filter((_, i) => i % 4 === 0)) > 200, 'real images, not blank');
      plain.dispose();
      fast.dispose();
      assert.equal(tf.memory().numTensors, before, 'the rearranged filters are freed with the generator');
    }
  });

  test('the sub-pixel filter matches tf.conv2dTranspose for other strides and kernel sizes', () => {
    for (const [h, cin, cout, k, s] of [[5, 3, 2, 5, 2], [4, 3, 2, 3, 3], [6, 2, 3, 3, 1], [3, 2, 2, 4, 2]] as const) {
      const x = tf.randomNormal([2, h, h, cin], 0, 1, 'float32', h) as import('@tensorflow/tfjs').Tensor4D;
      const w = tf.randomNormal([k, k, cout, cin], 0, 1, 'float32', k) as import('@tensorflow/tfjs').Tensor4D;
      const out = h * s;
      const pt = Math.floor(Math.max(0, (Math.ceil(out / s) - 1) * s + k - out) / 2);
      const f = subPixelFilter(w.dataSync() as Float32Array, w.shape, [s, s], [pt, pt]);
      const diff = tf.tidy(() => {
        const ref = tf.conv2dTranspose(x, w, [2, out, out, cout], s, 'same');
        let y = tf.conv2d(tf.pad(x, [[0, 0], f.pads[0], f.pads[1], [0, 0]]) as typeof x, tf.tensor4d(f.values, f.shape), 1, 'valid');
        if (s > 1) y = tf.depthToSpace(y, s);
        return [tf.max(tf.abs(tf.sub(ref, y))).dataSync()[0], tf.max(tf.abs(ref)).dataSync()[0]];
      });
      assert.ok(diff[0] < 1e-4 && diff[1] > 0.1, `h ${h} k ${k} s ${s}: max diff ${diff[0]} (max |y| ${diff[1]})`);
      tf.dispose([x, w]);
    }
  });

  test('a topology that declares more weight than the payload carries fails before allocating it', async () => {
    const p = validateExplorer(pretrained('mnist-dcgan'));
    const q = clone(p);
    // 7x7x4096x100 conv kernel: 20 M elements, far beyond the payload's 347 k.
    layersOf(q)[2].config.filters = 4096;
    const bytesBefore = tf.memory().numBytes;
    await assert.rejects(LiveGenerator.create(tf, q), (e: unknown) => e instanceof PayloadError && /declares a weight of shape \[7, 7, 4096, 100\], beyond the weights the payload carries/.test(e.message));
    assert.ok(tf.memory().numBytes - bytesBefore < 4 * 1024 * 1024, 'the large weight was never allocated');
  });

  test('weights that do not fit the topology, and a different interface, are errors', async () => {
    const p = validateExplorer(pretrained('mnist-dcgan'));
    const renamed = clone(p);
    renamed.model.weightSpecs[0].name = 'other/kernel';
    await assert.rejects(LiveGenerator.create(tf, renamed), /other\/kernel|g_project\/kernel/);
    await assert.rejects(LiveGenerator.create(tf, { ...p, latentDim: 50, anchors: p.anchors.map(a => a.slice(0, 50)) }), /Expected generator inputs \[\[null, 50\]\]/);
    await assert.rejects(LiveGenerator.create(tf, { ...p, image: { ...p.image, width: 32 } }), /Expected generator output \[\[null, 28, 32, 1\]\]/);
  });
});

describe('explorer: latent arithmetic', () => {
  const a = Float64Array.from({ length: 100 }, (_, i) => Math.sin(i) * 1.4);
  const b = Float64Array.from({ length: 100 }, (_, i) => Math.cos(i * 3) * 1.4);
  const norm = (v: Float64Array) => Math.hypot(...v);

  test('slerp keeps the norm along the path, lerp dips in the middle; the ends are the anchors', () => {
    const mid = interpolate(a, b, 0.5, 'spherical');
    assert.ok(Math.abs(norm(mid) - (norm(a) + norm(b)) / 2) < 0.5, `${norm(mid)}`);
    assert.ok(norm(interpolate(a, b, 0.5, 'linear')) < norm(mid) - 1);
    const corners = [a, b, b.map(x => -x), a.map(x => x / 2)];
    assert.deepEqual(Array.from(blendAnchors(corners, 0, 0, 'spherical')).map(x => +x.toFixed(9)), Array.from(a).map(x => +x.toFixed(9)));
    assert.deepEqual(Array.from(blendAnchors(corners, 1, 1, 'linear')), Array.from(corners[3]));
  });

  test('directions move the point, truncation clips it, the neighbourhood is fixed and starts at the point', () => {
    const s: ExplorerState = { u: 0, v: 0, sliders: [2], truncation: null, spread: 0.5, interpolation: 'linear', label: null, seed: 0 };
    const d = Float64Array.from({ length: 100 }, (_, i) => (i === 3 ? 1 : 0));
    const z = currentPoint([a, a, a, a], [d], s);
    assert.ok(Math.abs(z[3] - (a[3] + 2)) < 1e-12);
    assert.deepEqual(Array.from(truncate(Float64Array.from([-3, 0.5, 2]), 1)), [-1, 0.5, 1]);
    const o1 = neighbourOffsets(16, 100, 5);
    assert.deepEqual(o1, neighbourOffsets(16, 100, 5), 'deterministic');
    assert.ok(o1[0].every(x => x === 0), 'sample 0 is the point itself');
    const sd = Math.sqrt(o1.slice(1).flatMap(o => Array.from(o)).reduce((acc, x) => acc + x * x, 0) / 1500);
    assert.ok(sd > 0.9 && sd < 1.1, `N(0, 1) offsets, sd ${sd}`);
    const batch = sampleBatch(z, o1, 0.5, 1);
    assert.equal(batch.length, 1600);
    assert.ok(batch.every(x => Math.abs(x) <= 1));
  });

  test('copy z writes TypeScript for the next cell: the 100 numbers, the class, the range', () => {
    const s: ExplorerState = { u: 0.25, v: 0.5, sliders: [0.5, -1], truncation: 2, spread: 0.3, interpolation: 'spherical', label: 3, seed: 7 };
    const code = copyZCode(a, s, { generatorName: 'C', classes: ['0', '1', '2', 'three'], image: { width: 28, height: 28, channels: 1, range: [-1, 1] } });
    assert.match(code, /^\/\/ gankit latent explorer: anchors seed 7, pad \(0.25, 0.50\) spherical, directions \[0.50, -1.00\], truncation 2.00, class 3 \("three"\)\n/);
    assert.match(code, /\nshowImages\(generate\(C, z, 3\), \{ range: '-1-1' \}\);$/);
    const numbers = code.slice(code.indexOf('[[') + 2, code.indexOf(']]')).split(',').map(x => x.trim()).filter(Boolean).map(Number);
    assert.equal(numbers.length, 100);
    assert.ok(numbers.every((x, i) => Math.abs(x - a[i]) < 1e-4));
  });
});

describe('explorer: latest-wins scheduling', () => {
  test('requests during a frame collapse into one next frame; nothing queues up', async () => {
    const pending: (() => void)[] = [];
    const clock = { request: (cb: () => void) => pending.push(cb), cancel: () => undefined };
    let release: () => void = () => undefined;
    let runs = 0;
    const s = new LatestWins(clock, () => { runs++; return new Promise<void>(r => (release = r)); }, e => assert.fail(String(e)));
    for (let i = 0; i < 10; i++) s.request();
    assert.equal(pending.length, 1, 'one animation frame requested for 10 inputs');
    pending.shift()!();
    assert.equal(runs, 1);
    for (let i = 0; i < 50; i++) s.request();
    assert.equal(pending.length, 0, 'nothing scheduled while a frame computes');
    release();
    await new Promise(r => setTimeout(r, 0));
    assert.equal(pending.length, 1, 'exactly one follow-up frame');
    pending.shift()!();
    release();
    await new Promise(r => setTimeout(r, 0));
    assert.equal(runs, 2);
    assert.equal(pending.length, 0);
    s.dispose();
    s.request();
    assert.equal(pending.length, 0, 'a disposed scheduler starts nothing');
    assert.equal(s.busy, false);
  });
});

describe('explorer view (jsdom, real tfjs on the cpu backend)', () => {
  let win: ReturnType<typeof makeWindow>;
  before(() => {
    win = makeWindow({ canvas: true });
    // The fake context records pixels; the pad's drawing calls are no-ops here.
    const proto = win.win.HTMLCanvasElement.prototype as unknown as { getContext: (this: HTMLCanvasElement) => Record<string, unknown> };
    const inner = proto.getContext;
    proto.getContext = function (this: HTMLCanvasElement) {
      const ctx = inner.call(this);
      for (const k of ['beginPath', 'moveTo', 'lineTo', 'stroke', 'strokeRect', 'arc', 'fill']) ctx[k] ??= () => undefined;
      return ctx;
    };
  });
  after(() => win.win.close());

  async function setup(name: string, extra: Partial<ExplorerPayload> = {}) {
    const d = deps(win.doc, { loadTfjs });
    const view = new ExplorerView(d);
    win.doc.body.appendChild(view.node);
    const frames: number[] = [];
    view.node.addEventListener('gankit-explorer-frame', e => frames.push((e as CustomEvent<{ frame: number }>).detail.frame));
    const nextFrame = async (after: number) => {
      for (let i = 0; i < 2000 && frames.length <= after; i++) await new Promise(r => setTimeout(r, 5));
      assert.ok(frames.length > after, 'a new frame was drawn');
    };
    const pixels = () => {
      const puts = win.context(view.node.querySelector('.gankit-explorer-samples') as HTMLCanvasElement)!.puts;
      return puts[puts.length - 1].data;
    };
    await view.render(pretrained(name, extra));
    await nextFrame(0);
    return { view, d, frames, nextFrame, pixels, q: (sel: string) => view.node.querySelector(sel) as HTMLElement };
  }

  test('a view for its MIME type (renderer.test.ts checks the safe, ranked rendermime entry)', () => {
    assert.ok((MIME_TYPES as readonly string[]).includes(EXPLORER_MIME));
    assert.ok(createView(EXPLORER_MIME, makeDeps(win.doc)) instanceof ExplorerView);
  });

  test('drag the pad, move a slider, truncate: each draws new pixels; copy z; dispose frees the model', async () => {
    const before = (await loadTfjs()).tf.memory().numTensors;
    const { view, frames, nextFrame, pixels, q } = await setup('mnist-dcgan');
    assert.equal(view.node.getAttribute('data-frames'), '1');
    assert.match(q('.gankit-explorer-status').textContent!, /^cpu \(webgl: .*\) · 16 samples · \d+ ms to the last frame$/);
    const first = pixels();
    const pad = q('.gankit-explorer-pad');
    pad.dispatchEvent(new win.win.MouseEvent('pointerdown', { clientX: 10, clientY: 10 }));
    for (let x = 12; x < 200; x += 4) pad.dispatchEvent(new win.win.MouseEvent('pointermove', { clientX: x, clientY: 20 }));
    pad.dispatchEvent(new win.win.MouseEvent('pointerup', {}));
    await nextFrame(1);
    await new Promise(r => setTimeout(r, 50));
    await nextFrame(frames.length - 1).catch(() => undefined);
    assert.ok(frames.length <= 4, `48 pointer moves drew ${frames.length} frames, not one each`);
    const dragged = pixels();
    assert.notDeepEqual(dragged, first, 'dragging changed the samples');
    assert.ok(view.currentZ()![0] !== 0);
    const slider = q('.gankit-explorer-direction') as HTMLInputElement;
    slider.value = '3';
    slider.dispatchEvent(new win.win.Event('input'));
    const n = frames.length;
    await nextFrame(n);
    assert.notDeepEqual(pixels(), dragged, 'the slider changed the samples');
    const code = view.copyCode();
    assert.match(code, /directions \[3.00, 0.00\], truncation off/);
    assert.match(code, /showImages\(generate\(G, z\), \{ range: '-1-1' \}\);/);
    (q('.gankit-explorer-copy') as HTMLButtonElement).click();
    await new Promise(r => setTimeout(r, 10));
    const text = q('.gankit-explorer-code') as HTMLTextAreaElement;
    assert.equal(text.value, code);
    assert.match(q('.gankit-explorer-note').textContent!, /copied z|clipboard unavailable/);
    view.dispose();
    assert.equal((await loadTfjs()).tf.memory().numTensors, before, 'the model and every tensor are freed with the output');
  });

  test('conditional generator: picking a class redraws; an invalid payload shows an error and runs nothing', async () => {
    const { view, frames, nextFrame, pixels, q } = await setup('mnist-conditional', { label: 1 });
    const select = q('.gankit-explorer-class') as HTMLSelectElement;
    assert.equal(select.options.length, 10);
    assert.equal(select.value, '1');
    const ones = pixels();
    select.value = '8';
    select.dispatchEvent(new win.win.Event('change'));
    await nextFrame(frames.length);
    assert.notDeepEqual(pixels(), ones);
    assert.match(view.copyCode(), /class 8 \("8"\)/);
    const bad = pretrained('mnist-dcgan');
    layersOf(bad)[1].class_name = 'Lambda';
    await view.render(bad);
    assert.match(q('.gankit-error').textContent!, /Cannot display this gankit latent explorer: Expected an allowed layer class/);
    view.dispose();
  });
});
