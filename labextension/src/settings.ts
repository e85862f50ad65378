/**
 * Shared state between the rendermime extension (renderers) and the application plugin
 * (settings, commands). Both entry points are exposed from the same module-federation
 * container, so this module is a single instance in the page.
 */
import { COLORMAPS, DEFAULT_COLORMAP, isColormap, type ColormapName } from './colormap';

export interface GankitSettings {
  /** Colormap a tensor heatmap starts with. */
  defaultColormap: ColormapName;
  /** Most points drawn per plot series (longer series are strided). */
  maxPlotPoints: number;
  /** Initial EMA smoothing weight of loss curves, 0 (off) to 0.99. */
  defaultSmoothing: number;
  /** Image grid zoom: "auto" (fit the output width: crisp 2-4x for small images, scaled down for wide grids) or a fixed integer factor. */
  imageZoom: 'auto' | number;
}

export const DEFAULT_SETTINGS: Readonly<GankitSettings> = Object.freeze({
  defaultColormap: DEFAULT_COLORMAP,
  maxPlotPoints: 5000,
  defaultSmoothing: 0.6,
  imageZoom: 'auto'
});

/** Merge raw (user-editable, so untrusted) settings over the defaults, ignoring bad values. */
export function normalizeSettings(raw: Record<string, unknown>): GankitSettings {
  const s: GankitSettings = { ...DEFAULT_SETTINGS };
  if (isColormap(raw.defaultColormap)) {
    s.defaultColormap = raw.defaultColormap;
  }
  if (Number.isInteger(raw.maxPlotPoints) && (raw.maxPlotPoints as number) >= 10) {
    s.maxPlotPoints = Math.min(raw.maxPlotPoints as number, 200_000);
  }
  if (typeof raw.defaultSmoothing === 'number' && raw.defaultSmoothing >= 0 && raw.defaultSmoothing <= 0.99) {
    s.defaultSmoothing = raw.defaultSmoothing;
  }
  if (raw.imageZoom === 'auto' || (Number.isInteger(raw.imageZoom) && (raw.imageZoom as number) >= 1 && (raw.imageZoom as number) <= 16)) {
    s.imageZoom = raw.imageZoom as GankitSettings['imageZoom'];
  }
  return s;
}

type Listener = () => void;

/** A tiny observable value. */
export class Observable<T> {
  private _value: T;
  private _listeners = new Set<Listener>();
  constructor(value: T) {
    this._value = value;
  }
  get value(): T {
    return this._value;
  }
  set(value: T): void {
    this._value = value;
    this.emit();
  }
  emit(): void {
    for (const fn of [...this._listeners]) {
      try {
        fn();
      } catch (e) {
        console.error('gankit: listener failed', e);
      }
    }
  }
  /** Subscribe; returns the unsubscribe function. */
  subscribe(fn: Listener): () => void {
    this._listeners.add(fn);
    return () => this._listeners.delete(fn);
  }
  get listenerCount(): number {
    return this._listeners.size;
  }
}

/** What every view can export and be found by. */
export interface ExportableView {
  readonly node: HTMLElement;
  readonly kind: 'tensor' | 'images' | 'plot' | 'explorer';
  /** A PNG of what the view shows, as a data: URL. */
  toPng(): Promise<string>;
  /** File name for the exported PNG. */
  readonly filename: string;
}

/** Live views, and the one the user touched last (for "export focused figure"). */
export class ViewRegistry {
  private _views = new Set<ExportableView>();
  private _last: ExportableView | null = null;
  add(view: ExportableView): void {
    this._views.add(view);
  }
  delete(view: ExportableView): void {
    this._views.delete(view);
    if (this._last === view) {
      this._last = null;
    }
  }
  markActive(view: ExportableView): void {
    this._last = view;
  }
  get lastActive(): ExportableView | null {
    return this._last && this._last.node.isConnected ? this._last : null;
  }
  get size(): number {
    return this._views.size;
  }
  /** The view whose root is `node` or contains it. */
  find(node: Node | null): ExportableView | null {
    for (const v of this._views) {
      if (node && (v.node === node || v.node.contains(node))) {
        return v;
      }
    }
    return null;
  }
  /**
   * The "focused" figure inside `scope` (e.g. the current notebook panel): the one the user
   * touched last if it lies in `scope`, else the last one in the active cell, else null.
   */
  focused(scope: HTMLElement | null): ExportableView | null {
    const last = this.lastActive;
    if (last && (!scope || scope.contains(last.node))) {
      return last;
    }
    if (!scope) {
      return null;
    }
    const cell = scope.querySelector('.jp-Cell.jp-mod-active') ?? scope;
    const nodes = cell.querySelectorAll('.gankit-view');
    return nodes.length ? this.find(nodes[nodes.length - 1]) : null;
  }
}

export const settings = new Observable<GankitSettings>({ ...DEFAULT_SETTINGS });
export const registry = new ViewRegistry();
/** Emitted when the JupyterLab theme changes (by the plugin, and by a body attribute observer). */
export const themeChanged = new Observable<number>(0);

export { COLORMAPS };
