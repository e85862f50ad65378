/** Fault injection for the fault tests: run a real child process and SIGKILL it at a random point. */
import { spawn } from 'node:child_process';
import { existsSync, watch } from 'node:fs';
import path from 'node:path';

export interface KillOptions {
  /** Arguments after `node` (e.g. ['--import', 'tsx', 'src/cli/main.ts', 'edit', ...]). */
  args: string[];
  cwd: string;
  /** Folder where the child writes its temporary file or folder. */
  dir: string;
  /** Name prefix of that temporary file or folder. */
  tmpPrefix: string;
  /**
   * 'write': kill `delayMs` after the `nth` temporary entry appears (inside the write);
   * 'anytime': kill `delayMs` after `ready` shows on stdout (or after the start without `ready`).
   */
  mode: 'write' | 'anytime';
  delayMs: number;
  nth?: number;
  ready?: RegExp;
  /** Give up (kill anyway) after this many milliseconds. */
  timeoutMs?: number;
}

export interface KillResult {
  stdout: string;
  stderr: string;
  /** True when the child was killed (false: it exited by itself first). */
  killed: boolean;
  /** Temporary entries seen created before the kill. */
  tmpSeen: number;
}

/** Start `node ...args`, kill it with SIGKILL at the chosen point, resolve once it is gone. */
export function killAtRandomPoint(o: KillOptions): Promise<KillResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, o.args, { cwd: o.cwd, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const seen = new Set<string>();
    let armed = false;
    let killed = false;
    const kill = () => {
      if (killed || child.exitCode !== null) return;
      killed = child.kill('SIGKILL');
    };
    const arm = () => {
      if (armed) return;
      armed = true;
      setTimeout(kill, o.delayMs);
    };
    const watcher = watch(o.dir, (_event, name) => {
      if (typeof name !== 'string' || !name.startsWith(o.tmpPrefix) || seen.has(name) || !existsSync(path.join(o.dir, name))) return;
      seen.add(name);
      if (o.mode === 'write' && seen.size >= (o.nth ?? 1)) arm();
    });
    const timer = setTimeout(kill, o.timeoutMs ?? 120_000);
    child.stdout.on('data', (d) => {
      stdout += d;
      if (o.mode === 'anytime' && o.ready?.test(stdout)) arm();
    });
    child.stderr.on('data', (d) => { stderr += d; });
    if (o.mode === 'anytime' && !o.ready) arm();
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      watcher.close();
      resolve({ stdout, stderr, killed, tmpSeen: seen.size });
    });
  });
}
