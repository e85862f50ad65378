/**
 * Image grid view. By default the grid fits the output width: small images are zoomed up by
 * a crisp integer factor (pixelated; 28 px digits at 2-4x), wide grids are scaled down so every
 * column shows. "full size" (or a fixed zoom) shows the images at their natural zoom and scrolls
 * sideways instead. Optional captions and title, click (or Enter) to enlarge one image (shown in
 * place of the grid; Escape, a click on it or × goes back; arrows step through), and "Save PNG",
 * which composes the grid on a canvas like torchvision's save_image.
 */
import type { ImagesPayload } from '../contract';
import { downloadDataUrl, el, pngDataUrl, setText, show, syncChildren } from '../dom';
import { formatCount } from '../format';
import { validateImages } from '../validate';
import { BaseView, type ViewDeps } from './base';

export const ZOOMS = [1, 2, 3, 4, 6, 8] as const;
/** Size in CSS pixels that "auto" zoom aims small images at (28 px -> 3x, 32 -> 3x, 48 -> 2x). */
export const AUTO_ZOOM_TARGET_PX = 96;

/** Natural integer zoom of images whose larger side is `maxSide` px: 2-4x below 48 px, else 1x. */
export function autoZoom(maxSide: number): number {
  return Math.max(1, Math.min(4, Math.floor(AUTO_ZOOM_TARGET_PX / Math.max(1, maxSide))));
}

/**
 * Zoom that fits a grid `gridWidth` px wide (native) into `available` CSS px: the largest integer
 * up to `maxZoom` when the grid fits at 1x, else a factor below 1 (3 decimals, rounded down) so
 * every column shows. `available` <= 0 (not laid out yet) gives `maxZoom`.
 */
export function fitZoom(gridWidth: number, available: number, maxZoom: number): number {
  if (!(available > 0)) {
    return maxZoom;
  }
  const s = available / Math.max(1, gridWidth);
  return s >= 1 ? Math.max(1, Math.min(maxZoom, Math.floor(s))) : Math.floor(s * 1000) / 1000;
}

/** Integer zoom that fits the enlarged view in about `target` CSS pixels. */
export function enlargeZoom(maxSide: number, target = 512): number {
  return Math.max(1, Math.min(32, Math.floor(target / Math.max(1, maxSide))));
}

/** Layout of a make_grid-style composition: cell size = largest image, padding around and between. */
export function gridLayout(p: Pick<ImagesPayload, 'images' | 'nrow' | 'padding'>) {
  const n = p.images.length;
  const cols = Math.max(1, Math.min(p.nrow, n));
  const rows = Math.max(1, Math.ceil(n / cols));
  const cellW = Math.max(1, ...p.images.map(i => i.width));
  const cellH = Math.max(1, ...p.images.map(i => i.height));
  return {
    cols,
    rows,
    cellW,
    cellH,
    width: cols * cellW + (cols + 1) * p.padding,
    height: rows * cellH + (rows + 1) * p.padding,
    /** Top-left corner of image `i` (centred in its cell when smaller than the cell). */
    origin(i: number): [number, number] {
      const img = p.images[i];
      const c = i % cols;
      const r = Math.floor(i / cols);
      return [
        p.padding + c * (cellW + p.padding) + Math.floor((cellW - img.width) / 2),
        p.padding + r * (cellH + p.padding) + Math.floor((cellH - img.height) / 2)
      ];
    }
  };
}

function padColor(v: number): string {
  const c = Math.round(Math.min(1, Math.max(0, v)) * 255);
  return `rgb(${c}, ${c}, ${c})`;
}

export class ImagesView extends BaseView<ImagesPayload> {
  readonly filename = 'gankit-grid.png';
  private readonly titleNode: HTMLSpanElement;
  private readonly countNode: HTMLSpanElement;
  private readonly zoomSelect: HTMLSelectElement;
  private readonly fullButton: HTMLButtonElement;
  private readonly saveButton: HTMLButtonElement;
  private readonly status: HTMLSpanElement;
  readonly grid: HTMLDivElement;
  private readonly scroll: HTMLDivElement;
  private readonly closeButton: HTMLButtonElement;
  private readonly lightbox: HTMLDivElement;
  private readonly lbImg: HTMLImageElement;
  private readonly lbCaption: HTMLSpanElement;
  private readonly lbIndex: HTMLSpanElement;
  /** base64 currently shown by each <img> (skip re-decoding unchanged images on live updates). */
  private readonly shown = new WeakMap<HTMLImageElement, string>();
  /** The user's choice in this output: 'fit', a fixed zoom, or null (follow the setting). */
  private userZoom: number | 'fit' | null = null;
  private enlarged = -1;
  /** Width (CSS px) the grid last fitted into; a resize to another width lays it out again. */
  private fittedWidth = -1;

  constructor(deps: ViewDeps) {
    super(deps, 'images');
    const d = this.doc;
    this.titleNode = el(d, 'span', { className: 'gankit-title' });
    this.countNode = el(d, 'span', { className: 'gankit-note' });
    this.zoomSelect = el(d, 'select', { className: 'gankit-zoom-select', attrs: { 'aria-label': 'zoom' } });
    this.zoomSelect.appendChild(el(d, 'option', { text: 'fit', attrs: { value: 'fit' } }));
    for (const z of ZOOMS) {
      this.zoomSelect.appendChild(el(d, 'option', { text: `${z}×`, attrs: { value: String(z) } }));
    }
    this.fullButton = el(d, 'button', {
      className: 'gankit-button gankit-full',
      text: 'full size',
      attrs: { type: 'button', 'aria-pressed': 'false', title: 'Show the images at full size (scroll sideways) or fit the output width' }
    });
    this.saveButton = el(d, 'button', { className: 'gankit-button gankit-save', text: 'Save PNG', attrs: { type: 'button', title: 'Save the grid as a PNG file' } });
    this.status = el(d, 'span', { className: 'gankit-status' });
    const toolbar = el(d, 'div', { className: 'gankit-toolbar' }, [
      this.titleNode,
      this.countNode,
      el(d, 'span', { className: 'gankit-spacer' }),
      el(d, 'label', { className: 'gankit-zoom' }, [el(d, 'span', { className: 'gankit-label', text: 'zoom' }), this.zoomSelect]),
      this.fullButton,
      this.saveButton,
      this.status
    ]);
    this.grid = el(d, 'div', { className: 'gankit-grid', attrs: { role: 'list' } });
    this.scroll = el(d, 'div', { className: 'gankit-scroll' }, [this.grid]);

    this.lbImg = el(d, 'img', { className: 'gankit-lightbox-img gankit-pixelated', attrs: { alt: '' } });
    this.lbCaption = el(d, 'span', { className: 'gankit-lightbox-caption' });
    this.lbIndex = el(d, 'span', { className: 'gankit-note' });
    const btn = (text: string, title: string, cls: string) =>
      el(d, 'button', { className: `gankit-button ${cls}`, text, attrs: { type: 'button', title, 'aria-label': title } });
    const prev = btn('‹', 'previous image', 'gankit-prev');
    const next = btn('›', 'next image', 'gankit-next');
    const close = btn('×', 'close', 'gankit-close');
    this.closeButton = close;
    this.lightbox = el(d, 'div', { className: 'gankit-lightbox', attrs: { role: 'dialog', 'aria-label': 'enlarged image' } }, [
      el(d, 'div', { className: 'gankit-toolbar' }, [this.lbIndex, this.lbCaption, el(d, 'span', { className: 'gankit-spacer' }), prev, next, close]),
      el(d, 'div', { className: 'gankit-lightbox-body' }, [this.lbImg])
    ]);
    this.lightbox.hidden = true;
    this.body.append(toolbar, this.scroll, this.lightbox);

    const cellIndex = (t: EventTarget | null) => {
      const f = (t as Element | null)?.closest?.('.gankit-cell') as HTMLElement | null;
      return f && f.dataset.index !== undefined ? Number(f.dataset.index) : -1;
    };
    this.listen(this.grid, 'click', ev => this.enlarge(cellIndex(ev.target)));
    this.listen(this.grid, 'keydown', ev => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        this.enlarge(cellIndex(ev.target));
      }
    });
    this.listen(prev, 'click', () => this.step(-1));
    this.listen(next, 'click', () => this.step(1));
    this.listen(close, 'click', () => this.enlarge(-1));
    this.listen(this.lbImg, 'click', () => this.enlarge(-1));
    this.listen(this.node, 'keydown', ev => {
      if (this.enlarged < 0) {
        return;
      }
      if (ev.key === 'Escape') {
        this.enlarge(-1);
      } else if (ev.key === 'ArrowLeft') {
        this.step(-1);
      } else if (ev.key === 'ArrowRight') {
        this.step(1);
      } else {
        return;
      }
      ev.preventDefault();
      ev.stopPropagation();
    });
    this.listen(this.zoomSelect, 'change', () => {
      this.userZoom = this.zoomSelect.value === 'fit' ? 'fit' : Number(this.zoomSelect.value);
      this.layout();
    });
    this.listen(this.fullButton, 'click', () => this.toggleFullSize());
    const RO = d.defaultView?.ResizeObserver;
    if (RO) {
      const ro = new RO(() => {
        if (this.fitting && this.availableWidth() !== this.fittedWidth) {
          this.layout();
        }
      });
      ro.observe(this.body);
      this.onDispose(() => ro.disconnect());
    }
    this.listen(this.saveButton, 'click', () => {
      void this.save();
    });
    this.onDispose(deps.settings.subscribe(() => this.layout()));
  }

  /** True while the grid fits the output width (the user's choice, else the setting "auto"). */
  get fitting(): boolean {
    return this.userZoom === 'fit' || (this.userZoom === null && this.deps.settings.value.imageZoom === 'auto');
  }

  /** Natural integer zoom of the current images (2-4x for small ones, 1x from 64 px). */
  get naturalZoom(): number {
    const p = this.payload;
    return p ? autoZoom(Math.max(...p.images.map(i => Math.max(i.width, i.height)), 1)) : 1;
  }

  /** Zoom in use, CSS px per image pixel: fitted to the output width, or the user's or setting's fixed factor. */
  get zoom(): number {
    const p = this.payload;
    if (typeof this.userZoom === 'number') {
      return this.userZoom;
    }
    const s = this.deps.settings.value.imageZoom;
    if (this.userZoom === null && typeof s === 'number') {
      return s;
    }
    return p ? fitZoom(gridLayout(p).width, this.availableWidth(), this.naturalZoom) : 1;
  }

  /** Switch between fitting the output width and the images' full (natural) size. */
  toggleFullSize(): void {
    this.userZoom = this.fitting ? this.naturalZoom : 'fit';
    this.layout();
  }

  /** CSS px the grid may take: the view's content width (0 before layout). */
  private availableWidth(): number {
    return this.body.clientWidth;
  }

  protected validate(data: unknown): ImagesPayload {
    return validateImages(data);
  }

  protected update(p: ImagesPayload): void {
    setText(this.titleNode, p.title ?? '');
    show(this.titleNode, !!p.title);
    const n = p.images.length;
    setText(this.countNode, p.total > n ? `${formatCount(n)} of ${formatCount(p.total)} images` : `${formatCount(n)} image${n === 1 ? '' : 's'}`);
    this.saveButton.disabled = n === 0;
    const cells = syncChildren(this.grid, n, () => {
      const img = el(this.doc, 'img', { className: 'gankit-img', attrs: { alt: '', draggable: 'false' } });
      const cap = el(this.doc, 'figcaption', { className: 'gankit-caption' });
      return el(this.doc, 'figure', { className: 'gankit-cell', attrs: { role: 'listitem', tabindex: '0' } }, [img, cap]);
    });
    cells.forEach((cell, i) => {
      const info = p.images[i];
      cell.dataset.index = String(i);
      const img = cell.firstElementChild as HTMLImageElement;
      const cap = cell.lastElementChild as HTMLElement;
      if (this.shown.get(img) !== info.png) {
        img.src = pngDataUrl(info.png);
        this.shown.set(img, info.png);
      }
      const label = info.caption ?? `image ${i + 1}`;
      if (img.alt !== label) {
        img.alt = label;
      }
      setText(cap, info.caption ?? '');
      show(cap, info.caption !== undefined && info.caption !== '');
      if (info.caption) {
        cap.setAttribute('title', info.caption);
      } else {
        cap.removeAttribute('title');
      }
    });
    this.layout();
    if (this.enlarged >= n) {
      this.enlarge(-1);
    } else if (this.enlarged >= 0) {
      this.enlarge(this.enlarged, false);
    }
  }

  /** Apply zoom, columns, padding and pad colour to the grid. */
  private layout(): void {
    const p = this.payload;
    if (!p) {
      return;
    }
    const fitting = this.fitting;
    this.fittedWidth = fitting ? this.availableWidth() : -1;
    const z = this.zoom;
    const want = fitting ? 'fit' : String(z);
    if (!Array.from(this.zoomSelect.options).some(o => o.value === want)) {
      this.zoomSelect.appendChild(el(this.doc, 'option', { text: `${z}×`, attrs: { value: want } }));
    }
    if (this.zoomSelect.value !== want) {
      this.zoomSelect.value = want;
    }
    this.fullButton.setAttribute('aria-pressed', String(!fitting));
    setText(this.fullButton, fitting ? 'full size' : 'fit width');
    this.node.dataset.zoom = String(z);
    const g = gridLayout(p);
    const s = this.grid.style;
    s.gridTemplateColumns = `repeat(${g.cols}, ${g.cellW * z}px)`;
    s.gap = `${p.padding * z}px`;
    s.padding = `${p.padding * z}px`;
    s.backgroundColor = padColor(p.padValue);
    // Crisp square pixels when zoomed up by an integer; smooth when scaled down to fit.
    this.grid.classList.toggle('gankit-pixelated', z > 1 && Number.isInteger(z));
    Array.from(this.grid.children).forEach((cell, i) => {
      const img = cell.firstElementChild as HTMLImageElement;
      const info = p.images[i];
      img.style.width = `${info.width * z}px`;
      img.style.height = `${info.height * z}px`;
      (cell as HTMLElement).style.width = `${g.cellW * z}px`;
    });
  }

  /** Fit the width the view got once it is on the page. */
  override attached(): void {
    this.layout();
  }

  override resize(): void {
    if (this.fitting && this.availableWidth() !== this.fittedWidth) {
      this.layout();
    }
  }

  /** Enlarge image `i` (-1 closes); moves keyboard focus along unless `focus` is false. */
  enlarge(i: number, focus = true): void {
    const p = this.payload;
    if (!p || i < 0 || i >= p.images.length) {
      const was = this.enlarged;
      this.enlarged = -1;
      show(this.lightbox, false);
      show(this.scroll, true);
      if (focus && was >= 0) {
        (this.grid.children[was] as HTMLElement | undefined)?.focus({ preventScroll: true });
      }
      return;
    }
    this.enlarged = i;
    const info = p.images[i];
    if (this.shown.get(this.lbImg) !== info.png) {
      this.lbImg.src = pngDataUrl(info.png);
      this.shown.set(this.lbImg, info.png);
    }
    const z = enlargeZoom(Math.max(info.width, info.height));
    this.lbImg.style.width = `${info.width * z}px`;
    this.lbImg.alt = info.caption ?? `image ${i + 1}`;
    setText(this.lbCaption, info.caption ?? '');
    setText(this.lbIndex, `${i + 1} / ${p.images.length} (${info.width}×${info.height} px, ${z}×)`);
    show(this.lightbox, true);
    show(this.scroll, false);
    if (focus) {
      this.closeButton.focus({ preventScroll: true });
    }
  }

  get enlargedIndex(): number {
    return this.enlarged;
  }

  private step(d: number): void {
    const n = this.payload?.images.length ?? 0;
    if (n > 0 && this.enlarged >= 0) {
      this.enlarge((this.enlarged + d + n) % n);
    }
  }

  /** Compose the grid at native size (1 image pixel = 1 PNG pixel). */
  async toPng(): Promise<string> {
    const p = this.payload;
    if (!p || p.images.length === 0) {
      throw new Error('nothing to export');
    }
    const g = gridLayout(p);
    const canvas = this.doc.createElement('canvas');
    canvas.width = g.width;
    canvas.height = g.height;
    const ctx = this.context2d(canvas);
    if (!ctx) {
      throw new Error('canvas is not available');
    }
    ctx.fillStyle = padColor(p.padValue);
    ctx.fillRect(0, 0, g.width, g.height);
    const imgs = await Promise.all(p.images.map(i => this.loadImage(pngDataUrl(i.png))));
    imgs.forEach((img, i) => {
      const [x, y] = g.origin(i);
      ctx.drawImage(img, x, y, p.images[i].width, p.images[i].height);
    });
    return canvas.toDataURL('image/png');
  }

  /** The "Save PNG" button. */
  async save(): Promise<void> {
    setText(this.status, '');
    try {
      downloadDataUrl(this.doc, await this.toPng(), this.filename);
    } catch (e) {
      setText(this.status, `could not save: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
