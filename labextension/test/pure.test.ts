import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { COLORMAPS, colorbarRgba, colormapLut, heatmapRgba, isColormap, lutIndex } from '../src/colormap';
import { formatNumber, formatShape } from '../src/format';
import { DEFAULT_SETTINGS, normalizeSettings } from '../src/settings';
import { capPoints, emaSmooth } from '../src/smoothing';

const here = dirname(__filename);

describe('colormaps', () => {
  test('every colormap is a 256-entry RGB table with matplotlib end points', () => {
    for (const name of COLORMAPS) {
      assert.equal(colormapLut(name).length, 768, name);
    }
    const rgb = (name: (typeof COLORMAPS)[number], i: number) => Array.from(colormapLut(name).slice(i * 3, i * 3 + 3));
    assert.deepEqual(rgb('viridis', 0), [0x44, 0x01, 0x54]);
    assert.deepEqual(rgb('viridis', 255), [0xfd, 0xe7, 0x25]);
    assert.deepEqual(rgb('greys', 0), [0, 0, 0]);
    assert.deepEqual(rgb('greys', 255), [255, 255, 255]);
    assert.deepEqual(rgb('greys', 128), [128, 128, 128]);
    assert.deepEqual(rgb('magma', 0), [0, 0, 4]);
  });

  test('lutIndex clamps and handles a degenerate range', () => {
    assert.equal(lutIndex(-5, 0, 1), 0);
    assert.equal(lutIndex(5, 0, 1), 255);
    assert.equal(lutIndex(0.5, 0, 1), 128);
    assert.equal(lutIndex(3, 3, 3), 128);
  });

  test('heatmapRgba maps values and makes NaN/Inf (null) transparent', () => {
    const lut = colormapLut('greys');
    const px = heatmapRgba([0, 1, null, 0.5], [0, 1], lut);
    assert.deepEqual(Array.from(px), [0, 0, 0, 255, 255, 255, 255, 255, 0, 0, 0, 0, 128, 128, 128, 255]);
    assert.equal(colorbarRgba(lut, 16).length, 64);
  });

  test('isColormap', () => {
    assert.ok(isColormap('magma'));
    assert.ok(!isColormap('jet'));
    assert.ok(!isColormap(3));
  });
});

describe('smoothing', () => {
  test('weight 0 is the identity; a constant series stays constant', () => {
    assert.deepEqual(emaSmooth([1, 2, 3], 0), [1, 2, 3]);
    assert.deepEqual(emaSmooth([2, 2, 2, 2], 0.9), [2, 2, 2, 2]);
  });

  test('debiased EMA as in TensorBoard', () => {
    const w = 0.6;
    const v = [1, 3, 2, 5];
    const out = emaSmooth(v, w);
    let last = 0;
    v.forEach((x, i) => {
      last = last * w + (1 - w) * x;
      assert.ok(Math.abs((out[i] as number) - last / (1 - w ** (i + 1))) < 1e-12);
    });
    assert.equal(out[0], 1, 'the first point is not pulled towards 0');
  });

  test('gaps pass through without resetting the average', () => {
    const out = emaSmooth([1, null, 3], 0.5);
    assert.equal(out[1], null);
    assert.ok(Math.abs((out[2] as number) - (0.5 * 0.5 + 0.5 * 3) / 0.75) < 1e-12);
  });

  test('capPoints keeps first and last and at most maxPoints', () => {
    const pts = Array.from({ length: 1001 }, (_, i) => i);
    const c = capPoints(pts, 100);
    assert.equal(c.length, 100);
    assert.equal(c[0], 0);
    assert.equal(c[99], 1000);
    assert.deepEqual(capPoints([1, 2, 3], 100), [1, 2, 3]);
  });
});

describe('formatting', () => {
  test('numbers', () => {
    assert.equal(formatNumber(null), '—');
    assert.equal(formatNumber(3), '3');
    assert.equal(formatNumber(0.123456), '0.1235');
    assert.equal(formatNumber(1e-5), '1e-5');
    assert.equal(formatNumber(123456.7), '1.235e+5');
    assert.equal(formatNumber(NaN), 'NaN');
    assert.equal(formatNumber(-Infinity), '-Inf');
    assert.equal(formatShape([8, 1, 28, 28]), '[8, 1, 28, 28]');
  });
});

describe('settings', () => {
  test('normalizeSettings keeps good values and drops bad ones', () => {
    assert.deepEqual(normalizeSettings({}), DEFAULT_SETTINGS);
    const s = normalizeSettings({ defaultColormap: 'magma', maxPlotPoints: 100, defaultSmoothing: 0.9, imageZoom: 4 });
    assert.deepEqual(s, { defaultColormap: 'magma', maxPlotPoints: 100, defaultSmoothing: 0.9, imageZoom: 4 });
    const bad = normalizeSettings({ defaultColormap: 'jet', maxPlotPoints: -1, defaultSmoothing: 2, imageZoom: 'huge' });
    assert.deepEqual(bad, DEFAULT_SETTINGS);
  });

  test('the settings schema defaults match the built-in defaults', () => {
    const schema = JSON.parse(readFileSync(join(here, '..', 'schema', 'plugin.json'), 'utf8'));
    const defaults = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, (v as { default: unknown }).default]));
    assert.deepEqual(defaults, { ...DEFAULT_SETTINGS });
    assert.deepEqual(schema.properties.defaultColormap.enum, [...COLORMAPS]);
  });
});

describe('sources', () => {
  test('the contract copy is identical to the library display contract', () => {
    const mine = readFileSync(join(here, '..', 'src', 'contract.ts'), 'utf8');
    const lib = readFileSync(join(here, '..', '..', 'src', 'display', 'types.ts'), 'utf8');
    assert.equal(mine, lib, 'labextension/src/contract.ts drifted: run bash labextension/build.sh to re-sync it');
  });

  test('no source parses HTML (text goes through textContent only)', () => {
    const { readdirSync, statSync } = require('node:fs') as typeof import('node:fs');
    const walk = (d: string): string[] =>
      readdirSync(d).flatMap(f => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
    for (const f of walk(join(here, '..', 'src'))) {
      const src = readFileSync(f, 'utf8');
      assert.doesNotMatch(src, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|DOMParser|createContextualFragment/, f);
    }
  });
});
