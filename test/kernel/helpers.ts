/** Helpers for the kernel tests: build/install once, run the Python driver, decode PNGs. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const venv = join(root, '.venv');
export const python = join(venv, 'bin', 'python');
export const driver = join(root, 'test', 'kernel', 'driver.py');

export interface IopubMsg { type: string; content: Record<string, any> }
export interface StepResult {
  name: string;
  elapsed: number;
  interrupted_at?: number;
  interrupt_reply?: Record<string, any>;
  reply?: Record<string, any>;
  iopub?: IopubMsg[];
  replies?: { reply: Record<string, any>; iopub: IopubMsg[] }[];
  pids?: (number | null)[];
}
export interface SessionResult { ready_s: number; shutdown_s: number; kernel_info: Record<string, any>; steps: StepResult[] }

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Install the kernelspec (idempotent). */
export function installKernelspec(): void {
  const r = spawnSync('bash', [join(root, 'kernel', 'install.sh'), venv], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`kernel/install.sh failed:\n${r.stdout}\n${r.stderr}`);
}

/**
 * Compile the library when dist/ is older than src/display or src/index.ts (the kernel loads dist/;
 * scripts/setup.sh builds everything), and install the kernelspec.
 */
export function prepareKernel(): void {
  const marker = join(root, 'dist', 'src', 'display', 'kernel-hooks.js');
  const newest = Math.max(newestMtime(join(root, 'src', 'display')), statSync(join(root, 'src', 'index.ts')).mtimeMs);
  if (!existsSync(marker) || statSync(marker).mtimeMs < newest || statSync(join(root, 'dist', 'src', 'index.js')).mtimeMs < newest) {
    const r = spawnSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(root, 'tsconfig.json')], { cwd: root, encoding: 'utf8' });
    // tsc still emits when other modules have type errors; only errors in what the kernel needs are fatal here.
    if (r.status !== 0 && (/src\/(display|index)/.test(r.stdout) || !existsSync(marker))) throw new Error(`tsc failed:\n${r.stdout}\n${r.stderr}`);
    if (r.status !== 0) console.warn(`tsc reported errors outside src/display (dist was still emitted):\n${r.stdout.slice(0, 2000)}`);
  }
  installKernelspec();
}

/** A fresh temporary directory (outside the project) and its cleanup. */
export function tempDir(prefix: string): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** Run the Python driver with `args`, feeding `input` on stdin; resolves with its parsed JSON output. */
export function runDriver<T>(args: string[], input: string, timeoutMs = 180_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [driver, ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`driver timed out\n${err.slice(-4000)}`)); }, timeoutMs);
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`driver exited ${code}\n${err.slice(-4000)}`));
      try { resolve(JSON.parse(out) as T); } catch (e) {
        const at = Number(/position (\d+)/.exec((e as Error).message)?.[1] ?? 0);
        reject(new Error(`bad driver output: ${(e as Error).message} near ${JSON.stringify(out.slice(Math.max(0, at - 300), at + 100))}\n${err.slice(-2000)}`));
      }
    });
    child.stdin.end(input);
  });
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Decode base64 PNG: checks the signature, decodes with sharp, returns its size. */
export async function decodePng(b64: unknown): Promise<{ width: number; height: number; channels: number; bytes: number }> {
  if (typeof b64 !== 'string') throw new Error(`expected base64 PNG string, got ${typeof b64}`);
  const buf = Buffer.from(b64, 'base64');
  if (!buf.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG (bad signature)');
  const { info } = await sharp(buf).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: info.channels, bytes: buf.length };
}

/** Messages of one type in a step's iopub. */
export function ofType(step: StepResult | { iopub?: IopubMsg[] }, type: string): IopubMsg[] {
  return (step.iopub ?? []).filter((m) => m.type === type);
}

/** All stdout text of a step. */
export function stdout(step: StepResult): string {
  return ofType(step, 'stream').filter((m) => m.content.name === 'stdout').map((m) => m.content.text).join('');
}
