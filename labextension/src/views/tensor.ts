/**
 * Tensor view: name, shape and dtype; statistics (min, max, mean, std, NaN and Inf counts);
 * a pixelated preview (heatmap drawn from `preview.values` with a colormap, or the image
 * preview from `preview.png`); a colour bar; a hover readout with the tensor index and value;
 * and slice selection for higher-rank tensors.
 */
import type { TensorPayload } from '../contract';
import { COLORMAPS, colorbarRgba, colormapLut, heatmapRgba, isColormap, type ColormapName } from '../colormap';
import { el, pngDataUrl, setText, show, syncChildren } from '../dom';
import { formatCount, formatNumber, formatShape } from '../format';
import { validateTensor } from '../validate';
import { BaseView, type ViewDeps } from './base';

type Preview = TensorPayload['preview'];
type Slice = TensorPayload['slice'];

/** Largest on-screen side of the preview, in CSS pixels, reached with an integer zoom. */
export const PREVIEW_TARGET_PX = 320;
/** Above this many alternative slices a select replaces the buttons. */
export const MAX_SLICE_BUTTONS = 12;

export function previewZoom(width: number, height: number): number {
  return Math.max(1, Math.min(16, Math.floor(PREVIEW_TARGET_PX / Math.max(width, height))));
}

/** "[0, 0:28, 0:28:2, 0]" */
export function formatSlice(slice: Slice): string {
  return `[${slice.map(e => (typeof e === 'number' ? String(e) : e[2] === 1 ? `${e[0]}:${e[1]}` : `${e[0]}:${e[1]}:${e[2]}`)).join(', ')}]`;
}

/**
 * The tensor index shown at preview pixel (row, col). The first previewed axis is the rows
 * and the second the columns (a single previewed axis is the columns); further previewed
 * axes (an image's channels) show as ":".
 */
export function pixelIndex(slice: Slice, row: number, col: number): (number | ':')[] {
  const ranges = slice.filter(e => typeof e !== 'number').length;
  let k = 0;
  return slice.map(e => {
    if (typeof e === 'number') {
      return e;
    }
    const which = ranges >= 2 ? k : k + 1; // 0: rows, 1: cols, >1: other
    k++;
    return which === 0 ? e[0] + row * e[2] : which === 1 ? e[0] + col * e[2] : ':';
  });
}

/** Preview pixel under a pointer at (x, y) inside a displayed box of size (boxW, boxH). */
export function pixelAt(x: number, y: number, boxW: number, boxH: number, width: number, height: number): [number, number] | null {
  if (boxW <= 0 || boxH <= 0 || x < 0 || y < 0 || x >= boxW || y >= boxH) {
    return null;
  }
  return [Math.min(height - 1, Math.floor((y / boxH) * height)), Math.min(width - 1, Math.floor((x / boxW) * width))];
}

function sameSlice(a: Slice, b: Slice): boolean {
  return a.length === b.length && a.every((e, i) => JSON.stringify(e) === JSON.stringify(b[i]));
}

const STAT_KEYS = ['min', 'max', 'mean', 'std', 'NaN', 'Inf', 'size'] as const;

export class TensorView extends BaseView<TensorPayload> {
  readonly filename = 'gankit-tensor.png';
  private readonly nameNode: HTMLSpanElement;
  private readonly shapeNode: HTMLSpanElement;
  private readonly dtypeNode: HTMLSpanElement;
  private readonly statValues = new Map<(typeof STAT_KEYS)[number], HTMLSpanElement>();
  private readonly sliceBar: HTMLDivElement;
  private readonly sliceButtons: HTMLDivElement;
  private readonly sliceSelect: HTMLSelectElement;
  private readonly cmapLabel: HTMLLabelElement;
  private readonly cmapSelect: HTMLSelectElement;
  private readonly canvasWrap: HTMLDivElement;
  readonly canvas: HTMLCanvasElement;
  private readonly colorbar: HTMLDivElement;
  private readonly colorbarCanvas: HTMLCanvasElement;
  private readonly cbLo: HTMLSpanElement;
  private readonly cbHi: HTMLSpanElement;
  private readonly readout: HTMLDivElement;
  private readonly note: HTMLDivElement;
  /** -1: the payload's own preview; otherwise an index into `slices`. */
  private selected = -1;
  private userColormap: ColormapName | null = null;
  /** Label of the slice the user picked, kept across live updates. */
  private userSlice: string | null = null;
  private drawToken = 0;
  /** Preview pixel under the pointer, kept across redraws. */
  private hovered: [number, number] | null = null;
  private redrawing = false;

  constructor(deps: ViewDeps) {
    super(deps, 'tensor');
    const d = this.doc;
    this.nameNode = el(d, 'span', { className: 'gankit-tensor-name' });
    this.shapeNode = el(d, 'span', { className: 'gankit-tensor-shape' });
    this.dtypeNode = el(d, 'span', { className: 'gankit-tensor-dtype' });
    const header = el(d, 'div', { className: 'gankit-header' }, [this.nameNode, this.shapeNode, this.dtypeNode]);

    const stats = el(d, 'div', { className: 'gankit-stats' });
    for (const k of STAT_KEYS) {
      const v = el(d, 'span', { className: 'gankit-stat-value' });
      this.statValues.set(k, v);
      stats.appendChild(el(d, 'span', { className: 'gankit-stat' }, [el(d, 'span', { className: 'gankit-stat-label', text: k }), v]));
    }

    this.sliceButtons = el(d, 'div', { className: 'gankit-slice-buttons', attrs: { role: 'group', 'aria-label': 'slice' } });
    this.sliceSelect = el(d, 'select', { className: 'gankit-slice-select', attrs: { 'aria-label': 'slice' } });
    this.sliceBar = el(d, 'div', { className: 'gankit-slices' }, [
      el(d, 'span', { className: 'gankit-label', text: 'slice' }),
      this.sliceButtons,
      this.sliceSelect
    ]);
    this.cmapSelect = el(d, 'select', { className: 'gankit-cmap-select', attrs: { 'aria-label': 'colormap' } });
    for (const name of COLORMAPS) {
      this.cmapSelect.appendChild(el(d, 'option', { text: name, attrs: { value: name } }));
    }
    this.cmapLabel = el(d, 'label', { className: 'gankit-cmap' }, [el(d, 'span', { className: 'gankit-label', text: 'colormap' }), this.cmapSelect]);
    const toolbar = el(d, 'div', { className: 'gankit-toolbar' }, [this.sliceBar, this.cmapLabel]);

    this.canvas = el(d, 'canvas', { className: 'gankit-tensor-canvas gankit-pixelated' });
    this.canvasWrap = el(d, 'div', { className: 'gankit-canvas-wrap gankit-checker' }, [this.canvas]);
    this.colorbarCanvas = el(d, 'canvas', { className: 'gankit-colorbar-canvas', attrs: { width: '256', height: '1' } });
    this.cbLo = el(d, 'span', { className: 'gankit-colorbar-lo' });
    this.cbHi = el(d, 'span', { className: 'gankit-colorbar-hi' });
    this.colorbar = el(d, 'div', { className: 'gankit-colorbar' }, [
      this.colorbarCanvas,
      el(d, 'div', { className: 'gankit-colorbar-labels' }, [this.cbLo, this.cbHi])
    ]);
    const figure = el(d, 'div', { className: 'gankit-figure' }, [this.canvasWrap, this.colorbar]);
    this.readout = el(d, 'div', { className: 'gankit-readout', attrs: { 'aria-live': 'polite' } });
    this.note = el(d, 'div', { className: 'gankit-note' });
    this.body.append(header, stats, toolbar, figure, this.readout, this.note);

    this.listen(this.sliceButtons, 'click', ev => {
      const b = (ev.target as Element | null)?.closest?.('button');
      if (b && b.dataset.index !== undefined) {
        this.select(Number(b.dataset.index));
      }
    });
    this.listen(this.sliceSelect, 'change', () => this.select(Number(this.sliceSelect.value)));
    this.listen(this.cmapSelect, 'change', () => {
      if (isColormap(this.cmapSelect.value)) {
        this.userColormap = this.cmapSelect.value;
        this.draw();
      }
    });
    this.listen(this.canvas, 'mousemove', ev => this.hover(ev));
    this.listen(this.canvas, 'mouseleave', () => this.hover(null));
    this.onDispose(
      deps.settings.subscribe(() => {
        if (!this.userColormap && this.payload) {
          this.draw();
        }
      })
    );
  }

  get colormap(): ColormapName {
    return this.userColormap ?? this.deps.settings.value.defaultColormap;
  }

  /** The preview and slice on screen. */
  get active(): { preview: Preview; slice: Slice; label: string | null } | null {
    const p = this.payload;
    if (!p) {
      return null;
    }
    const s = this.selected >= 0 ? p.slices?.[this.selected] : undefined;
    return s ? { preview: s.preview, slice: s.slice, label: s.label } : { preview: p.preview, slice: p.slice, label: null };
  }

  protected validate(data: unknown): TensorPayload {
    return validateTensor(data);
  }

  protected update(p: TensorPayload): void {
    setText(this.nameNode, p.name ?? 'tensor');
    setText(this.shapeNode, formatShape(p.shape));
    setText(this.dtypeNode, p.dtype);
    const s = p.stats;
    const vals: Record<(typeof STAT_KEYS)[number], string> = {
      min: formatNumber(s.min),
      max: formatNumber(s.max),
      mean: formatNumber(s.mean),
      std: formatNumber(s.std),
      NaN: formatCount(s.nanCount),
      Inf: formatCount(s.infCount),
      size: formatCount(s.size)
    };
    for (const k of STAT_KEYS) {
      const v = this.statValues.get(k)!;
      setText(v, vals[k]);
      v.classList.toggle('gankit-warn', (k === 'NaN' && s.nanCount > 0) || (k === 'Inf' && s.infCount > 0));
    }

    // Keep the user's slice across live updates when its label still exists.
    const slices = p.slices ?? [];
    let sel = this.userSlice !== null ? slices.findIndex(x => x.label === this.userSlice) : -1;
    if (sel < 0) {
      sel = slices.findIndex(x => sameSlice(x.slice, p.slice));
    }
    this.selected = sel;
    show(this.sliceBar, slices.length > 1);
    const useSelect = slices.length > MAX_SLICE_BUTTONS;
    show(this.sliceButtons, !useSelect);
    show(this.sliceSelect, useSelect);
    const buttons = syncChildren(this.sliceButtons, useSelect ? 0 : slices.length, () =>
      el(this.doc, 'button', { className: 'gankit-button', attrs: { type: 'button' } })
    );
    buttons.forEach((b, i) => {
      setText(b, slices[i].label);
      b.dataset.index = String(i);
    });
    const options = syncChildren(this.sliceSelect, useSelect ? slices.length : 0, () => el(this.doc, 'option'));
    options.forEach((o, i) => {
      setText(o, slices[i].label);
      (o as HTMLOptionElement).value = String(i);
    });
    this.draw();
  }

  /** Show alternative slice `i` (-1: the payload's own preview). */
  select(i: number): void {
    const n = this.payload?.slices?.length ?? 0;
    if (!Number.isInteger(i) || i < -1 || i >= n) {
      return;
    }
    this.selected = i;
    this.userSlice = i >= 0 ? this.payload!.slices![i].label : null;
    this.draw();
  }

  private draw(): void {
    const a = this.active;
    if (!a) {
      return;
    }
    const { preview, slice } = a;
    for (const b of Array.from(this.sliceButtons.children) as HTMLElement[]) {
      b.setAttribute('aria-pressed', String(Number(b.dataset.index) === this.selected));
    }
    if (this.selected >= 0) {
      this.sliceSelect.value = String(this.selected);
    }
    const heat = preview.kind === 'heatmap' && preview.values !== undefined;
    show(this.cmapLabel, heat);
    show(this.colorbar, heat);
    const cmap = this.colormap;
    if (this.cmapSelect.value !== cmap) {
      this.cmapSelect.value = cmap;
    }

    const { width: w, height: h } = preview;
    const zoom = previewZoom(w, h);
    if (this.canvas.width !== w) {
      this.canvas.width = w;
    }
    if (this.canvas.height !== h) {
      this.canvas.height = h;
    }
    this.canvas.style.width = `${w * zoom}px`;
    this.colorbar.style.width = `${Math.max(w * zoom, 160)}px`;
    this.canvas.setAttribute('aria-label', `preview of ${formatSlice(slice)}`);
    const stride = preview.stride[0] > 1 || preview.stride[1] > 1 ? `, downsampled ${preview.stride[0]}×${preview.stride[1]}` : '';
    setText(this.note, `showing ${formatSlice(slice)}${stride}; ${w}×${h} px at ${zoom}×`);

    const token = ++this.drawToken;
    const ctx = this.context2d(this.canvas);
    if (heat) {
      const lut = colormapLut(cmap);
      setText(this.cbLo, formatNumber(preview.range[0]));
      setText(this.cbHi, formatNumber(preview.range[1]));
      const cb = this.context2d(this.colorbarCanvas);
      if (cb) {
        const img = cb.createImageData(256, 1);
        img.data.set(colorbarRgba(lut, 256));
        cb.putImageData(img, 0, 0);
      }
      if (ctx) {
        const img = ctx.createImageData(w, h);
        img.data.set(heatmapRgba(preview.values!, preview.range, lut));
        ctx.putImageData(img, 0, 0);
      }
    } else if (ctx) {
      this.loadImage(pngDataUrl(preview.png)).then(
        img => {
          if (token === this.drawToken) {
            ctx.clearRect(0, 0, w, h);
            ctx.drawImage(img, 0, 0, w, h);
            this.refreshReadout();
          }
        },
        e => token === this.drawToken && this.showError(e)
      );
    }
    this.refreshReadout();
  }

  /** Update the readout for a pointer event (null: the pointer left, or a redraw happened). */
  private hover(ev: MouseEvent | null): void {
    const a = this.active;
    if (ev && a) {
      const r = this.canvas.getBoundingClientRect();
      this.hovered = pixelAt(ev.clientX - r.left, ev.clientY - r.top, r.width, r.height, a.preview.width, a.preview.height);
    } else if (ev === null && !this.redrawing) {
      this.hovered = null;
    }
    const px = this.hovered;
    if (!a || !px || px[0] >= a.preview.height || px[1] >= a.preview.width) {
      setText(this.readout, 'hover over the preview for index and value');
      return;
    }
    // Live updates keep the readout on the same pixel, with the new value.
    setText(this.readout, this.describePixel(px[0], px[1]));
  }

  private refreshReadout(): void {
    this.redrawing = true;
    try {
      this.hover(null);
    } finally {
      this.redrawing = false;
    }
  }

  /** "[0, 12, 5, 0] = 0.7343" for preview pixel (row, col). */
  describePixel(row: number, col: number): string {
    const a = this.active;
    if (!a) {
      return '';
    }
    const { preview, slice } = a;
    const index = `[${pixelIndex(slice, row, col).join(', ')}]`;
    if (preview.kind === 'heatmap' && preview.values) {
      const v = preview.values[row * preview.width + col];
      return `${index} = ${v === null ? 'NaN/Inf' : formatNumber(v)}`;
    }
    const ctx = this.context2d(this.canvas);
    if (!ctx) {
      return index;
    }
    const [r, g, b] = ctx.getImageData(col, row, 1, 1).data;
    const [lo, hi] = preview.range;
    const val = (c: number) => formatNumber(lo + (c / 255) * (hi - lo));
    return r === g && g === b ? `${index} ≈ ${val(r)}` : `${index} ≈ (${val(r)}, ${val(g)}, ${val(b)})`;
  }

  async toPng(): Promise<string> {
    const a = this.active;
    const src = this.context2d(this.canvas);
    if (!a || !src) {
      throw new Error('nothing to export');
    }
    const zoom = previewZoom(a.preview.width, a.preview.height);
    const out = this.doc.createElement('canvas');
    out.width = a.preview.width * zoom;
    out.height = a.preview.height * zoom;
    const ctx = this.context2d(out)!;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.canvas, 0, 0, out.width, out.height);
    return out.toDataURL('image/png');
  }
}
