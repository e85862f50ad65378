import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ImagesView, autoZoom, enlargeZoom, fitZoom, gridLayout } from '../src/views/images';
import { PNG_1x1, countNodes, deps, imagesPayload, makeWindow } from './helpers';

function setup() {
  const w = makeWindow({ canvas: true });
  const d = deps(w.doc);
  const view = new ImagesView(d);
  w.doc.body.appendChild(view.node);
  const q = (sel: string) => view.node.querySelector(sel) as HTMLElement;
  const all = (sel: string) => Array.from(view.node.querySelectorAll(sel)) as HTMLElement[];
  return { ...w, d, view, q, all };
}

describe('image grid: layout helpers', () => {
  test('auto zoom shows 28 px images at 3x, large images at 1x', () => {
    assert.equal(autoZoom(28), 3);
    assert.equal(autoZoom(32), 3);
    assert.equal(autoZoom(48), 2);
    assert.equal(autoZoom(8), 4);
    assert.equal(autoZoom(64), 1);
    assert.equal(autoZoom(512), 1);
    assert.equal(enlargeZoom(28), 18);
  });

  test('fitZoom: crisp integer zoom up to the natural zoom, scaled down for wide grids', () => {
    // 16 digits in a row, padding 2: 482 px native
    assert.equal(fitZoom(482, 968, 3), 2);
    assert.equal(fitZoom(482, 2000, 3), 3, 'never above the natural zoom');
    assert.equal(fitZoom(482, 482, 3), 1);
    // 40 digits in a row: 1202 px native into a 968 px output
    const z = fitZoom(1202, 968, 3);
    assert.ok(z < 1 && z * 1202 <= 968 && z * 1202 > 960, `zoom ${z}`);
    assert.equal(fitZoom(1202, 0, 3), 3, 'not laid out yet: the natural zoom');
  });

  test('gridLayout matches torchvision make_grid', () => {
    // make_grid(64 images of 28x28, nrow=8, padding=2) -> 3 x 242 x 242
    const g = gridLayout(imagesPayload(64));
    assert.equal(g.cols, 8);
    assert.equal(g.rows, 8);
    assert.equal(g.width, 242);
    assert.equal(g.height, 242);
    assert.deepEqual(g.origin(0), [2, 2]);
    assert.deepEqual(g.origin(9), [32, 32]);
    // fewer images than nrow: one row of n
    const h = gridLayout(imagesPayload(3));
    assert.equal(h.cols, 3);
    assert.equal(h.width, 3 * 28 + 4 * 2);
    // 10 images, nrow 8: two rows
    assert.equal(gridLayout(imagesPayload(10)).rows, 2);
  });
});

describe('image grid: rendering', () => {
  test('cells, pixelated zoom, padding colour, captions, count', async () => {
    const { view, q, all } = setup();
    await view.render(imagesPayload(16, { title: 'fixed noise, epoch 3', total: 64, padValue: 1 }));
    const cells = all('.gankit-cell');
    assert.equal(cells.length, 16);
    const img = cells[0].querySelector('img') as HTMLImageElement;
    assert.equal(img.src, `data:image/png;base64,${PNG_1x1}`);
    assert.equal(img.style.width, '84px');
    assert.equal(img.alt, 'digit 0');
    assert.ok(view.grid.classList.contains('gankit-pixelated'));
    assert.equal(view.grid.style.gridTemplateColumns, 'repeat(8, 84px)');
    assert.equal(view.grid.style.gap, '6px');
    assert.equal(view.grid.style.backgroundColor, 'rgb(255, 255, 255)');
    assert.deepEqual(all('.gankit-caption').slice(0, 3).map(c => c.textContent), ['digit 0', 'digit 1', 'digit 2']);
    assert.equal(q('.gankit-title').textContent, 'fixed noise, epoch 3');
    assert.equal(q('.gankit-toolbar .gankit-note').textContent, '16 of 64 images');
  });

  test('zoom: select overrides auto, settings apply when the user has not chosen', async () => {
    const { view, q, d, win } = setup();
    await view.render(imagesPayload(4));
    assert.equal(view.zoom, 3);
    d.settings.set({ ...d.settings.value, imageZoom: 2 });
    assert.equal((q('.gankit-cell img') as HTMLImageElement).style.width, '56px');
    const sel = q('.gankit-zoom-select') as HTMLSelectElement;
    sel.value = '1';
    sel.dispatchEvent(new win.Event('change'));
    assert.equal(view.zoom, 1);
    assert.ok(!view.grid.classList.contains('gankit-pixelated'), 'no pixelation at 1x');
    assert.equal((q('.gankit-cell img') as HTMLImageElement).style.width, '28px');
  });

  test('fit: a 16-wide grid shows all 16 columns in a 968 px output; a 40-wide grid scales down; full size toggles', async () => {
    const { view, q, win } = setup();
    let width = 968;
    Object.defineProperty(q('.gankit-body'), 'clientWidth', { get: () => width });
    await view.render(imagesPayload(16, { nrow: 16 }));
    assert.equal(view.zoom, 2);
    assert.equal(view.grid.style.gridTemplateColumns, 'repeat(16, 56px)');
    assert.ok(view.grid.classList.contains('gankit-pixelated'), 'integer zoom: crisp pixels');
    assert.ok(16 * 56 + 17 * 2 * 2 <= 968);
    assert.equal((q('.gankit-zoom-select') as HTMLSelectElement).value, 'fit');
    const full = q('.gankit-full');
    assert.equal(full.getAttribute('aria-pressed'), 'false');
    full.dispatchEvent(new win.MouseEvent('click'));
    assert.equal(view.zoom, 3, 'full size: the natural zoom, scrolling sideways');
    assert.equal(full.getAttribute('aria-pressed'), 'true');
    assert.equal(full.textContent, 'fit width');
    assert.equal((q('.gankit-zoom-select') as HTMLSelectElement).value, '3');
    full.dispatchEvent(new win.MouseEvent('click'));
    assert.equal(view.zoom, 2);

    await view.render(imagesPayload(40, { nrow: 40 }));
    const z = view.zoom;
    assert.ok(z < 1, `scaled down (${z})`);
    const cols = view.grid.style.gridTemplateColumns.match(/^repeat\((\d+), ([\d.]+)px\)$/)!;
    assert.equal(cols[1], '40');
    const total = 40 * Number(cols[2]) + 41 * parseFloat(view.grid.style.gap);
    assert.ok(total <= 968, `grid ${total} px fits 968 px`);
    assert.ok(!view.grid.classList.contains('gankit-pixelated'), 'smooth when scaled down');

    // the output gets narrower: the grid follows
    width = 500;
    view.resize();
    assert.ok(view.zoom < z);
    assert.ok(40 * parseFloat(view.grid.style.gridTemplateColumns.split(', ')[1]) <= 500);
  });

  test('click enlarges one image; Escape, arrows and close work', async () => {
    const { view, q, win } = setup();
    await view.render(imagesPayload(5));
    const cells = view.node.querySelectorAll('.gankit-cell img');
    (cells[3] as HTMLElement).dispatchEvent(new win.MouseEvent('click', { bubbles: true }));
    assert.equal(view.enlargedIndex, 3);
    const box = q('.gankit-lightbox');
    assert.ok(!box.hidden);
    assert.ok(q('.gankit-scroll').hidden, 'the grid makes room for the enlarged image');
    assert.equal(q('.gankit-lightbox-caption').textContent, 'digit 3');
    assert.equal(q('.gankit-lightbox-img').style.width, `${28 * 18}px`);
    assert.match(q('.gankit-lightbox .gankit-note').textContent!, /^4 \/ 5/);
    view.node.dispatchEvent(new win.KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    assert.equal(view.enlargedIndex, 4);
    view.node.dispatchEvent(new win.KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    assert.equal(view.enlargedIndex, 0, 'wraps around');
    view.node.dispatchEvent(new win.KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    assert.equal(view.enlargedIndex, -1);
    assert.ok(box.hidden);
    assert.ok(!q('.gankit-scroll').hidden);
    (cells[1] as HTMLElement).closest('figure')!.dispatchEvent(new win.KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    assert.equal(view.enlargedIndex, 1);
    q('.gankit-close').dispatchEvent(new win.MouseEvent('click', { bubbles: true }));
    assert.equal(view.enlargedIndex, -1);
  });

  test('live updates re-use cells and keep the enlarged image', async () => {
    const { view } = setup();
    await view.render(imagesPayload(8));
    const first = view.node.querySelector('.gankit-cell');
    view.enlarge(2);
    await view.render(imagesPayload(8));
    assert.equal(view.node.querySelector('.gankit-cell'), first);
    assert.equal(view.enlargedIndex, 2);
    await view.render(imagesPayload(2));
    assert.equal(view.enlargedIndex, -1, 'closed when its image is gone');
  });

  test('DOM stays bounded over 100 renderModel calls', async () => {
    const { view } = setup();
    await view.render(imagesPayload(64));
    const n64 = countNodes(view.node);
    for (let i = 0; i < 100; i++) {
      await view.render(i % 7 === 3 ? { version: 1 } : imagesPayload(1 + (i % 64)));
    }
    await view.render(imagesPayload(64));
    assert.equal(countNodes(view.node), n64);
    assert.equal(view.node.querySelectorAll('.gankit-cell').length, 64);
  });

  test('captions are text: <img onerror> shows literally', async () => {
    const { view, all, doc, q } = setup();
    const evil = '<img src=x onerror="globalThis.pwned=1">';
    const p = imagesPayload(2, { title: '<script>alert(1)</script>' });
    p.images[0].caption = evil;
    await view.render(p);
    assert.equal(all('.gankit-caption')[0].textContent, evil);
    assert.equal(all('.gankit-caption')[0].getAttribute('title'), evil);
    assert.equal(q('.gankit-title').textContent, '<script>alert(1)</script>');
    assert.equal(view.node.querySelectorAll('img').length, 3, 'two grid images + the (hidden) enlarged image, nothing injected');
    assert.equal(doc.querySelectorAll('script').length, 0);
    assert.equal((globalThis as Record<string, unknown>).pwned, undefined);
  });

  test('bad payloads show a visible error', async () => {
    const { view, q } = setup();
    const p = imagesPayload(3) as any;
    p.images[1].png = 'javascript:alert(1)';
    await view.render(p);
    assert.ok(!q('.gankit-error').hidden);
    assert.match(q('.gankit-error').textContent!, /^Cannot display this gankit image grid: Expected base64-encoded PNG .* for images\[1\]\.png/);
    assert.equal(view.node.querySelectorAll('.gankit-cell').length, 0);
  });

  test('save composes the grid at native size and downloads it', async () => {
    const { view, doc, win } = setup();
    await view.render(imagesPayload(10));
    // jsdom does not decode images: resolve loads with a stand-in
    (view as any).loadImage = () => Promise.resolve(doc.createElement('img'));
    const clicks: string[] = [];
    win.HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicks.push(`${this.download} ${this.href.slice(0, 22)}`);
    };
    let made: HTMLCanvasElement | null = null;
    const create = doc.createElement.bind(doc);
    doc.createElement = ((tag: string) => {
      const e = create(tag);
      if (tag === 'canvas') made = e as HTMLCanvasElement;
      return e;
    }) as typeof doc.createElement;
    await view.save();
    assert.deepEqual(clicks, ['gankit-grid.png data:image/png;base64,']);
    assert.equal(made!.width, 8 * 28 + 9 * 2);
    assert.equal(made!.height, 2 * 28 + 3 * 2);
    assert.equal(doc.querySelectorAll('a').length, 0, 'the temporary link is removed');
  });
});
