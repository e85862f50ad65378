/**
 * Kernel start-up benchmark: the gankit kernel against stock tslab and Python's ipykernel, started
 * through jupyter_client as JupyterLab starts them (bench/kernel_start.py does the driving).
 *
 *   node --import tsx bench/kernel.ts [--rounds 5] [--no-write]
 *   node --import tsx bench/kernel.ts --memory [--rounds 3] [--no-write]
 *
 * Prints medians and writes the `kernel` section of BENCHMARKS.md (unless --no-write); with --memory,
 * the kernels' resident memory (bench/kernel_memory.py) into the `kernel-memory` section.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { machine, table, writeSection } from './lib/report.js';
import { median } from './lib/stats.js';

const root = fileURLToPath(new URL('..', import.meta.url));
/** The notebook test's CI step count (test/notebooks/notebooks.test.ts). */
const NB3_STEPS = 6;
const python = `${root}.venv/bin/python`;

interface Start { ready: number; first_cell: number }
type Result = Record<'gankit' | 'tslab' | 'python', Start[]>;

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, 'no-write': { type: 'boolean', default: false }, memory: { type: 'boolean', default: false } },
});
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 50) throw new Error(`Expected integer in [1, 50] for --rounds but received ${values.rounds}`);
if (!existsSync(python)) throw new Error('no .venv/bin/python: run bash scripts/setup.sh first');

if (values.memory) {
  memoryBench();
  process.exit(0);
}

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

/** Resident memory of the three kernels, idle and (gankit) after notebook 3; writes `kernel-memory`. */
function memoryBench(): void {
  console.error(`[bench/kernel] memory: ${rounds} interleaved rounds of gankit (+ notebook 3), tslab and ipykernel...`);
  const run = spawnSync(python, [`${root}bench/kernel_memory.py`, String(rounds), root, String(NB3_STEPS)], {
    cwd: root, encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' }, maxBuffer: 64 << 20,
  });
  if (run.status !== 0) throw new Error(`kernel_memory.py failed (${run.status}):\n${run.stderr.slice(-4000)}`);
  type Mem = { idle: number; after_nb3?: number; peak?: number };
  const r = JSON.parse(run.stdout) as Record<'gankit' | 'tslab' | 'python', Mem[]>;
  const mb = (xs: (number | undefined)[]): string => (xs.every((x) => x !== undefined) ? `${Math.round(median(xs as number[]))} MiB` : '-');
  const labels = { gankit: 'gankit (tslab + gankit, tfjs-node)', tslab: 'stock tslab 1.0.22', python: 'ipykernel (Python)' };
  const md = [
    '## Kernel memory',
    '',
    `${machine()}. Each kernel started ${rounds} times through jupyter_client (as JupyterLab does), interleaved; resident memory ` +
      '(VmRSS of the kernel process and its children, from /proc) 2 s after the first cell (gankit: import the library and start ' +
      `its backend; the others: \`1 + 1\`), and for gankit again after running notebook 3 cell by cell with GANKIT_NOTEBOOK_STEPS=${NB3_STEPS} ` +
      '(the notebook test\'s override); medians. Reproduce: `node --import tsx bench/kernel.ts --memory`.',
    '',
    table(['kernel', 'idle after import', 'after notebook 3', 'peak (VmHWM)', 'starts'],
      (['gankit', 'tslab', 'python'] as const).map((k) => [labels[k], mb(r[k].map((m) => m.idle)), mb(r[k].map((m) => m.after_nb3)), mb(r[k].map((m) => m.peak)), r[k].length])),
  ].join('\n');
  console.log(md);
  if (!values['no-write']) writeSection('kernel-memory', md);
}
