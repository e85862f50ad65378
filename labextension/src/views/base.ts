/**
 * What all three views share: a root element that is built once and re-used for every
 * payload (live updates call `render` many times; the DOM never grows), a visible error
 * element for bad payloads, and registration for the "export focused figure" command.
 */
import { el, show } from '../dom';
import {
  registry as defaultRegistry,
  settings as defaultSettings,
  themeChanged as defaultThemeChanged,
  type ExportableView,
  type GankitSettings,
  type Observable,
  type ViewRegistry
} from '../settings';
import type { PlotlyLike } from '../plotly';
import type { TfjsRuntime } from '../tfjs';

/** Everything a view needs from its surroundings (injected in tests). */
export interface ViewDeps {
  doc: Document;
  settings: Observable<GankitSettings>;
  registry: ViewRegistry;
  themeChanged: Observable<number>;
  /** Loads plotly on first use (a separate chunk in the built extension). */
  loadPlotly: () => Promise<PlotlyLike>;
  /** Loads tfjs and starts a backend on first use (a separate chunk), for the latent explorer. */
  loadTfjs: () => Promise<TfjsRuntime>;
}

export function makeDeps(doc: Document, overrides: Partial<ViewDeps> = {}): ViewDeps {
  return {
    doc,
    settings: defaultSettings,
    registry: defaultRegistry,
    themeChanged: defaultThemeChanged,
    loadPlotly: () => Promise.reject(new Error('plotly is not available')),
    loadTfjs: () => Promise.reject(new Error('TensorFlow.js is not available')),
    ...overrides
  };
}

export type ViewKind = ExportableView['kind'];

const KIND_LABEL: Record<ViewKind, string> = { tensor: 'tensor', images: 'image grid', plot: 'plot', explorer: 'latent explorer' };

export abstract class BaseView<P> implements ExportableView {
  readonly node: HTMLDivElement;
  protected readonly doc: Document;
  protected readonly errorNode: HTMLDivElement;
  protected readonly body: HTMLDivElement;
  protected payload: P | null = null;
  private _cleanups: (() => void)[] = [];
  private _disposed = false;

  constructor(
    protected readonly deps: ViewDeps,
    readonly kind: ViewKind
  ) {
    this.doc = deps.doc;
    this.errorNode = el(this.doc, 'div', { className: 'gankit-error', attrs: { role: 'alert' } });
    this.errorNode.hidden = true;
    this.body = el(this.doc, 'div', { className: 'gankit-body' });
    this.node = el(this.doc, 'div', { className: `gankit-view gankit-${kind}`, attrs: { 'data-gankit-kind': kind } }, [
      this.errorNode,
      this.body
    ]);
    const mark = () => deps.registry.markActive(this);
    this.listen(this.node, 'pointerdown', mark, true);
    this.listen(this.node, 'focusin', mark);
    this.listen(this.node, 'contextmenu', mark, true);
    deps.registry.add(this);
  }

  abstract readonly filename: string;
  abstract toPng(): Promise<string>;
  /** Parse and check the raw MIME data; throws PayloadError. */
  protected abstract validate(data: unknown): P;
  /** Show a valid payload, re-using the DOM built in the constructor. */
  protected abstract update(payload: P): void | Promise<void>;

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** The payload currently shown (null while an error is shown). */
  get current(): P | null {
    return this.payload;
  }

  /** Show `data`; never throws: problems become a visible error message inside the view. */
  render(data: unknown): Promise<void> {
    let payload: P;
    try {
      payload = this.validate(data);
    } catch (e) {
      this.showError(e);
      return Promise.resolve();
    }
    this.payload = payload;
    show(this.errorNode, false);
    show(this.body, true);
    try {
      return Promise.resolve(this.update(payload)).catch(e => this.showError(e));
    } catch (e) {
      this.showError(e);
      return Promise.resolve();
    }
  }

  showError(e: unknown): void {
    const msg = e instanceof Error ? e.message : String(e);
    this.payload = null;
    this.errorNode.textContent = `Cannot display this gankit ${KIND_LABEL[this.kind]}: ${msg}`;
    show(this.errorNode, true);
    show(this.body, false);
  }

  /** Called when the view's node enters the page (plotly needs a laid-out element). */
  attached(): void {}
  /** Called when the panel around the view changes size. */
  resize(): void {}

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    for (const c of this._cleanups.splice(0)) {
      c();
    }
    this.deps.registry.delete(this);
  }

  /** Register a cleanup to run on dispose. */
  protected onDispose(fn: () => void): void {
    this._cleanups.push(fn);
  }

  protected listen<K extends keyof HTMLElementEventMap>(
    target: HTMLElement,
    type: K,
    fn: (ev: HTMLElementEventMap[K]) => void,
    capture = false
  ): void {
    target.addEventListener(type, fn as EventListener, capture);
    this.onDispose(() => target.removeEventListener(type, fn as EventListener, capture));
  }

  /** A 2D context, or null where canvas is unsupported (jsdom). */
  protected context2d(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
    try {
      return canvas.getContext('2d');
    } catch {
      return null;
    }
  }

  /** Load a PNG data URL into an image element; resolves once decoded. */
  protected loadImage(src: string): Promise<HTMLImageElement> {
    return new Promise((resolve, reject) => {
      const img = this.doc.createElement('img');
      img.onload = () => resolve(img);
      img.onerror = () => reject(new Error('PNG could not be decoded'));
      img.src = src;
    });
  }
}
