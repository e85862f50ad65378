/**
 * Plot view: live loss curves drawn with plotly. Every update goes through `Plotly.react`
 * with a constant `uirevision`, so the plot redraws in place without flicker and keeps the
 * user's zoom, pan and hidden legend entries. A log/linear toggle, a TensorBoard-style
 * smoothing slider (off by default for short series), and a live/final/stopped badge sit above
 * the plot. Series on the right axis are dotted and marked "(right axis)" in the legend; series
 * in other panels (`panel`) get stacked subplots sharing the x axis. Plotly itself is loaded
 * lazily, on the first plot shown.
 */
import { el, setText, show } from '../dom';
import { formatCount } from '../format';
import type { PlotlyLike } from '../plotly';
import { capPoints, defaultSmoothing, emaSmooth } from '../smoothing';
import { plotTheme, type PlotTheme } from '../theme';
import { validatePlot, type PlotData } from '../validate';
import { BaseView, type ViewDeps } from './base';

export type Scale = 'linear' | 'log';

export interface FigureOptions {
  scale: Scale;
  smoothing: number;
  maxPoints: number;
  theme: PlotTheme;
}

export interface Figure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
  config: Record<string, unknown>;
}

/**
 * Plotly renders titles, names and labels as a small subset of HTML; escape the three
 * characters that could start markup or an entity so payload text always shows literally.
 */
export function plotlyText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Plotly id of the left ('y') or right ('y2') axis of stacked panel `panel` (0 = top): y, y2, y3, y4, ... */
export function axisId(panel: number, axis: 'y' | 'y2'): string {
  const n = 2 * panel + (axis === 'y2' ? 2 : 1);
  return n === 1 ? 'y' : `y${n}`;
}

/** Title of one axis: the payload's yLabel on the first panel's left axis, else the names of the series drawn on it. */
export function axisTitle(p: PlotData, panel: number, axis: 'y' | 'y2'): string {
  if (panel === 0 && axis === 'y' && p.yLabel) {
    return p.yLabel;
  }
  return p.series
    .filter(s => (s.panel ?? 0) === panel && (s.axis ?? 'y') === axis)
    .map(s => s.name)
    .join(', ');
}

/** Legend label: the series name, marked "(right axis)" where its panel also has a left axis. */
export function legendName(p: PlotData, i: number): string {
  const s = p.series[i];
  const panel = s.panel ?? 0;
  const twoAxes = s.axis === 'y2' && p.series.some(o => (o.panel ?? 0) === panel && (o.axis ?? 'y') === 'y');
  return twoAxes ? `${s.name} (right axis)` : s.name;
}

/** Height in px of a plot with `panels` stacked panels. */
export function plotHeight(panels: number): number {
  return 320 + 180 * (panels - 1);
}

/** The plotly figure for a payload: pure, so it can be tested without plotly. */
export function buildFigure(p: PlotData, o: FigureOptions): Figure {
  const t = o.theme;
  const smoothed = o.smoothing > 0;
  const panels = Math.max(1, ...p.series.map(s => (s.panel ?? 0) + 1));
  const data: Record<string, unknown>[] = [];
  p.series.forEach((s, i) => {
    const color = t.colorway[i % t.colorway.length];
    const name = plotlyText(legendName(p, i));
    const yaxis = axisId(s.panel ?? 0, s.axis === 'y2' ? 'y2' : 'y');
    const ys = s.points.map(pt => pt[1]);
    const sm = smoothed ? emaSmooth(ys, o.smoothing) : ys;
    const idx = capPoints(
      s.points.map((_, j) => j),
      o.maxPoints
    );
    const x = idx.map(j => s.points[j][0]);
    const dash = s.axis === 'y2' ? 'dot' : 'solid';
    data.push({
      type: 'scatter',
      mode: 'lines',
      uid: `s${i}-raw`,
      name,
      legendgroup: `s${i}`,
      showlegend: !smoothed,
      x,
      y: idx.map(j => ys[j]),
      yaxis,
      opacity: smoothed ? 0.25 : 1,
      line: { color, width: smoothed ? 1 : 1.5, dash },
      hoverinfo: smoothed ? 'skip' : 'x+y+name'
    });
    if (smoothed) {
      data.push({
        type: 'scatter',
        mode: 'lines',
        uid: `s${i}-smooth`,
        name,
        legendgroup: `s${i}`,
        showlegend: true,
        x,
        y: idx.map(j => sm[j]),
        yaxis,
        line: { color, width: 2, dash }
      });
    }
  });
  const axis = (title: string | undefined) => ({
    title: { text: title ? plotlyText(title) : '' },
    gridcolor: t.grid,
    linecolor: t.line,
    zerolinecolor: t.line,
    automargin: true
  });
  const hasY2 = p.series.some(s => s.axis === 'y2');
  const layout: Record<string, unknown> = {
    // Constant uirevision: Plotly.react keeps zoom/pan/legend state across data updates.
    uirevision: 'gankit',
    autosize: true,
    height: plotHeight(panels),
    // With a title, the legend gets its own line under it (they overlapped on narrow outputs).
    margin: { l: 56, r: hasY2 ? 56 : 16, t: p.title ? 64 : 36, b: 44 },
    paper_bgcolor: t.paper,
    plot_bgcolor: t.plot,
    font: { color: t.font, family: t.fontFamily, size: 12 },
    colorway: t.colorway,
    hovermode: 'x unified',
    hoverlabel: { namelength: -1 },
    // Legend above the plot on the right, clear of the left-aligned title.
    legend: { orientation: 'h', x: 1, xanchor: 'right', y: 1.02, yanchor: 'bottom', bgcolor: 'rgba(0,0,0,0)' },
    showlegend: true,
    // One x axis for all panels, drawn under the bottom one.
    xaxis: { ...axis(p.xLabel ?? 'step'), anchor: axisId(panels - 1, 'y') }
  };
  if (p.title) {
    layout.title = { text: plotlyText(p.title), x: 0.02, xanchor: 'left', y: 1, yref: 'container', yanchor: 'top', pad: { t: 10 }, font: { size: 14 } };
  }
  const gap = panels > 1 ? 0.08 : 0;
  const h = (1 - gap * (panels - 1)) / panels;
  for (let k = 0; k < panels; k++) {
    const top = 1 - k * (h + gap);
    const r3 = (v: number) => Math.round(v * 1000) / 1000;
    const domain = [r3(Math.max(0, top - h)), r3(Math.min(1, top))];
    const left = axisId(k, 'y');
    // Axis-level uirevision follows the scale so switching linear/log resets the y range.
    const common = { type: o.scale, uirevision: o.scale, anchor: 'x', domain };
    layout[left.replace('y', 'yaxis')] = { ...axis(axisTitle(p, k, 'y')), ...common };
    if (p.series.some(s => (s.panel ?? 0) === k && s.axis === 'y2')) {
      // tickmode 'auto': plotly's default for an overlaying axis ('sync') puts its ticks on the left
      // axis' grid lines, at values like 0.209 / 0.393; 'auto' gives round ticks of its own.
      layout[axisId(k, 'y2').replace('y', 'yaxis')] = {
        ...axis(axisTitle(p, k, 'y2')),
        ...common,
        overlaying: left,
        side: 'right',
        showgrid: false,
        tickmode: 'auto'
      };
    }
  }
  const config = {
    displaylogo: false,
    responsive: false,
    modeBarButtonsToRemove: ['select2d', 'lasso2d'],
    toImageButtonOptions: { format: 'png', filename: 'gankit-plot' }
  };
  return { data, layout, config };
}

export class PlotView extends BaseView<PlotData> {
  readonly filename = 'gankit-plot.png';
  private readonly scaleButtons: Record<Scale, HTMLButtonElement>;
  private readonly slider: HTMLInputElement;
  private readonly sliderValue: HTMLSpanElement;
  private readonly badge: HTMLSpanElement;
  private readonly pointsNode: HTMLSpanElement;
  readonly plotArea: HTMLDivElement;
  private readonly loading: HTMLDivElement;
  private plotly: PlotlyLike | null = null;
  private loadingPlotly: Promise<PlotlyLike> | null = null;
  private drawing = false;
  private dirty = false;
  private plotted = false;
  private userScale: Scale | null = null;
  private userSmoothing: number | null = null;
  private resizeObserver: ResizeObserver | null = null;
  private resizeQueued = false;
  /** Number of Plotly.react calls (for tests and diagnostics). */
  draws = 0;

  constructor(deps: ViewDeps) {
    super(deps, 'plot');
    const d = this.doc;
    const scaleBtn = (s: Scale) =>
      el(d, 'button', { className: 'gankit-button', text: s, attrs: { type: 'button', 'data-scale': s, 'aria-pressed': 'false' } });
    this.scaleButtons = { linear: scaleBtn('linear'), log: scaleBtn('log') };
    this.slider = el(d, 'input', {
      className: 'gankit-smoothing',
      attrs: { type: 'range', min: '0', max: '0.99', step: '0.01', 'aria-label': 'smoothing' }
    });
    this.sliderValue = el(d, 'span', { className: 'gankit-smoothing-value' });
    this.badge = el(d, 'span', { className: 'gankit-badge' });
    this.pointsNode = el(d, 'span', { className: 'gankit-note' });
    const toolbar = el(d, 'div', { className: 'gankit-toolbar' }, [
      el(d, 'span', { className: 'gankit-scale', attrs: { role: 'group', 'aria-label': 'y scale' } }, [this.scaleButtons.linear, this.scaleButtons.log]),
      el(d, 'label', { className: 'gankit-smoothing-label' }, [el(d, 'span', { className: 'gankit-label', text: 'smoothing' }), this.slider, this.sliderValue]),
      this.pointsNode,
      el(d, 'span', { className: 'gankit-spacer' }),
      this.badge
    ]);
    this.plotArea = el(d, 'div', { className: 'gankit-plot-area' });
    this.loading = el(d, 'div', { className: 'gankit-loading', text: 'Loading plotly…' });
    this.body.append(toolbar, this.loading, this.plotArea);

    for (const s of ['linear', 'log'] as const) {
      this.listen(this.scaleButtons[s], 'click', () => this.setScale(s));
    }
    this.listen(this.slider, 'input', () => this.setSmoothing(Number(this.slider.value)));
    this.onDispose(deps.settings.subscribe(() => this.invalidate()));
    this.onDispose(deps.themeChanged.subscribe(() => this.invalidate()));
    const RO = d.defaultView?.ResizeObserver;
    if (RO) {
      this.resizeObserver = new RO(() => this.resize());
      this.resizeObserver.observe(this.plotArea);
      this.onDispose(() => this.resizeObserver?.disconnect());
    }
    this.onDispose(() => {
      if (this.plotly && this.plotted) {
        this.plotly.purge(this.plotArea);
      }
    });
  }

  get scale(): Scale {
    return this.userScale ?? this.payload?.scale ?? 'linear';
  }

  /** Smoothing weight in use: the user's, else the setting's for long series, else 0 (see defaultSmoothing). */
  get smoothing(): number {
    return this.userSmoothing ?? defaultSmoothing(this.payload, this.deps.settings.value.defaultSmoothing);
  }

  setScale(s: Scale): void {
    this.userScale = s;
    this.syncControls();
    this.invalidate();
  }

  toggleScale(): void {
    this.setScale(this.scale === 'log' ? 'linear' : 'log');
  }

  setSmoothing(w: number): void {
    this.userSmoothing = Math.min(0.99, Math.max(0, Number.isFinite(w) ? w : 0));
    this.syncControls();
    this.invalidate();
  }

  /** The figure for the current payload and controls. */
  figure(): Figure | null {
    const p = this.payload;
    if (!p) {
      return null;
    }
    return buildFigure(p, {
      scale: this.scale,
      smoothing: this.smoothing,
      maxPoints: Math.min(p.maxPoints, this.deps.settings.value.maxPlotPoints),
      theme: plotTheme(this.node)
    });
  }

  protected validate(data: unknown): PlotData {
    return validatePlot(data);
  }

  protected update(p: PlotData): Promise<void> {
    this.syncControls();
    const n = p.series.reduce((a, s) => a + s.points.length, 0);
    setText(this.pointsNode, `${p.series.length} series, ${formatCount(n)} points`);
    // A run stopped or interrupted before its end says so; the pulsing dot only while updates may come.
    setText(this.badge, p.stopped ? 'stopped' : p.final ? 'final' : 'live');
    this.badge.classList.toggle('gankit-live', !p.final);
    this.badge.classList.toggle('gankit-stopped', !!p.stopped);
    return this.invalidate();
  }

  private syncControls(): void {
    for (const s of ['linear', 'log'] as const) {
      this.scaleButtons[s].setAttribute('aria-pressed', String(this.scale === s));
    }
    const w = this.smoothing;
    if (Number(this.slider.value) !== w) {
      this.slider.value = String(w);
    }
    setText(this.sliderValue, w.toFixed(2));
  }

  /** Mark the figure stale and redraw (after loading plotly if needed). */
  invalidate(): Promise<void> {
    if (!this.payload) {
      return Promise.resolve();
    }
    this.dirty = true;
    if (this.plotly) {
      return this.flush();
    }
    if (!this.loadingPlotly) {
      this.loadingPlotly = this.deps.loadPlotly();
    }
    return this.loadingPlotly.then(
      plotly => {
        this.plotly = plotly;
        return this.flush();
      },
      e => {
        this.loadingPlotly = null;
        this.showError(new Error(`plotly could not be loaded (${e instanceof Error ? e.message : String(e)})`));
      }
    );
  }

  /** Draw the latest state; coalesces updates that arrive while a draw is in flight. */
  private async flush(): Promise<void> {
    if (this.drawing || !this.plotly || this.isDisposed || !this.plotArea.isConnected) {
      return;
    }
    this.drawing = true;
    try {
      while (this.dirty && this.payload && !this.isDisposed) {
        this.dirty = false;
        const f = this.figure()!;
        await this.plotly.react(this.plotArea, f.data, f.layout, f.config);
        this.draws++;
        this.plotted = true;
        show(this.loading, false);
      }
    } finally {
      this.drawing = false;
    }
  }

  override attached(): void {
    void this.flush();
  }

  override resize(): void {
    if (this.resizeQueued || !this.plotly || !this.plotted) {
      if (this.dirty) {
        void this.flush();
      }
      return;
    }
    this.resizeQueued = true;
    const raf = this.doc.defaultView?.requestAnimationFrame?.bind(this.doc.defaultView) ?? ((f: () => void) => setTimeout(f, 16));
    raf(() => {
      this.resizeQueued = false;
      if (this.plotly && this.plotted && this.plotArea.isConnected && this.plotArea.clientWidth > 0) {
        // Plots.resize rejects when the plot was hidden meanwhile; nothing to do then.
        Promise.resolve(this.plotly.Plots.resize(this.plotArea)).catch(() => undefined);
      }
    });
  }

  async toPng(): Promise<string> {
    if (!this.plotly || !this.plotted) {
      throw new Error('the plot is not drawn yet');
    }
    return this.plotly.toImage(this.plotArea, {
      format: 'png',
      width: Math.max(320, this.plotArea.clientWidth || 800),
      height: Math.max(200, this.plotArea.clientHeight || 320),
      scale: 2
    });
  }
}
