/**
 * The latent explorer view: runs the payload's generator in the page with tfjs (loaded lazily) and shows
 * a live grid of samples around the current latent point. The point comes from a 2-D pad whose corners
 * are four anchor latents (blended spherically or linearly), sliders along a few unit directions,
 * truncation, and for conditional generators a class; "new anchors" draws four new corners and
 * "copy z" puts the point as TypeScript on the clipboard. Frames are scheduled latest-wins, so a drag
 * never queues stale frames; the model and its tensors are freed when the output goes away.
 */
import type { ExplorerPayload } from '../contract';
import { el, setText, show } from '../dom';
import { LiveGenerator } from '../explorer/generator';
import {
  copyZCode,
  currentPoint,
  neighbourOffsets,
  sampleBatch,
  SLIDER_RANGE,
  type ExplorerState,
  type Vec
} from '../explorer/latent';
import { LatestWins } from '../explorer/schedule';
import { validateExplorer } from '../explorer/validate';
import type { TfjsRuntime } from '../tfjs';
import { BaseView, type ViewDeps } from './base';

/** Side of the pad canvas and of the anchor thumbnails at its corners, in CSS pixels. */
const PAD = 240;
const THUMB = 52;
/** Target width of the sample grid on screen, in CSS pixels. */
const GRID_WIDTH = 300;

/** What a drawn frame reports (also as the `gankit-explorer-frame` event's detail). */
export interface FrameInfo {
  /** Milliseconds from the earliest input the frame shows to its pixels being on the canvas. */
  ms: number;
  frame: number;
}

export class ExplorerView extends BaseView<ExplorerPayload> {
  readonly filename = 'gankit-explorer.png';
  private readonly titleNode: HTMLDivElement;
  private readonly status: HTMLDivElement;
  private readonly pad: HTMLCanvasElement;
  private readonly samplesCanvas: HTMLCanvasElement;
  private readonly sliderBox: HTMLDivElement;
  private readonly truncOn: HTMLInputElement;
  private readonly truncSlider: HTMLInputElement;
  private readonly truncValue: HTMLSpanElement;
  private readonly spreadSlider: HTMLInputElement;
  private readonly spreadValue: HTMLSpanElement;
  private readonly modeSelect: HTMLSelectElement;
  private readonly classSelect: HTMLSelectElement;
  private readonly classRow: HTMLLabelElement;
  private readonly newAnchors: HTMLButtonElement;
  private readonly copyButton: HTMLButtonElement;
  private readonly copyNote: HTMLSpanElement;
  private readonly copyText: HTMLTextAreaElement;
  private readonly scheduler: LatestWins;
  private runtime: TfjsRuntime | null = null;
  private generator: LiveGenerator | null = null;
  /** Bumped by every payload, so a slow load for an older payload is dropped. */
  private loadId = 0;
  private state: ExplorerState | null = null;
  private anchors: Vec[] = [];
  private directions: Vec[] = [];
  private offsets: Vec[] = [];
  private thumbs: HTMLCanvasElement | null = null;
  private thumbsStale = true;
  private inputAt: number | null = null;
  private dragging = false;
  /** Frames drawn so far. */
  frames = 0;
  /** The last frame's latency in ms. */
  lastMs: number | null = null;

  constructor(deps: ViewDeps) {
    super(deps, 'explorer');
    const d = this.doc;
    this.titleNode = el(d, 'div', { className: 'gankit-title' });
    this.status = el(d, 'div', { className: 'gankit-explorer-status', attrs: { 'aria-live': 'polite' } });
    this.pad = el(d, 'canvas', {
      className: 'gankit-explorer-pad',
      attrs: { tabindex: '0', role: 'slider', 'aria-label': 'latent pad: drag to blend the four corner anchors' }
    });
    this.pad.width = PAD;
    this.pad.height = PAD;
    this.samplesCanvas = el(d, 'canvas', { className: 'gankit-explorer-samples', attrs: { 'aria-label': 'samples around the current point' } });
    this.sliderBox = el(d, 'div', { className: 'gankit-explorer-sliders' });
    this.truncOn = el(d, 'input', { attrs: { type: 'checkbox', 'aria-label': 'truncation on' } });
    this.truncSlider = el(d, 'input', { className: 'gankit-explorer-truncation', attrs: { type: 'range', min: '0.1', max: '4', step: '0.05', 'aria-label': 'truncation threshold' } });
    this.truncValue = el(d, 'span', { className: 'gankit-explorer-value' });
    this.spreadSlider = el(d, 'input', { className: 'gankit-explorer-spread', attrs: { type: 'range', min: '0', max: '2', step: '0.05', 'aria-label': 'neighbourhood spread' } });
    this.spreadValue = el(d, 'span', { className: 'gankit-explorer-value' });
    this.modeSelect = el(d, 'select', { className: 'gankit-explorer-mode', attrs: { 'aria-label': 'interpolation' } }, [
      el(d, 'option', { text: 'spherical', attrs: { value: 'spherical' } }),
      el(d, 'option', { text: 'linear', attrs: { value: 'linear' } })
    ]);
    this.classSelect = el(d, 'select', { className: 'gankit-explorer-class', attrs: { 'aria-label': 'class' } });
    this.classRow = el(d, 'label', { className: 'gankit-explorer-row' }, [el(d, 'span', { text: 'class' }), this.classSelect]);
    this.newAnchors = el(d, 'button', { className: 'gankit-button gankit-explorer-new', text: 'new anchors', title: 'Draw four new corner latents (next seed)' });
    this.copyButton = el(d, 'button', { className: 'gankit-button gankit-explorer-copy', text: 'copy z', title: 'Copy the current latent as TypeScript for the next cell' });
    this.copyNote = el(d, 'span', { className: 'gankit-explorer-note' });
    this.copyText = el(d, 'textarea', { className: 'gankit-explorer-code', attrs: { readonly: '', rows: '6', 'aria-label': 'current latent as TypeScript' } });
    this.copyText.hidden = true;
    const row = (label: string, ...nodes: Node[]) =>
      el(d, 'label', { className: 'gankit-explorer-row' }, [el(d, 'span', { text: label }), ...nodes]);
    const controls = el(d, 'div', { className: 'gankit-explorer-controls' }, [
      this.sliderBox,
      row('truncation', this.truncOn, this.truncSlider, this.truncValue),
      row('spread', this.spreadSlider, this.spreadValue),
      row('blend', this.modeSelect),
      this.classRow,
      el(d, 'div', { className: 'gankit-explorer-row' }, [this.newAnchors, this.copyButton, this.copyNote])
    ]);
    const left = el(d, 'div', { className: 'gankit-explorer-left' }, [
      this.pad,
      el(d, 'div', { className: 'gankit-explorer-caption', text: 'drag: the corners are four anchor latents' })
    ]);
    const middle = el(d, 'div', { className: 'gankit-explorer-middle' }, [
      this.samplesCanvas,
      el(d, 'div', { className: 'gankit-explorer-caption', text: 'top left: the point; the rest: neighbours within the spread' })
    ]);
    this.body.append(
      this.titleNode,
      el(d, 'div', { className: 'gankit-explorer-main' }, [left, middle, controls]),
      this.copyText,
      this.status
    );
    const win = d.defaultView!;
    this.scheduler = new LatestWins(
      { request: cb => win.requestAnimationFrame(cb), cancel: h => win.cancelAnimationFrame(h) },
      () => this.frame(),
      e => this.showError(e)
    );
    this.onDispose(() => this.scheduler.dispose());
    this.onDispose(() => this.dropGenerator());
    this.wire();
  }

  protected validate(data: unknown): ExplorerPayload {
    return validateExplorer(data);
  }

  protected async update(p: ExplorerPayload): Promise<void> {
    const id = ++this.loadId;
    this.dropGenerator();
    setText(this.titleNode, p.title ?? '');
    show(this.titleNode, !!p.title);
    this.state = {
      u: 0.5,
      v: 0.5,
      sliders: p.directions.map(() => 0),
      truncation: p.truncation,
      spread: p.spread,
      interpolation: p.interpolation,
      label: p.classes ? p.label ?? 0 : null,
      seed: p.seed
    };
    this.anchors = p.anchors.map(a => Float64Array.from(a));
    this.directions = p.directions.map(a => Float64Array.from(a));
    this.offsets = neighbourOffsets(p.samples, p.latentDim, p.seed);
    this.syncControls(p);
    this.drawPad();
    setText(this.status, 'loading TensorFlow.js…');
    const runtime = await this.deps.loadTfjs();
    if (id !== this.loadId || this.isDisposed) {
      return;
    }
    const gen = await LiveGenerator.create(runtime.tf, p);
    if (id !== this.loadId || this.isDisposed) {
      gen.dispose();
      return;
    }
    this.runtime = runtime;
    this.generator = gen;
    this.thumbsStale = true;
    this.requestFrame();
  }

  /** The current latent point (what "copy z" copies), or null before a payload. */
  currentZ(): Vec | null {
    return this.state ? currentPoint(this.anchors, this.directions, this.state) : null;
  }

  /** The code "copy z" writes for the current point. */
  copyCode(): string {
    const z = this.currentZ();
    if (!z || !this.payload || !this.state) {
      throw new Error('nothing to copy yet');
    }
    return copyZCode(z, this.state, this.payload);
  }

  async toPng(): Promise<string> {
    if (this.frames === 0) {
      throw new Error('nothing to export yet');
    }
    return this.samplesCanvas.toDataURL('image/png');
  }

  // ---- input --------------------------------------------------------------------------------

  private wire(): void {
    const movePoint = (ev: MouseEvent) => {
      const r = this.pad.getBoundingClientRect();
      const w = r.width || this.pad.width;
      const h = r.height || this.pad.height;
      this.setPoint((ev.clientX - r.left) / w, (ev.clientY - r.top) / h);
    };
    this.listen(this.pad, 'pointerdown', ev => {
      this.dragging = true;
      try {
        this.pad.setPointerCapture(ev.pointerId);
      } catch {
        // Synthetic events (tests) have no active pointer to capture; dragging works without capture.
      }
      movePoint(ev);
    });
    this.listen(this.pad, 'pointermove', ev => {
      if (this.dragging) {
        movePoint(ev);
      }
    });
    const stop = () => {
      this.dragging = false;
    };
    this.listen(this.pad, 'pointerup', stop);
    this.listen(this.pad, 'pointercancel', stop);
    this.listen(this.pad, 'keydown', ev => {
      const s = this.state;
      const step = ev.shiftKey ? 0.1 : 0.02;
      const moves: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
      const m = moves[ev.key];
      if (s && m) {
        ev.preventDefault();
        this.setPoint(s.u + m[0], s.v + m[1]);
      }
    });
    this.listen(this.truncOn, 'change', () => this.setTruncation());
    this.listen(this.truncSlider, 'input', () => this.setTruncation());
    this.listen(this.spreadSlider, 'input', () => {
      this.change(s => (s.spread = Number(this.spreadSlider.value)));
      setText(this.spreadValue, Number(this.spreadSlider.value).toFixed(2));
    });
    this.listen(this.modeSelect, 'change', () => {
      this.change(s => (s.interpolation = this.modeSelect.value === 'linear' ? 'linear' : 'spherical'));
    });
    this.listen(this.classSelect, 'change', () => {
      this.thumbsStale = true;
      this.change(s => (s.label = Number(this.classSelect.value)));
    });
    this.listen(this.newAnchors, 'click', () => void this.drawNewAnchors().catch(e => this.showError(e)));
    this.listen(this.copyButton, 'click', () => void this.copy());
  }

  private setPoint(u: number, v: number): void {
    const clamp = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0.5);
    this.change(s => {
      s.u = clamp(u);
      s.v = clamp(v);
    });
    this.drawPad();
  }

  private setTruncation(): void {
    const t = Number(this.truncSlider.value);
    this.truncSlider.disabled = !this.truncOn.checked;
    setText(this.truncValue, this.truncOn.checked ? t.toFixed(2) : 'off');
    this.change(s => (s.truncation = this.truncOn.checked ? t : null));
  }

  /** Apply a state change and ask for a frame (remembering when the first unshown input came). */
  private change(fn: (s: ExplorerState) => void): void {
    if (!this.state) {
      return;
    }
    fn(this.state);
    this.requestFrame();
  }

  private requestFrame(): void {
    this.inputAt ??= performance.now();
    this.scheduler.request();
  }

  /** Four new corners from the next seed: tf.randomNormal([4, nz], 0, 1, 'float32', seed), as gankit's sampleNoise. */
  private async drawNewAnchors(): Promise<void> {
    const rt = this.runtime;
    const p = this.payload;
    if (!rt || !p || !this.state) {
      return;
    }
    const seed = this.state.seed + 1;
    const z = rt.tf.randomNormal([4, p.latentDim], 0, 1, 'float32', seed);
    const rows = (await z.array()) as number[][];
    z.dispose();
    if (!this.state || this.payload !== p) {
      return;
    }
    this.anchors = rows.map(r => Float64Array.from(r));
    this.thumbsStale = true;
    this.change(s => (s.seed = seed));
  }

  private async copy(): Promise<void> {
    let code: string;
    try {
      code = this.copyCode();
    } catch (e) {
      setText(this.copyNote, String(e instanceof Error ? e.message : e));
      return;
    }
    this.copyText.value = code;
    const clip = this.doc.defaultView?.navigator.clipboard;
    try {
      if (!clip) {
        throw new Error('no clipboard in this page');
      }
      await clip.writeText(code);
      this.copyText.hidden = true;
      setText(this.copyNote, `copied z (${this.payload?.latentDim ?? 0} numbers) as TypeScript`);
    } catch (e) {
      // The clipboard needs permission (or a secure page): show the code to copy by hand.
      this.copyText.hidden = false;
      this.copyText.select();
      setText(this.copyNote, `clipboard unavailable (${e instanceof Error ? e.message : String(e)}): copy the code below`);
    }
  }

  // ---- drawing ------------------------------------------------------------------------------

  private syncControls(p: ExplorerPayload): void {
    const d = this.doc;
    const s = this.state!;
    this.sliderBox.replaceChildren(
      ...p.directions.map((_, k) => {
        const input = el(d, 'input', {
          className: 'gankit-explorer-direction',
          attrs: { type: 'range', min: String(-SLIDER_RANGE), max: String(SLIDER_RANGE), step: '0.05', value: '0', 'aria-label': `direction ${k + 1}` }
        });
        const value = el(d, 'span', { className: 'gankit-explorer-value', text: '0.00' });
        this.listen(input, 'input', () => {
          setText(value, Number(input.value).toFixed(2));
          this.change(st => (st.sliders[k] = Number(input.value)));
        });
        return el(d, 'label', { className: 'gankit-explorer-row' }, [el(d, 'span', { text: `direction ${k + 1}` }), input, value]);
      })
    );
    this.truncOn.checked = s.truncation !== null;
    this.truncSlider.value = String(s.truncation ?? 2);
    this.truncSlider.disabled = s.truncation === null;
    setText(this.truncValue, s.truncation === null ? 'off' : s.truncation.toFixed(2));
    this.spreadSlider.value = String(s.spread);
    setText(this.spreadValue, s.spread.toFixed(2));
    this.modeSelect.value = s.interpolation;
    this.classSelect.replaceChildren(...(p.classes ?? []).map((c, i) => el(d, 'option', { text: `${i}: ${c}`, attrs: { value: String(i) } })));
    if (s.label !== null) {
      this.classSelect.value = String(s.label);
    }
    show(this.classRow, !!p.classes);
    this.copyText.hidden = true;
    setText(this.copyNote, '');
    const nrow = Math.ceil(Math.sqrt(p.samples));
    const rows = Math.ceil(p.samples / nrow);
    this.samplesCanvas.width = nrow * (p.image.width + 1) - 1;
    this.samplesCanvas.height = rows * (p.image.height + 1) - 1;
    const zoom = Math.max(1, Math.floor(GRID_WIDTH / this.samplesCanvas.width));
    this.samplesCanvas.style.width = `${this.samplesCanvas.width * zoom}px`;
    this.samplesCanvas.style.height = `${this.samplesCanvas.height * zoom}px`;
  }

  /** The pad: a light grid, the four anchor images at the corners, and the point. */
  private drawPad(): void {
    const ctx = this.context2d(this.pad);
    const s = this.state;
    if (!ctx || !s) {
      return;
    }
    const style = this.doc.defaultView?.getComputedStyle(this.node);
    const fg = style?.getPropertyValue('--gankit-fg').trim() || '#212121';
    const border = style?.getPropertyValue('--gankit-border').trim() || '#e0e0e0';
    const accent = style?.getPropertyValue('--gankit-accent').trim() || '#1976d2';
    ctx.clearRect(0, 0, PAD, PAD);
    ctx.strokeStyle = border;
    ctx.lineWidth = 1;
    for (let i = 1; i < 4; i++) {
      ctx.beginPath();
      ctx.moveTo((i * PAD) / 4, 0);
      ctx.lineTo((i * PAD) / 4, PAD);
      ctx.moveTo(0, (i * PAD) / 4);
      ctx.lineTo(PAD, (i * PAD) / 4);
      ctx.stroke();
    }
    if (this.thumbs) {
      ctx.imageSmoothingEnabled = false;
      const w = (this.thumbs.width - 3) / 4;
      const h = this.thumbs.height;
      [
        [0, 0],
        [PAD - THUMB, 0],
        [0, PAD - THUMB],
        [PAD - THUMB, PAD - THUMB]
      ].forEach(([x, y], i) => ctx.drawImage(this.thumbs!, i * (w + 1), 0, w, h, x, y, THUMB, THUMB));
    }
    ctx.strokeStyle = fg;
    ctx.strokeRect(0.5, 0.5, PAD - 1, PAD - 1);
    this.pad.setAttribute('aria-valuetext', `u ${s.u.toFixed(2)}, v ${s.v.toFixed(2)}`);
    const x = s.u * PAD;
    const y = s.v * PAD;
    ctx.fillStyle = accent;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(x, y, 7, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }

  /** One frame: (the anchor thumbnails if stale, then) the samples around the current point. */
  private async frame(): Promise<void> {
    const gen = this.generator;
    const p = this.payload;
    const s0 = this.state;
    if (!gen || !p || !s0) {
      return;
    }
    const since = this.inputAt ?? performance.now();
    this.inputAt = null;
    const s: ExplorerState = { ...s0, sliders: [...s0.sliders] };
    if (this.thumbsStale) {
      this.thumbsStale = false;
      const corners = new Float32Array(4 * p.latentDim);
      this.anchors.forEach((a, i) => corners.set(a, i * p.latentDim));
      const t = await gen.grid(corners, 4, s.label, 4);
      if (gen !== this.generator) {
        return;
      }
      this.thumbs = this.putPixels(this.thumbs ?? this.doc.createElement('canvas'), t.rgba, t.width, t.height);
      this.drawPad();
    }
    const z = currentPoint(this.anchors, this.directions, s);
    const nrow = Math.ceil(Math.sqrt(p.samples));
    const g = await gen.grid(sampleBatch(z, this.offsets, s.spread, s.truncation), p.samples, s.label, nrow);
    if (gen !== this.generator) {
      return;
    }
    this.putPixels(this.samplesCanvas, g.rgba, g.width, g.height);
    const ms = performance.now() - since;
    this.frames++;
    this.lastMs = ms;
    this.node.setAttribute('data-frames', String(this.frames));
    this.node.setAttribute('data-frame-ms', ms.toFixed(1));
    this.node.setAttribute('data-pending', this.scheduler.pending ? 'true' : 'false');
    const rt = this.runtime;
    const why = rt && rt.skipped.length ? ` (${rt.skipped.join('; ')})` : '';
    setText(this.status, `${rt?.backend ?? '?'}${why} · ${p.samples} samples · ${ms.toFixed(0)} ms to the last frame`);
    const win = this.doc.defaultView!;
    this.node.dispatchEvent(new win.CustomEvent<FrameInfo>('gankit-explorer-frame', { detail: { ms, frame: this.frames } }));
  }

  /** Size `canvas` to the pixels and put them there. */
  private putPixels(canvas: HTMLCanvasElement, rgba: Uint8ClampedArray, width: number, height: number): HTMLCanvasElement {
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    const ctx = this.context2d(canvas);
    if (ctx) {
      const img = ctx.createImageData(width, height);
      img.data.set(rgba);
      ctx.putImageData(img, 0, 0);
    }
    return canvas;
  }

  private dropGenerator(): void {
    this.generator?.dispose();
    this.generator = null;
    this.thumbs = null;
  }
}
