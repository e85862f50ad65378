import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ViewRegistry } from '../src/settings';
import { ImagesView } from '../src/views/images';
import { TensorView } from '../src/views/tensor';
import { deps, imagesPayload, makeWindow, tensorPayload } from './helpers';

describe('focused figure (for "gankit: Export focused figure as PNG")', () => {
  test('the last touched view wins, else the last view in the active cell', async () => {
    const { doc, win } = makeWindow({ canvas: true });
    const registry = new ViewRegistry();
    const d = deps(doc, { registry });
    const panel = doc.createElement('div');
    const cell = (active: boolean) => {
      const c = doc.createElement('div');
      c.className = active ? 'jp-Cell jp-mod-active' : 'jp-Cell';
      panel.appendChild(c);
      return c;
    };
    const c1 = cell(false);
    const c2 = cell(true);
    doc.body.appendChild(panel);
    const a = new TensorView(d);
    const b = new ImagesView(d);
    const c = new TensorView(d);
    c1.appendChild(a.node);
    c2.appendChild(b.node);
    c2.appendChild(c.node);
    await a.render(tensorPayload());
    await b.render(imagesPayload(4));
    await c.render(tensorPayload());
    assert.equal(registry.focused(panel), c, 'last gankit output of the active cell');
    a.node.querySelector('canvas')!.dispatchEvent(new win.MouseEvent('pointerdown', { bubbles: true }));
    assert.equal(registry.lastActive, a);
    assert.equal(registry.focused(panel), a);
    assert.equal(registry.focused(doc.createElement('div')), null, 'not when it lies outside the current panel');
    (b.node.querySelector('.gankit-save') as HTMLElement).dispatchEvent(new win.FocusEvent('focusin', { bubbles: true }));
    assert.equal(registry.focused(panel), b);
    b.dispose();
    assert.equal(registry.lastActive, null);
    assert.equal(registry.focused(panel), c);
    assert.equal(registry.find(c.node.querySelector('canvas')), c);
  });
});
