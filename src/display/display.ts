/**
 * display(), live display handles and show* shortcuts. In the gankit kernel they send Jupyter
 * display_data / update_display_data messages; elsewhere display() prints the text/plain form.
 *
 *   const live = createDisplay();              // nothing shown yet
 *   for (...) { live.update(plot(history)); }  // first call shows, later ones replace it, throttled
 *   await live.flush();                        // make sure the last value is out
 */
import { randomBytes } from 'node:crypto';
import * as tf from '@tensorflow/tfjs';
import * as v from '../util/validate.js';
import { kernelBridge } from './bridge.js';
import { isTensor } from './common.js';
import { ImageGrid, type ImagesBundleOptions, type ImagesInput } from './images.js';
import { prepareModel } from './model.js';
import { Plot, type PlotBundleOptions, type SeriesInput } from './plot.js';
import { prepareAny, TensorView, type RichOutput } from './rich.js';
import type { TensorBundleOptions } from './tensor.js';

export interface DisplayOptions {
  /** Minimum time between two sends of one handle, in ms (0..60000, default 250); the last value is always sent. */
  throttleMs?: number;
  /** Display id (default: random); outputs with the same id are replaced together. */
  id?: string;
}

/** Clone tensors inside a value so it survives the caller disposing them; release() frees the clones. */
function retain(value: unknown): { value: unknown; release(): void } {
  const clones: tf.Tensor[] = [];
  const keep = (t: tf.Tensor): tf.Tensor => {
    if (t.isDisposed) return t;
    const c = tf.keep(tf.clone(t));
    clones.push(c);
    return c;
  };
  const mapImages = (x: ImagesInput): ImagesInput => (isTensor(x) ? keep(x) : x.map((s) => (isTensor(s) ? keep(s) : s)));
  let v = value;
  if (isTensor(value)) v = keep(value);
  else if (value instanceof TensorView) v = new TensorView(keep(value.tensor), value.options);
  else if (value instanceof ImageGrid) v = new ImageGrid(mapImages(value.images), value.options);
  else if (Array.isArray(value) && value.length > 0 && value.every(isTensor)) v = value.map(keep);
  return { value: v, release: () => { for (const c of clones) c.dispose(); } };
}

/** All handles with a pending (throttled) update, so the kernel can flush them. */
const live = new Set<DisplayHandle>();

/** Tail of all publications: outputs appear in the order display calls were made, whatever their render time. */
let published: Promise<void> = Promise.resolve();

/**
 * Publish `rendering`'s result with `publish` after everything queued before it (renders run in parallel;
 * publication is in call order). Resolves when published; rejects when rendering fails.
 */
export function publishInOrder<T>(rendering: Promise<T>, publish: (value: T) => void): Promise<void> {
  const prev = published;
  const done = (async () => {
    let value: T;
    try {
      value = await rendering;
    } finally {
      await prev;
    }
    publish(value);
  })();
  published = done.catch(() => {});
  return done;
}

/** Marks values the kernel does not echo when they are a cell's last expression (display handles). */
export const QUIET: unique symbol = Symbol.for('gankit.display.quiet') as never;

/** One output area that can be replaced: display_data first, update_display_data afterwards (throttled). */
export class DisplayHandle {
  /** Already shown: the kernel does not print a handle that is a cell's last value. */
  readonly [QUIET] = true;
  /** The Jupyter display id shared by this handle's messages. */
  readonly id: string;
  readonly throttleMs: number;
  private shown = false;
  private lastSent = -Infinity;
  private pending: { value: unknown; release(): void } | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private chain: Promise<void> = Promise.resolve();
  private waiters: (() => void)[] = [];
  /** Number of messages sent so far (display_data + update_display_data). */
  sent = 0;

  constructor(opts: DisplayOptions = {}) {
    const { throttleMs = 250, id } = v.options('display options', opts, ['throttleMs', 'id']);
    this.throttleMs = v.numberIn('throttleMs', throttleMs, 0, 60000);
    this.id = id === undefined ? randomBytes(8).toString('hex') : v.nonEmptyString('id', id);
  }

  /**
   * Show `value` here: the first call sends display_data at once; later calls send update_display_data
   * at most every throttleMs, always ending with the last value. Tensors are cloned, so callers may
   * dispose them right away. Invalid values throw here, synchronously.
   */
  update(value: unknown): void {
    const now = Date.now();
    if (this.timer === null && now - this.lastSent >= this.throttleMs) {
      this.send(prepareAny(value));
      this.lastSent = now;
      return;
    }
    this.pending?.release();
    this.pending = retain(value);
    if (this.timer === null) {
      live.add(this);
      this.timer = setTimeout(() => this.fire(), Math.max(0, this.lastSent + this.throttleMs - now));
      kernelBridge()?.track(new Promise<void>((resolve) => this.waiters.push(resolve)));
    }
  }

  /** Send a pending throttled update now and wait until every message of this handle is out. */
  async flush(): Promise<void> {
    if (this.timer !== null) this.fire();
    await this.chain;
  }

  private fire(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    live.delete(this);
    const p = this.pending;
    this.pending = null;
    const waiters = this.waiters;
    this.waiters = [];
    if (p) {
      this.lastSent = Date.now();
      try {
        this.send(prepareAny(p.value), p.release);
      } catch (e) {
        p.release();
        console.error(e);
      }
    }
    void this.chain.then(() => waiters.forEach((w) => w()));
  }

  /** Render now (already prepared), publish in call order. */
  private send(prepared: { render(): Promise<RichOutput> }, release?: () => void): void {
    const rendering = prepared.render().finally(() => release?.());
    const bridge = kernelBridge();
    const done = publishInOrder(rendering, (out) => {
      const update = this.shown;
      this.shown = true;
      this.sent++;
      if (bridge) bridge.publish({ data: out.data, metadata: out.metadata, transient: { display_id: this.id } }, update);
      else if (!update) console.log(out.data['text/plain']);
    });
    this.chain = done.catch(() => {});
    if (bridge) bridge.track(done);
    else done.catch((e: unknown) => console.error(e));
  }
}

/** A new, empty live display; nothing is shown until the first update(). */
export function createDisplay(opts: DisplayOptions = {}): DisplayHandle {
  return new DisplayHandle(opts);
}

/**
 * Show a value in the current cell (rich form for tensors, image grids, plots, models and
 * Jupyter.display objects; text otherwise). Returns the handle, whose update() replaces the output.
 */
export function display(value: unknown, opts: DisplayOptions = {}): DisplayHandle {
  const h = new DisplayHandle(opts);
  h.update(value);
  return h;
}

/** Send every pending throttled update now and wait for them (the kernel calls this at the end of a cell). */
export async function flushDisplays(): Promise<void> {
  await Promise.all([...live].map((h) => h.flush()));
}

/** Show a tensor's statistics and preview (see tensorBundle for options). */
export function showTensor(t: tf.Tensor, opts: TensorBundleOptions = {}): DisplayHandle {
  return display(new TensorView(t, opts));
}

/** Show images as a grid (see imagesBundle for options). */
export function showImages(images: ImagesInput, opts: ImagesBundleOptions = {}): DisplayHandle {
  return display(new ImageGrid(images, opts));
}

/** Show loss curves or other series (see plotBundle for options). */
export function showPlot(history: SeriesInput, opts: PlotBundleOptions = {}): DisplayHandle {
  return display(new Plot(history, opts));
}

/** Show a model summary table. */
export function showModel(model: tf.LayersModel): DisplayHandle {
  const prepared = prepareModel(model);
  return display({ [Symbol.for('Jupyter.display')]: () => prepared.render() });
}
