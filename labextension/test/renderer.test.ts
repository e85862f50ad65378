/**
 * The JupyterLab-facing layer: the rendermime extension metadata and the Lumino widget, run in
 * jsdom with the page globals Lumino expects.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EXPLORER_MIME, IMAGES_MIME, PLOT_MIME, TENSOR_MIME } from '../src/contract';
import { countNodes, imagesPayload, makeWindow, plotPayload, stubPlotly, tensorPayload } from './helpers';

type Mod = typeof import('../src/renderer');
type MimeMod = typeof import('../src/mime');
let renderer: Mod;
let mime: MimeMod;
let Widget: typeof import('@lumino/widgets').Widget;
const saved: Record<string, unknown> = {};
const added: string[] = [];
const { win, doc } = makeWindow({ canvas: true });

before(async () => {
  // Lumino expects a browser: expose the jsdom window's globals that node lacks.
  const g = globalThis as Record<string, unknown>;
  const w = win as unknown as Record<string, unknown>;
  if (!w.DragEvent) {
    w.DragEvent = class DragEvent extends win.MouseEvent {};
  }
  for (const k of [...Object.getOwnPropertyNames(win), 'DragEvent', 'window', 'document', 'navigator']) {
    if (!(k in g) || ['window', 'document', 'navigator'].includes(k)) {
      let value: unknown;
      try {
        value = k === 'window' ? win : w[k];
      } catch {
        continue; // e.g. localStorage, which jsdom refuses for opaque origins
      }
      added.push(k);
      saved[k] = g[k];
      Object.defineProperty(g, k, { value, configurable: true, writable: true });
    }
  }
  renderer = await import('../src/renderer');
  mime = await import('../src/mime');
  Widget = (await import('@lumino/widgets')).Widget;
});

after(() => {
  for (const k of added) {
    if (saved[k] === undefined) {
      delete (globalThis as Record<string, unknown>)[k];
    } else {
      Object.defineProperty(globalThis, k, { value: saved[k], configurable: true, writable: true });
    }
  }
});

const model = (mimeType: string, data: unknown) => ({ data: { [mimeType]: data }, metadata: {}, trusted: false, setData() {} }) as any;

describe('rendermime extension', () => {
  test('one safe renderer per gankit MIME type, ranked above image/png', () => {
    const exts = mime.default;
    assert.equal(exts.length, 4);
    assert.deepEqual(exts.map(e => e.rendererFactory.mimeTypes[0]), [TENSOR_MIME, IMAGES_MIME, PLOT_MIME, EXPLORER_MIME]);
    for (const e of exts) {
      assert.equal(e.rendererFactory.safe, true);
      assert.ok(e.rank! < 50 && e.rendererFactory.defaultRank! < 50);
      assert.equal(e.dataType, 'json');
      assert.match(e.id, /^gankit-labextension:/);
    }
  });
});

describe('GankitRenderer widget', () => {
  for (const [mimeType, make] of [
    [TENSOR_MIME, () => tensorPayload()],
    [IMAGES_MIME, () => imagesPayload(16)],
    [PLOT_MIME, () => plotPayload(20)]
  ] as const) {
    test(`${mimeType.split('.')[2]}: 100 renderModel calls keep the DOM bounded`, async () => {
      const plotly = stubPlotly();
      const w = new renderer.GankitRenderer({ mimeType, sanitizer: {} as any, resolver: null, linkHandler: null, latexTypesetter: null } as any, {
        loadPlotly: () => Promise.resolve(plotly)
      });
      Widget.attach(w, doc.body);
      await w.renderModel(model(mimeType, make()));
      const n0 = countNodes(w.node);
      assert.ok(w.node.querySelector('.gankit-view'));
      for (let i = 0; i < 100; i++) {
        await w.renderModel(model(mimeType, i % 10 === 7 ? { nonsense: i } : make()));
      }
      await w.renderModel(model(mimeType, make()));
      assert.equal(countNodes(w.node), n0);
      assert.equal(w.node.querySelectorAll('.gankit-view').length, 1);
      if (mimeType === PLOT_MIME) {
        assert.ok(plotly.calls.length >= 90);
      }
      w.dispose();
      assert.equal(doc.body.querySelector('.gankit-view'), null);
    });
  }

  test('a bad payload renders a visible error instead of throwing', async () => {
    const w = new renderer.GankitRenderer({ mimeType: TENSOR_MIME } as any);
    Widget.attach(w, doc.body);
    await w.renderModel(model(TENSOR_MIME, { version: 1, shape: [2], dtype: 'float32' }));
    const err = w.node.querySelector('.gankit-error') as HTMLElement;
    assert.equal(err.hidden, false);
    assert.match(err.textContent!, /Expected object for stats but received undefined/);
    w.dispose();
  });
});
