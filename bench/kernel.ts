/**
 * Kernel start-up benchmark: the gankit kernel against stock tslab and Python's ipykernel, started
 * through jupyter_client as JupyterLab starts them (bench/kernel_start.py does the driving).
 *
 *   node --import tsx bench/kernel.ts [--rounds 5] [--no-write]
 *
 * Prints medians and writes the `kernel` section of BENCHMARKS.md (unless --no-write).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { machine, table, writeSection } from './lib/report.js';
import { median } from './lib/stats.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const python = `${root}.venv/bin/python`;

interface Start { ready: number; first_cell: number }
type Result = Record<'gankit' | 'tslab' | 'python', Start[]>;

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, 'no-write': { type: 'boolean', default: false } } });
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 50) throw new Error(`Expected integer in [1, 50] for --rounds but received ${values.rounds}`);
if (!existsSync(python)) throw new Error('no .venv/bin/python: run bash scripts/setup.sh first');

console.error(`[bench/kernel] ${rounds} interleaved rounds of gankit, tslab and ipykernel starts...`);
const run = spawnSync(python, [`${root}bench/kernel_start.py`, String(rounds), root], {
  cwd: root, encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' }, maxBuffer: 64 << 20,
});
if (run.status !== 0) throw new Error(`kernel_start.py failed (${run.status}):\n${run.stderr}`);
const result = JSON.parse(run.stdout) as Result;

// The gankit kernel logs its own breakdown on stderr: "ready in N ms (sockets a, converter b, gankit c, backend d X, typings e ms)".
const phases: Record<string, number[]> = {};
for (const m of run.stderr.matchAll(/\[gankit kernel\] ready in (\d+) ms \(([^)]*)\)/g)) {
  (phases.total ??= []).push(Number(m[1]));
  for (const part of m[2]!.split(',')) {
    const [name, value] = part.trim().split(/\s+/);
    if (name && Number.isFinite(Number(value))) (phases[name] ??= []).push(Number(value));
  }
}

const s = (x: number): string => `${x.toFixed(2)} s`;
const rows = (['gankit', 'tslab', 'python'] as const).map((k) => {
  const ready = median(result[k].map((r) => r.ready));
  const first = median(result[k].map((r) => r.first_cell));
  const total = median(result[k].map((r) => r.ready + r.first_cell));
  return { k, ready, first, total };
});
const label = { gankit: 'gankit (tslab + gankit preloaded)', tslab: 'stock tslab 1.0.22', python: 'ipykernel (Python)' };
const firstCell = { gankit: "`import { initBackend } from 'gankit'; (await initBackend()).backend`", tslab: '`1 + 1`', python: '`1 + 1`' };
const md = [
  '## Kernel start-up',
  '',
  `${machine()}. Each kernel started ${rounds} times through jupyter_client (as JupyterLab does), interleaved, after one warm-up start of the gankit kernel; medians.`,
  '"ready" is start -> kernel_info answered (JupyterLab shows the kernel idle); "first cell" is the wall time of the first execute request (gankit: ' +
    `${firstCell.gankit}, which waits for the preload to finish; the others: \`1 + 1\`).`,
  '',
  table(['kernel', 'ready', 'first cell', 'ready + first cell', 'starts'],
    rows.map((r) => [label[r.k], s(r.ready), s(r.first), s(r.total), result[r.k].length])),
  '',
  Object.keys(phases).length
    ? `Where the gankit kernel's start goes (its own log, medians in ms): ${Object.entries(phases).map(([k, v]) => `${k} ${Math.round(median(v))}`).join(', ')}. ` +
      'The sockets answer first; the TypeScript converter (tslab), the gankit library, the tfjs backend and the type declarations for ' +
      'per-cell type checking load next, and the first cell waits for them.'
    : '',
].join('\n');

console.log(md);
if (!values['no-write']) writeSection('kernel', md);
