/** Shared fixtures for the jsdom tests: a window, fake canvas, injected deps, payload builders. */
import { JSDOM, VirtualConsole } from 'jsdom';
import type { ImagesPayload, PlotPayload, TensorPayload } from '../src/contract';
import type { PlotlyLike } from '../src/plotly';
import { DEFAULT_SETTINGS, Observable, ViewRegistry, type GankitSettings } from '../src/settings';
import type { ViewDeps } from '../src/views/base';

/** A valid 1x1 PNG. */
export const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

export interface FakeContext {
  puts: { data: Uint8ClampedArray; w: number; h: number }[];
  draws: number;
  createImageData(w: number, h: number): { data: Uint8ClampedArray; width: number; height: number };
  putImageData(img: { data: Uint8ClampedArray; width: number; height: number }): void;
  getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  drawImage(): void;
  clearRect(): void;
  fillRect(): void;
  imageSmoothingEnabled: boolean;
  fillStyle: string;
}

/** A jsdom window; with `canvas`, canvases get a recording fake 2D context. */
export function makeWindow(options: { canvas?: boolean; dark?: boolean } = {}) {
  const vc = new VirtualConsole();
  vc.on('jsdomError', e => {
    if (!/Not implemented/.test(e.message)) {
      console.error(e);
    }
  });
  const jsdom = new JSDOM(`<!doctype html><html><body data-jp-theme-light="${options.dark ? 'false' : 'true'}"></body></html>`, {
    pretendToBeVisual: true,
    virtualConsole: vc
  });
  const win = jsdom.window;
  const contexts = new WeakMap<object, FakeContext>();
  if (options.canvas) {
    const proto = win.HTMLCanvasElement.prototype as unknown as Record<string, unknown>;
    proto.getContext = function (this: HTMLCanvasElement) {
      let ctx = contexts.get(this);
      if (!ctx) {
        const last: { data: Uint8ClampedArray; w: number } = { data: new Uint8ClampedArray(0), w: 0 };
        ctx = {
          puts: [],
          draws: 0,
          imageSmoothingEnabled: true,
          fillStyle: '',
          createImageData: (w, h) => ({ data: new Uint8ClampedArray(w * h * 4), width: w, height: h }),
          putImageData(img) {
            this.puts.push({ data: img.data.slice(), w: img.width, h: img.height });
            last.data = img.data.slice();
            last.w = img.width;
          },
          getImageData: (x, y) => ({ data: last.data.slice((y * last.w + x) * 4, (y * last.w + x) * 4 + 4) }),
          drawImage() {
            this.draws++;
          },
          clearRect() {},
          fillRect() {}
        };
        contexts.set(this, ctx);
      }
      return ctx;
    };
    proto.toDataURL = () => `data:image/png;base64,${PNG_1x1}`;
  }
  return { win, doc: win.document, context: (c: HTMLCanvasElement) => contexts.get(c) };
}

export interface StubPlotly extends PlotlyLike {
  calls: { data: Record<string, unknown>[]; layout: Record<string, unknown>; config?: object }[];
  purged: number;
  resized: number;
}

export function stubPlotly(): StubPlotly {
  const s: StubPlotly = {
    calls: [],
    purged: 0,
    resized: 0,
    react(_el, data, layout, config) {
      s.calls.push({ data: data as Record<string, unknown>[], layout: layout as Record<string, unknown>, config });
      return Promise.resolve();
    },
    purge() {
      s.purged++;
    },
    toImage: () => Promise.resolve(`data:image/png;base64,${PNG_1x1}`),
    Plots: {
      resize() {
        s.resized++;
        return Promise.resolve();
      }
    }
  };
  return s;
}

/** Fresh, isolated deps for one view. */
export function deps(doc: Document, overrides: Partial<ViewDeps> = {}): ViewDeps & { settings: Observable<GankitSettings> } {
  return {
    doc,
    settings: new Observable<GankitSettings>({ ...DEFAULT_SETTINGS }),
    registry: new ViewRegistry(),
    themeChanged: new Observable(0),
    loadPlotly: () => Promise.reject(new Error('no plotly in this test')),
    loadTfjs: () => Promise.reject(new Error('no tfjs in this test')),
    ...overrides
  } as ViewDeps & { settings: Observable<GankitSettings> };
}

type Slice = TensorPayload['slice'];

export function heatmapPreview(w: number, h: number, f: (i: number) => number | null = i => i): TensorPayload['preview'] {
  const values = Array.from({ length: w * h }, (_, i) => f(i));
  const finite = values.filter((v): v is number => v !== null);
  return {
    kind: 'heatmap',
    width: w,
    height: h,
    values,
    range: [Math.min(...finite), Math.max(...finite)],
    png: PNG_1x1,
    stride: [1, 1]
  };
}

/** A [4, 28, 28, 1] batch shown as 28x28 heatmaps, with one alternative slice per item. */
export function tensorPayload(overrides: Partial<TensorPayload> = {}): TensorPayload {
  const slice = (b: number): Slice => [b, [0, 28, 1], [0, 28, 1], 0];
  return {
    version: 1,
    shape: [4, 28, 28, 1],
    dtype: 'float32',
    name: 'fake',
    stats: { min: -1, max: 1, mean: 0.01, std: 0.5, nanCount: 0, infCount: 0, size: 4 * 28 * 28 },
    preview: heatmapPreview(28, 28, i => (i % 28) / 27),
    slice: slice(0),
    slices: [0, 1, 2, 3].map(b => ({ label: `[${b}]`, slice: slice(b), preview: heatmapPreview(28, 28, i => b + i / 784) })),
    ...overrides
  };
}

export function imagesPayload(n = 16, overrides: Partial<ImagesPayload> = {}): ImagesPayload {
  return {
    version: 1,
    images: Array.from({ length: n }, (_, i) => ({ png: PNG_1x1, width: 28, height: 28, caption: `digit ${i % 10}` })),
    nrow: 8,
    padding: 2,
    padValue: 0,
    total: n,
    ...overrides
  };
}

export function plotPayload(steps = 50, overrides: Partial<PlotPayload> = {}): PlotPayload {
  const pts = (f: (s: number) => number): [number, number][] => Array.from({ length: steps }, (_, s) => [s, f(s)]);
  return {
    version: 1,
    title: 'DCGAN losses',
    xLabel: 'iteration',
    yLabel: 'loss',
    series: [
      { name: 'Loss_D', points: pts(s => 1.4 / (1 + s / 10) + 0.1 * Math.sin(s)) },
      { name: 'Loss_G', points: pts(s => 2 + 0.3 * Math.cos(s)) }
    ],
    maxPoints: 1000,
    scale: 'linear',
    final: false,
    ...overrides
  };
}

/** Number of elements under `node` (including itself). */
export function countNodes(node: Element): number {
  return node.querySelectorAll('*').length + 1;
}

export const tick = () => new Promise(r => setTimeout(r, 0));
