/**
 * Latent explorer benchmark: time from a pointer event on the pad to the new frame of 16 samples on
 * the canvas, in headless Chromium against a real JupyterLab, for the three shipped 28x28 generators
 * (exploreLatent bundles as saved outputs). Side by side in the same run, the reference: the same 16
 * samples generated in the kernel's process (tfjs-node, `generate`), the work a cell rerun would do
 * before any message, PNG or rendering.
 *
 *   node --import tsx bench/explorer.ts [--rounds 30] [--no-write]
 *
 * Prints medians and writes the `explorer` section of BENCHMARKS.md (unless --no-write).
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/backend/select.js';
import { explorerBundle } from '../src/display/index.js';
import { generate, sampleNoise } from '../src/gan/sample.js';
import { loadPretrained } from '../src/gan/pretrained.js';
import { launchBrowser, missingPrerequisite, openNotebook, startLab } from '../test/ui/lab-helpers.js';
import { machine, table, writeSection } from './lib/report.js';
import { median, ms } from './lib/stats.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '30' }, 'no-write': { type: 'boolean', default: false } } });
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 3 || rounds > 500) throw new Error(`Expected integer in [3, 500] for --rounds but received ${values.rounds}`);
const missing = missingPrerequisite();
if (missing) throw new Error(missing);

const NAMES = ['mnist-dcgan', 'fashion-mnist-dcgan', 'mnist-conditional'] as const;
const backend = await initBackend();

// Bundles and the kernel-side reference.
const bundles: Record<string, unknown>[] = [];
const reference: number[][] = [];
for (const name of NAMES) {
  const g = await loadPretrained(name);
  bundles.push(await explorerBundle(g, { seed: 1, ...(name === 'mnist-conditional' ? { label: 3 } : {}) }));
  const times: number[] = [];
  for (let i = 0; i < rounds + 3; i++) {
    const z = sampleNoise(16, 100, i);
    const t0 = performance.now();
    const x = generate(g, z, name === 'mnist-conditional' ? 3 : undefined);
    await x.data();
    const t = performance.now() - t0;
    tf.dispose([x, z]);
    if (i >= 3) times.push(t);
  }
  reference.push(times);
  g.dispose();
}

const notebook = JSON.stringify({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'gankit', display_name: 'TypeScript (gankit)', language: 'typescript' } },
  cells: bundles.map((data, i) => ({
    id: `c${i}`, cell_type: 'code', execution_count: i + 1, metadata: {}, source: `exploreLatent(${NAMES[i]})`,
    outputs: [{ output_type: 'display_data', data, metadata: {} }],
  })),
});

const lab = await startLab({ files: { 'bench.ipynb': notebook } });
const browser = await launchBrowser();
const results: { name: string; times: number[]; own: number[]; status: string }[] = [];
const loads: number[] = [];
try {
  const { page } = await openNotebook(browser, lab, 'bench.ipynb', { width: 1280, height: 2400 });
  for (const [k, name] of NAMES.entries()) {
    const view = page.locator('.gankit-explorer').nth(k);
    await view.scrollIntoViewIfNeeded();
    await page.waitForFunction((v: any) => Number(v.getAttribute('data-frames') ?? 0) > 0, await view.elementHandle(), { timeout: 120_000 });
    const times: number[] = [];
    const own: number[] = [];
    for (let i = 0; i < rounds + 3; i++) {
      // One pointer event on the pad, dispatched in the page; the time runs until the frame's pixels are on the canvas.
      const t = await view.evaluate((v: any, step: number) => new Promise<[number, number]>((resolve) => {
        const pad = v.querySelector('.gankit-explorer-pad');
        const r = pad.getBoundingClientRect();
        const t0 = performance.now();
        v.addEventListener('gankit-explorer-frame', (e: any) => resolve([performance.now() - t0, e.detail.ms]), { once: true });
        const at = { clientX: r.left + r.width * (0.1 + 0.8 * ((step * 0.37) % 1)), clientY: r.top + r.height * (0.1 + 0.8 * ((step * 0.61) % 1)), bubbles: true, pointerId: 1 };
        pad.dispatchEvent(new (globalThis as any).PointerEvent('pointerdown', at));
        pad.dispatchEvent(new (globalThis as any).PointerEvent('pointerup', at));
      }), i);
      if (i >= 3) {
        times.push(t[0]);
        own.push(t[1]);
      }
      loads.push(os.loadavg()[0]!);
    }
    const status = (await view.locator('.gankit-explorer-status').textContent()) ?? '';
    results.push({ name, times, own, status });
    console.error(`[bench/explorer] ${name}: median ${ms(median(times))} ms (${status.split(' · ')[0]}); kernel-side generate ${ms(median(reference[k]!))} ms`);
  }
} finally {
  await browser.close();
  await lab.stop();
}

const browserBackend = results[0]!.status.split(' · ')[0]!;
const rows = results.map((r, k) => [
  `\`${r.name}\``, `${ms(median(r.times))} ms`, `${ms(Math.min(...r.times))} ms`, `${ms(median(r.own))} ms`,
  `${ms(median(reference[k]!))} ms`, `${(median(r.times) / median(reference[k]!)).toFixed(2)}x`, r.times.length,
]);
const md = `## Latent explorer: drag to frame

${machine()}; load average during the run ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} (other jobs shared the machine).
Headless Debian Chromium (playwright-core) on a real JupyterLab; the explorer of each shipped 28x28 generator (\`exploreLatent\`,
16 samples). One pointerdown on the pad per round, dispatched in the page, to the \`gankit-explorer-frame\` event, which fires once the
new samples are on the canvas; ${rounds} rounds after 3 warm-up rounds, medians. Browser backend: ${browserBackend}.
"In-view" is the view's own measure (from the input handler to the pixels). The reference is the same 16 samples generated in the
kernel's process with ${backend.backend} (\`generate\`, read back), the compute a cell rerun needs before its message and PNG.
Target: at or below 50 ms.
On wasm the explorer reroutes the generator's transposed convolutions (labextension/src/explorer/transposed-conv.ts):
the 7x7 projection from a 1x1 input becomes one matmul and each stride-2 layer one sub-pixel convolution plus
\`depthToSpace\`, all on XNNPACK; tfjs' own wasm \`Conv2DBackpropInput\` is a plain loop and took 64-102 ms medians per
frame on this machine before. The reference runs the same layers on oneDNN. On a hardware GPU the explorer uses WebGL.

${table(['generator', 'event to frame (median)', 'min', 'in-view (median)', 'reference: kernel generate', 'ratio', 'rounds'], rows)}
`;
console.log(md);
if (!values['no-write']) writeSection('explorer', md);
