import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { plotTheme } from '../src/theme';
import { validatePlot } from '../src/validate';
import { defaultSmoothing, emaSmooth, SMOOTH_MIN_POINTS } from '../src/smoothing';
import { PlotView, axisId, buildFigure, plotlyText } from '../src/views/plot';
import { countNodes, deps, makeWindow, plotPayload, stubPlotly, tick } from './helpers';

function setup(options: { dark?: boolean; attach?: boolean; loadPlotly?: () => Promise<any> } = {}) {
  const w = makeWindow({ dark: options.dark });
  const plotly = stubPlotly();
  let loads = 0;
  const d = deps(w.doc, {
    loadPlotly:
      options.loadPlotly ??
      (() => {
        loads++;
        return Promise.resolve(plotly);
      })
  });
  const view = new PlotView(d);
  if (options.attach !== false) {
    w.doc.body.appendChild(view.node);
  }
  const q = (sel: string) => view.node.querySelector(sel) as HTMLElement;
  return { ...w, d, view, plotly, q, loads: () => loads };
}

const theme = () => plotTheme(makeWindow().doc.body);

describe('plot: figure', () => {
  test('raw traces only when smoothing is off', () => {
    const f = buildFigure(validatePlot(plotPayload(10)), { scale: 'linear', smoothing: 0, maxPoints: 1000, theme: theme() });
    assert.equal(f.data.length, 2);
    assert.deepEqual(f.data.map(t => t.name), ['Loss_D', 'Loss_G']);
    assert.deepEqual((f.data[0].x as number[]).slice(0, 3), [0, 1, 2]);
    assert.equal(f.data[0].opacity, 1);
    assert.equal(f.layout.uirevision, 'gankit', 'constant uirevision keeps the user zoom');
    assert.equal((f.layout.yaxis as any).type, 'linear');
    assert.equal((f.layout.xaxis as any).title.text, 'iteration');
    assert.equal((f.layout.title as any).text, 'DCGAN losses');
    assert.equal(f.layout.yaxis2, undefined);
  });

  test('smoothing adds a smoothed trace per series over a faded raw one', () => {
    const p = validatePlot(plotPayload(20));
    const f = buildFigure(p, { scale: 'log', smoothing: 0.6, maxPoints: 1000, theme: theme() });
    assert.equal(f.data.length, 4);
    const [raw, smooth] = f.data;
    assert.equal(raw.opacity, 0.25);
    assert.equal(raw.showlegend, false);
    assert.equal(smooth.showlegend, true);
    assert.equal(raw.legendgroup, smooth.legendgroup);
    assert.deepEqual((raw.line as any).color, (smooth.line as any).color);
    assert.notDeepEqual(raw.y, smooth.y);
    assert.ok(Math.abs((smooth.y as number[])[0] - (raw.y as number[])[0]) < 1e-12, 'debiased: first point unchanged');
    assert.equal((f.layout.yaxis as any).type, 'log');
    assert.equal((f.layout.yaxis as any).uirevision, 'log', 'switching scale resets the y range only');
    assert.deepEqual(f.data.map(t => t.uid), ['s0-raw', 's0-smooth', 's1-raw', 's1-smooth']);
  });

  test('caps points per series, keeping the newest', () => {
    const p = validatePlot(plotPayload(5000));
    const f = buildFigure(p, { scale: 'linear', smoothing: 0.5, maxPoints: 300, theme: theme() });
    for (const t of f.data) {
      assert.equal((t.x as number[]).length, 300);
      assert.equal((t.x as number[])[299], 4999);
    }
  });

  test('second axis, null gaps and escaped text', () => {
    const p = plotPayload(5, { title: '<b onmouseover=x>t</b> & co' });
    p.series[1].axis = 'y2';
    (p.series[0].points[2] as any)[1] = null;
    const f = buildFigure(validatePlot(p), { scale: 'linear', smoothing: 0, maxPoints: 100, theme: theme() });
    assert.equal(f.data[1].yaxis, 'y2');
    assert.equal((f.layout.yaxis2 as any).overlaying, 'y');
    assert.equal((f.data[0].y as unknown[])[2], null);
    assert.equal((f.layout.title as any).text, '&lt;b onmouseover=x&gt;t&lt;/b&gt; &amp; co');
    assert.equal(plotlyText('a<br>b'), 'a&lt;br&gt;b');
  });

  test('right axis: legend says "(right axis)", round ticks of its own, axis titles from the series', () => {
    const p = plotPayload(30, { yLabel: undefined });
    p.series.push({ name: 'D(x)', points: p.series[0].points.map(([x]) => [x, 0.5]), axis: 'y2' });
    const f = buildFigure(validatePlot(p), { scale: 'linear', smoothing: 0, maxPoints: 100, theme: theme() });
    assert.deepEqual(f.data.map(t => t.name), ['Loss_D', 'Loss_G', 'D(x) (right axis)']);
    assert.equal(f.data[2].yaxis, 'y2');
    assert.equal((f.data[2].line as any).dash, 'dot', 'right-axis series are dotted');
    const y2 = f.layout.yaxis2 as any;
    assert.equal(y2.tickmode, 'auto', "not plotly's 'sync' (ticks at 0.209, 0.393, ...)");
    assert.equal(y2.side, 'right');
    assert.equal(y2.title.text, 'D(x)');
    assert.equal((f.layout.yaxis as any).title.text, 'Loss_D, Loss_G');
    // With yLabel, the left axis uses it.
    const g = buildFigure(validatePlot({ ...p, yLabel: 'loss' }), { scale: 'linear', smoothing: 0, maxPoints: 100, theme: theme() });
    assert.equal((g.layout.yaxis as any).title.text, 'loss');
    // A series alone on the left axis of a panel is not marked.
    const one = plotPayload(5);
    one.series[1].axis = 'y2';
    one.series[1].panel = 1;
    const h = buildFigure(validatePlot(one), { scale: 'linear', smoothing: 0, maxPoints: 100, theme: theme() });
    assert.deepEqual(h.data.map(t => t.name), ['Loss_D', 'Loss_G']);
  });

  test('panels: series of other scales get stacked subplots sharing the x axis', () => {
    const pts = (f: (i: number) => number) => Array.from({ length: 8 }, (_, i) => [i * 10, f(i)] as [number, number]);
    const p = {
      version: 1 as const,
      title: 'Quality',
      xLabel: 'step',
      series: [
        { name: 'fd', points: pts(i => 400 - 30 * i) },
        { name: 'confidence', points: pts(i => 0.3 + 0.05 * i), panel: 1 },
        { name: 'diversity', points: pts(i => 2 + i), panel: 2 }
      ],
      maxPoints: 100,
      scale: 'linear' as const,
      final: false
    };
    const f = buildFigure(validatePlot(p), { scale: 'linear', smoothing: 0, maxPoints: 100, theme: theme() });
    assert.deepEqual(f.data.map(t => t.yaxis), ['y', 'y3', 'y5']);
    assert.deepEqual([axisId(0, 'y'), axisId(0, 'y2'), axisId(1, 'y'), axisId(2, 'y2')], ['y', 'y2', 'y3', 'y6']);
    const doms = ['yaxis', 'yaxis3', 'yaxis5'].map(k => (f.layout[k] as any).domain as [number, number]);
    assert.ok(doms[0][1] === 1 && doms[2][0] === 0, `panels span the plot: ${JSON.stringify(doms)}`);
    for (let k = 1; k < 3; k++) assert.ok(doms[k][1] < doms[k - 1][0], 'panels do not overlap, top to bottom');
    assert.deepEqual(['yaxis', 'yaxis3', 'yaxis5'].map(k => (f.layout[k] as any).title.text), ['fd', 'confidence', 'diversity']);
    assert.equal((f.layout.xaxis as any).anchor, 'y5', 'the x axis sits under the bottom panel');
    assert.ok((f.layout.height as number) > 320);
    assert.throws(() => validatePlot({ ...p, series: [{ name: 'a', points: [], panel: 8 }] }), /Expected integer in \[0, 7\] for series\[0\]\.panel but received 8/);
  });

  test('smoothing is off by default for short series; debiased EMA ends near the data', () => {
    const short = validatePlot(plotPayload(10));
    assert.equal(defaultSmoothing(short, 0.6), 0);
    assert.equal(defaultSmoothing(validatePlot(plotPayload(SMOOTH_MIN_POINTS)), 0.6), 0.6);
    assert.equal(defaultSmoothing(null, 0.6), 0);
    const f = buildFigure(short, { scale: 'linear', smoothing: defaultSmoothing(short, 0.6), maxPoints: 100, theme: theme() });
    assert.equal(f.data.length, 2, 'no smoothed traces');
    // A constant series stays constant; a long flat tail ends at the data.
    const ys = [...Array.from({ length: 10 }, (_, i) => 400 - 12 * i), ...Array(60).fill(280)];
    const sm = emaSmooth(ys, 0.6) as number[];
    assert.ok(Math.abs(sm[sm.length - 1] - 280) < 1e-6, `ends at ${sm[sm.length - 1]}`);
  });

  test('colours follow the theme', () => {
    const dark = plotTheme(makeWindow({ dark: true }).doc.body);
    const light = theme();
    assert.equal(dark.dark, true);
    assert.equal(light.dark, false);
    assert.notEqual(dark.paper, light.paper);
    const f = buildFigure(validatePlot(plotPayload(3)), { scale: 'linear', smoothing: 0, maxPoints: 10, theme: dark });
    assert.equal(f.layout.paper_bgcolor, dark.paper);
    assert.equal((f.layout.font as any).color, dark.font);
  });
});

describe('plot: view', () => {
  test('plotly is loaded lazily, once, and every update goes through Plotly.react', async () => {
    const { view, plotly, loads, q } = setup();
    assert.equal(loads(), 0, 'nothing loaded before a plot is shown');
    assert.equal(q('.gankit-loading').hidden, false);
    await view.render(plotPayload(10));
    assert.equal(loads(), 1);
    assert.equal(plotly.calls.length, 1);
    assert.ok(q('.gankit-loading').hidden);
    for (let i = 0; i < 5; i++) {
      await view.render(plotPayload(11 + i));
    }
    assert.equal(loads(), 1);
    assert.equal(plotly.calls.length, 6);
    assert.ok(plotly.calls.every(c => c.layout.uirevision === 'gankit'));
  });

  test('bursts of updates are coalesced while a draw is in flight', async () => {
    const { view, plotly } = setup();
    await view.render(plotPayload(3));
    let release!: () => void;
    const slow = new Promise<void>(r => (release = r));
    const react = plotly.react;
    plotly.react = (...a) => {
      void react(...a);
      return slow;
    };
    const renders = Array.from({ length: 20 }, (_, i) => view.render(plotPayload(4 + i)));
    release();
    await Promise.all(renders);
    await tick();
    assert.ok(plotly.calls.length <= 3, `coalesced to ${plotly.calls.length} react calls`);
    const last = plotly.calls[plotly.calls.length - 1];
    assert.equal((last.data[0].x as number[]).length, 23, 'the newest payload is drawn last');
  });

  test('controls: log toggle, smoothing slider, live/final badge', async () => {
    const { view, plotly, q, win } = setup();
    await view.render(plotPayload(60));
    assert.equal(q('.gankit-badge').textContent, 'live');
    assert.equal(q('[data-scale="linear"]').getAttribute('aria-pressed'), 'true');
    q('[data-scale="log"]').dispatchEvent(new win.MouseEvent('click'));
    await tick();
    const last = () => plotly.calls[plotly.calls.length - 1];
    assert.equal((last().layout.yaxis as any).type, 'log');
    assert.equal(q('[data-scale="log"]').getAttribute('aria-pressed'), 'true');
    const slider = q('.gankit-smoothing') as HTMLInputElement;
    assert.equal(slider.value, '0.6', 'default smoothing from settings (60 points)');
    slider.value = '0';
    slider.dispatchEvent(new win.Event('input'));
    await tick();
    assert.equal(last().data.length, 2, 'no smoothed traces at 0');
    assert.equal(q('.gankit-smoothing-value').textContent, '0.00');
    await view.render(plotPayload(62, { final: true, scale: 'linear' }));
    assert.equal(q('.gankit-badge').textContent, 'final');
    assert.equal((last().layout.yaxis as any).type, 'log', "the user's scale wins over the payload's");
    view.toggleScale();
    await tick();
    assert.equal((last().layout.yaxis as any).type, 'linear');
  });

  test('badge: LIVE while updates come, STOPPED (no pulse) after a stop, FINAL after a complete run', async () => {
    const { view, q } = setup();
    await view.render(plotPayload(10));
    assert.equal(q('.gankit-badge').textContent, 'live');
    assert.ok(q('.gankit-badge').classList.contains('gankit-live'));
    await view.render(plotPayload(11, { final: true, stopped: true }));
    assert.equal(q('.gankit-badge').textContent, 'stopped');
    assert.ok(!q('.gankit-badge').classList.contains('gankit-live'));
    assert.ok(q('.gankit-badge').classList.contains('gankit-stopped'));
    await view.render(plotPayload(12, { final: true }));
    assert.equal(q('.gankit-badge').textContent, 'final');
    assert.ok(!q('.gankit-badge').classList.contains('gankit-stopped'));
    await view.render({ ...plotPayload(3), stopped: 'yes' });
    assert.match(q('.gankit-error').textContent!, /Expected boolean for stopped/);
  });

  test('theme changes and settings changes redraw (keeping uirevision)', async () => {
    const { view, plotly, d } = setup();
    await view.render(plotPayload(10));
    const n = plotly.calls.length;
    d.themeChanged.set(1);
    await tick();
    assert.equal(plotly.calls.length, n + 1);
    d.settings.set({ ...d.settings.value, maxPlotPoints: 5 });
    await tick();
    assert.equal((plotly.calls[plotly.calls.length - 1].data[0].x as number[]).length, 5);
  });

  test('drawing waits until the view is in the page', async () => {
    const { view, plotly, doc } = setup({ attach: false });
    await view.render(plotPayload(10));
    assert.equal(plotly.calls.length, 0);
    doc.body.appendChild(view.node);
    view.attached();
    await tick();
    assert.equal(plotly.calls.length, 1);
  });

  test('resize asks plotly to resize once per frame', async () => {
    const { view, plotly } = setup();
    await view.render(plotPayload(10));
    Object.defineProperty(view.plotArea, 'clientWidth', { value: 500 });
    view.resize();
    view.resize();
    await new Promise(r => setTimeout(r, 50));
    assert.equal(plotly.resized, 1);
  });

  test('DOM stays bounded over 100 renderModel calls', async () => {
    const { view } = setup();
    await view.render(plotPayload(10));
    const n0 = countNodes(view.node);
    for (let i = 0; i < 100; i++) {
      await view.render(i % 9 === 4 ? { version: 1, series: 'x' } : plotPayload(10 + i, { final: i === 99 }));
    }
    await view.render(plotPayload(10));
    assert.equal(countNodes(view.node), n0);
  });

  test('bad payloads and a failing plotly load show visible errors', async () => {
    const { view, q } = setup();
    await view.render({ ...plotPayload(3), scale: 'cubic' });
    assert.match(q('.gankit-error').textContent!, /^Cannot display this gankit plot: Expected "linear" or "log" for scale/);
    const failing = setup({ loadPlotly: () => Promise.reject(new Error('chunk failed')) });
    await failing.view.render(plotPayload(3));
    assert.match(failing.q('.gankit-error').textContent!, /plotly could not be loaded \(chunk failed\)/);
  });

  test('export uses Plotly.toImage; dispose purges the plot', async () => {
    const { view, plotly, d } = setup();
    await assert.rejects(view.toPng(), /not drawn/);
    await view.render(plotPayload(10));
    assert.match(await view.toPng(), /^data:image\/png;base64,/);
    view.dispose();
    assert.equal(plotly.purged, 1);
    assert.equal(d.registry.size, 0);
  });
});
