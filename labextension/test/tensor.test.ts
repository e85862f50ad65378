import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { colormapLut } from '../src/colormap';
import { TensorView, formatSlice, pixelAt, pixelIndex, previewZoom } from '../src/views/tensor';
import { PNG_1x1, countNodes, deps, heatmapPreview, makeWindow, tensorPayload } from './helpers';

function setup(opts: { canvas?: boolean } = { canvas: true }) {
  const w = makeWindow(opts);
  const d = deps(w.doc);
  const view = new TensorView(d);
  w.doc.body.appendChild(view.node);
  const q = (sel: string) => view.node.querySelector(sel) as HTMLElement;
  const texts = (sel: string) => Array.from(view.node.querySelectorAll(sel)).map(e => e.textContent);
  return { ...w, d, view, q, texts };
}

describe('tensor view: pure helpers', () => {
  test('previewZoom aims at ~320 px with an integer factor', () => {
    assert.equal(previewZoom(28, 28), 11);
    assert.equal(previewZoom(256, 128), 1);
    assert.equal(previewZoom(1, 1), 16);
  });
  test('formatSlice', () => {
    assert.equal(formatSlice([0, [0, 28, 1], [0, 28, 2], 3]), '[0, 0:28, 0:28:2, 3]');
  });
  test('pixelIndex maps preview pixels to tensor indices, honouring strides', () => {
    assert.deepEqual(pixelIndex([2, [0, 28, 1], [0, 28, 1], 0], 5, 7), [2, 5, 7, 0]);
    assert.deepEqual(pixelIndex([[10, 100, 3], [4, 64, 2]], 1, 2), [13, 8]);
    assert.deepEqual(pixelIndex([[0, 100, 1]], 0, 42), [42], 'a single previewed axis is the columns');
    assert.deepEqual(pixelIndex([[0, 32, 1], [0, 32, 1], [0, 3, 1]], 1, 2), [1, 2, ':'], 'channels of an image preview');
  });
  test('pixelAt', () => {
    assert.deepEqual(pixelAt(0, 0, 280, 280, 28, 28), [0, 0]);
    assert.deepEqual(pixelAt(279, 15, 280, 280, 28, 28), [1, 27]);
    assert.equal(pixelAt(-1, 0, 280, 280, 28, 28), null);
    assert.equal(pixelAt(10, 10, 0, 0, 28, 28), null);
  });
});

describe('tensor view: rendering', () => {
  test('header, stats, canvas and colour bar', async () => {
    const { view, q, texts, context } = setup();
    await view.render(tensorPayload({ stats: { min: -1, max: 1, mean: 0.01, std: 0.5, nanCount: 3, infCount: 0, size: 3136 } }));
    assert.equal(q('.gankit-tensor-name').textContent, 'fake');
    assert.equal(q('.gankit-tensor-shape').textContent, '[4, 28, 28, 1]');
    assert.equal(q('.gankit-tensor-dtype').textContent, 'float32');
    assert.deepEqual(texts('.gankit-stat-label'), ['min', 'max', 'mean', 'std', 'NaN', 'Inf', 'size']);
    assert.deepEqual(texts('.gankit-stat-value'), ['-1', '1', '0.01', '0.5', '3', '0', '3,136']);
    assert.ok(q('.gankit-stat-value:nth-child(2)'));
    const nan = view.node.querySelectorAll('.gankit-stat-value')[4];
    assert.ok(nan.classList.contains('gankit-warn'), 'a non-zero NaN count is highlighted');
    const canvas = view.canvas;
    assert.equal(canvas.width, 28);
    assert.equal(canvas.height, 28);
    assert.equal(canvas.style.width, `${28 * 11}px`);
    assert.ok(canvas.classList.contains('gankit-pixelated'));
    const ctx = context(canvas)!;
    assert.equal(ctx.puts.length, 1);
    // pixel 0 has value 0 = range min -> first viridis colour
    const lut = colormapLut('viridis');
    assert.deepEqual(Array.from(ctx.puts[0].data.slice(0, 4)), [lut[0], lut[1], lut[2], 255]);
    assert.ok(!q('.gankit-colorbar').hidden);
    assert.equal(q('.gankit-colorbar-lo').textContent, '0');
    assert.equal(q('.gankit-colorbar-hi').textContent, '0.9987', 'slice [0] (equal to the payload slice) is shown');
    assert.match(q('.gankit-note').textContent!, /showing \[0, 0:28, 0:28, 0\]; 28×28 px at 11×/);
  });

  test('colormap: default from settings, user choice redraws, settings follow until the user picks', async () => {
    const { view, d, q, context } = setup();
    d.settings.set({ ...d.settings.value, defaultColormap: 'magma' });
    await view.render(tensorPayload());
    const select = q('.gankit-cmap-select') as HTMLSelectElement;
    assert.equal(select.value, 'magma');
    assert.equal(view.colormap, 'magma');
    d.settings.set({ ...d.settings.value, defaultColormap: 'greys' });
    assert.equal(select.value, 'greys', 'settings change applies to views the user has not customised');
    const puts = context(view.canvas)!.puts;
    assert.equal(Array.from(puts[puts.length - 1].data.slice(0, 3)).join(), '0,0,0');
    select.value = 'inferno';
    select.dispatchEvent(new view.node.ownerDocument.defaultView!.Event('change'));
    assert.equal(view.colormap, 'inferno');
    d.settings.set({ ...d.settings.value, defaultColormap: 'plasma' });
    assert.equal(select.value, 'inferno', 'a user choice sticks');
  });

  test('slice buttons switch the preview and the choice survives live updates', async () => {
    const { view, q, win } = setup();
    await view.render(tensorPayload());
    const buttons = Array.from(view.node.querySelectorAll('.gankit-slice-buttons button')) as HTMLButtonElement[];
    assert.deepEqual(buttons.map(b => b.textContent), ['[0]', '[1]', '[2]', '[3]']);
    assert.equal(buttons[0].getAttribute('aria-pressed'), 'true', 'the slice equal to the payload slice is active');
    buttons[2].dispatchEvent(new win.MouseEvent('click', { bubbles: true }));
    assert.equal(view.active!.label, '[2]');
    assert.equal(buttons[2].getAttribute('aria-pressed'), 'true');
    assert.equal(buttons[0].getAttribute('aria-pressed'), 'false');
    assert.match(view.describePixel(0, 0), /^\[2, 0, 0, 0\] = 2$/);
    await view.render(tensorPayload());
    assert.equal(view.active!.label, '[2]', 'kept across updates');
    assert.ok(!q('.gankit-slices').hidden);
  });

  test('more than 12 slices use a select', async () => {
    const { view, q, win } = setup();
    const base = tensorPayload();
    const slices = Array.from({ length: 16 }, (_, b) => ({ ...base.slices![0], label: `item ${b}`, slice: [b, [0, 28, 1], [0, 28, 1], 0] as any }));
    await view.render({ ...base, shape: [16, 28, 28, 1], slices });
    const select = q('.gankit-slice-select') as HTMLSelectElement;
    assert.ok(!select.hidden);
    assert.ok(q('.gankit-slice-buttons').hidden);
    assert.equal(select.options.length, 16);
    select.value = '5';
    select.dispatchEvent(new win.Event('change'));
    assert.equal(view.active!.label, 'item 5');
  });

  test('hover shows index and value; NaN cells say so', async () => {
    const { view, q, win } = setup();
    const p = tensorPayload({ slices: undefined, preview: heatmapPreview(28, 28, i => (i === 30 ? null : i / 10)) });
    await view.render(p);
    assert.equal(view.describePixel(1, 2), '[0, 1, 2, 0] = NaN/Inf');
    assert.equal(view.describePixel(0, 5), '[0, 0, 5, 0] = 0.5');
    // pointer events: jsdom has no layout, so give the canvas a box
    view.canvas.getBoundingClientRect = () => ({ left: 10, top: 20, width: 280, height: 280, right: 290, bottom: 300, x: 10, y: 20, toJSON() {} }) as DOMRect;
    view.canvas.dispatchEvent(new win.MouseEvent('mousemove', { clientX: 10 + 55, clientY: 20 + 5 }));
    assert.equal(q('.gankit-readout').textContent, '[0, 0, 5, 0] = 0.5');
    // a live update keeps the readout on the hovered pixel, with the new value
    await view.render({ ...p, preview: heatmapPreview(28, 28, i => i) });
    assert.equal(q('.gankit-readout').textContent, '[0, 0, 5, 0] = 5');
    view.canvas.dispatchEvent(new win.MouseEvent('mouseleave'));
    assert.match(q('.gankit-readout').textContent!, /hover/);
    await view.render(p);
    assert.match(q('.gankit-readout').textContent!, /hover/);
  });

  test('image previews draw the PNG, hide the colormap and read pixels back', async () => {
    const { view, q, context } = setup();
    const p = tensorPayload({
      shape: [28, 28, 3],
      slice: [[0, 28, 1], [0, 28, 1], [0, 3, 1]],
      slices: undefined,
      preview: { kind: 'image', width: 28, height: 28, range: [0, 1], png: PNG_1x1, stride: [1, 1] }
    });
    await view.render(p);
    assert.ok(q('.gankit-cmap').hidden);
    assert.ok(q('.gankit-colorbar').hidden);
    assert.equal(context(view.canvas)!.puts.length, 0);
    assert.equal(view.describePixel(2, 3).split(' ')[0], '[2,');
    assert.match(view.describePixel(2, 3), /^\[2, 3, :\]/);
  });

  test('DOM stays bounded over 100 renderModel calls', async () => {
    const { view } = setup();
    await view.render(tensorPayload());
    const n0 = countNodes(view.node);
    for (let i = 0; i < 100; i++) {
      const p = tensorPayload({ name: `step ${i}`, stats: { min: -i, max: i, mean: 0, std: 1, nanCount: i % 3, infCount: 0, size: 3136 } });
      await view.render(i % 10 === 5 ? { broken: true } : p);
    }
    await view.render(tensorPayload());
    assert.equal(countNodes(view.node), n0);
  });

  test('bad payloads show a visible error, and a good one recovers', async () => {
    const { view, q } = setup();
    await view.render(tensorPayload());
    await view.render({ ...tensorPayload(), shape: 'big' });
    const err = q('.gankit-error');
    assert.ok(!err.hidden);
    assert.equal(err.getAttribute('role'), 'alert');
    assert.match(err.textContent!, /^Cannot display this gankit tensor: Expected array for shape but received "big" of type string$/);
    assert.ok(q('.gankit-body').hidden);
    await view.render(tensorPayload());
    assert.ok(err.hidden);
    assert.ok(!q('.gankit-body').hidden);
  });

  test('never throws, even without canvas support', async () => {
    const { view } = setup({ canvas: false });
    await view.render(tensorPayload());
    await view.render(undefined);
    await view.render('not json');
    await assert.rejects(view.toPng(), /nothing to export/);
  });

  test('payload text is shown as text, never parsed as HTML', async () => {
    const { view, q, doc } = setup();
    const evil = '<img src=x onerror="globalThis.pwned=1">';
    const base = tensorPayload();
    await view.render({ ...base, name: evil, dtype: '<b>f32</b>', slices: base.slices!.map(s => ({ ...s, label: evil })) });
    assert.equal(q('.gankit-tensor-name').textContent, evil);
    assert.equal(q('.gankit-tensor-dtype').textContent, '<b>f32</b>');
    assert.equal(view.node.querySelectorAll('img').length, 0);
    assert.equal(view.node.querySelectorAll('b').length, 0);
    assert.equal(doc.querySelectorAll('img').length, 0);
  });

  test('export composes the zoomed preview', async () => {
    const { view } = setup();
    await view.render(tensorPayload());
    assert.match(await view.toPng(), /^data:image\/png;base64,/);
  });

  test('dispose unregisters and stops listening to settings', async () => {
    const { view, d } = setup();
    await view.render(tensorPayload());
    assert.equal(d.registry.size, 1);
    const listeners = d.settings.listenerCount;
    view.dispose();
    assert.equal(d.registry.size, 0);
    assert.equal(d.settings.listenerCount, listeners - 1);
  });
});
