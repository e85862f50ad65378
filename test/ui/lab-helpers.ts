/**
 * Shared code of the UI tests (lab.test.ts, kernel.test.ts): prerequisites and the skip/fail rule,
 * starting a real JupyterLab (`.venv/bin/jupyter lab`) on a free port in a temporary root with
 * isolated settings, launching Debian's Chromium through playwright-core, opening a notebook, and
 * screenshots into test-artifacts/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const CHROMIUM = process.env.GANKIT_CHROMIUM ?? '/usr/bin/chromium';
export const JUPYTER = join(root, '.venv', 'bin', 'jupyter');
export const EXT = join(root, '.venv', 'share', 'jupyter', 'labextensions', 'gankit-labextension');
export const KERNELSPEC = join(root, '.venv', 'share', 'jupyter', 'kernels', 'gankit', 'kernel.json');
export const ARTIFACTS = join(root, 'test-artifacts');
export const TENSOR_MIME = 'application/vnd.gankit.tensor.v1+json';
export const IMAGES_MIME = 'application/vnd.gankit.images.v1+json';
export const PLOT_MIME = 'application/vnd.gankit.plot.v1+json';

/**
 * Why the UI suite cannot run, or undefined when it can: missing prerequisites fail the suite
 * (setup installs them); only GANKIT_SKIP_UI=1 skips it. `extra` adds [path, reason] checks.
 */
export function missingPrerequisite(extra: [string, string][] = []): string | undefined {
  const checks: [string, string][] = [
    [CHROMIUM, `no Chromium at ${CHROMIUM} (run scripts/setup.sh)`],
    [JUPYTER, 'no .venv/bin/jupyter (run scripts/setup.sh)'],
    [join(EXT, 'package.json'), 'gankit-labextension is not installed in .venv (run bash labextension/build.sh)'],
    ...extra
  ];
  return checks.find(([path]) => !existsSync(path))?.[1];
}

/** The `skip` option of the UI suites: a reason when GANKIT_SKIP_UI is set, else false. */
export const skip: string | false = process.env.GANKIT_SKIP_UI ? 'GANKIT_SKIP_UI is set' : false;

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Write one plugin's user settings (`pkg:plugin` id) into a JupyterLab settings directory. */
export function writeSettings(dir: string, id: string, value: unknown): void {
  const [pkg, plugin] = id.split(':');
  mkdirSync(join(dir, pkg), { recursive: true });
  writeFileSync(join(dir, pkg, `${plugin}.jupyterlab-settings`), JSON.stringify(value));
}

export interface LabOptions {
  /** Files to write into the server root: file name -> contents (notebooks as JSON text). */
  files: Record<string, string>;
  /** Directories copied (recursively) into the server root under their base names, e.g. notebooks/data. */
  dirs?: string[];
  /** Extra user settings by plugin id (merged over the test defaults). */
  settings?: Record<string, unknown>;
  /** Milliseconds to wait for the server to answer /api/status (default 90000). */
  startTimeoutMs?: number;
}

/** A running JupyterLab server started by a test. */
export interface Lab {
  /** http://127.0.0.1:<port> */
  base: string;
  token: string;
  /** The temporary directory holding the server root (`notebooks/`), settings and runtime files. */
  tmp: string;
  /** The server's stdout and stderr so far. */
  log(): string;
  /** Stop the server (SIGTERM, then SIGKILL after 15 s; kernels are shut down) and remove `tmp`. */
  stop(): Promise<void>;
}

/** Start `.venv/bin/jupyter lab` on a free port with isolated settings, workspaces, runtime and config dirs. */
export async function startLab(opts: LabOptions): Promise<Lab> {
  const tmp = mkdtempSync(join(tmpdir(), 'gankit-ui-'));
  const nb = join(tmp, 'notebooks');
  mkdirSync(nb);
  for (const [name, text] of Object.entries(opts.files)) writeFileSync(join(nb, name), text);
  for (const dir of opts.dirs ?? []) cpSync(dir, join(nb, basename(dir)), { recursive: true });
  const settingsDir = join(tmp, 'settings');
  const settings: Record<string, unknown> = {
    // Render every cell (no windowing), no news prompt.
    '@jupyterlab/notebook-extension:tracker': { windowingMode: 'none' },
    '@jupyterlab/apputils-extension:notification': { fetchNews: 'false', checkForUpdates: false },
    ...opts.settings
  };
  for (const [id, value] of Object.entries(settings)) writeSettings(settingsDir, id, value);
  const port = await freePort();
  const token = `gankit${Math.random().toString(36).slice(2)}`;
  const base = `http://127.0.0.1:${port}`;
  let log = '';
  const proc: ChildProcess = spawn(
    JUPYTER,
    [
      'lab',
      '--no-browser',
      `--port=${port}`,
      '--ip=127.0.0.1',
      `--IdentityProvider.token=${token}`,
      `--ServerApp.root_dir=${nb}`,
      ...(process.getuid?.() === 0 ? ['--allow-root'] : [])
    ],
    {
      cwd: tmp,
      env: {
        ...process.env,
        JUPYTERLAB_SETTINGS_DIR: settingsDir,
        JUPYTERLAB_WORKSPACES_DIR: join(tmp, 'workspaces'),
        JUPYTER_RUNTIME_DIR: join(tmp, 'runtime'),
        JUPYTER_CONFIG_DIR: join(tmp, 'config')
      },
      stdio: ['ignore', 'pipe', 'pipe']
    }
  );
  proc.stdout!.on('data', d => (log += d));
  proc.stderr!.on('data', d => (log += d));
  const exited = new Promise<void>(resolve => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve();
    else proc.once('exit', () => resolve());
  });
  const lab: Lab = {
    base,
    token,
    tmp,
    log: () => log,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(tmp, { recursive: true, force: true });
    }
  };
  const timeout = opts.startTimeoutMs ?? 90_000;
  const deadline = Date.now() + timeout;
  try {
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`jupyter lab exited early:\n${log.slice(-3000)}`);
      try {
        const r = await fetch(`${base}/api/status?token=${token}`);
        if (r.ok) break;
      } catch {
        /* not up yet */
      }
      if (Date.now() > deadline) throw new Error(`jupyter lab did not start in ${timeout / 1000} s:\n${log.slice(-3000)}`);
      await new Promise(r => setTimeout(r, 250));
    }
  } catch (e) {
    await lab.stop();
    throw e;
  }
  return lab;
}

/** Headless Debian Chromium through playwright-core. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking']
  });
}

/** The largest chunk of the installed extension: plotly. */
export function plotlyChunk(): string {
  const dir = join(EXT, 'static');
  return readdirSync(dir)
    .filter(f => f.endsWith('.js'))
    .sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)[0];
}

export interface OpenedNotebook {
  page: Page;
  /** URLs of the extension's chunks the page fetched. */
  requested: string[];
  /** Page errors, and console errors that mention gankit. */
  errors: string[];
}

/** Open `name` (relative to the server root) in a fresh page, with a clean workspace; waits for the first cell. */
export async function openNotebook(browser: Browser, lab: Lab, name: string, viewport = { width: 1280, height: 1400 }): Promise<OpenedNotebook> {
  const page = await browser.newPage({ viewport, acceptDownloads: true });
  const requested: string[] = [];
  const errors: string[] = [];
  page.on('request', r => {
    if (r.url().includes('/gankit-labextension/static/')) requested.push(r.url());
  });
  page.on('pageerror', e => errors.push(String(e)));
  page.on('console', m => {
    if (m.type() === 'error' && /gankit/i.test(m.text())) errors.push(m.text());
  });
  await page.goto(`${lab.base}/lab/tree/${name}?token=${lab.token}&reset`, { waitUntil: 'domcontentloaded' });
  await page.locator('.jp-Notebook .jp-Cell').first().waitFor({ timeout: 60_000 });
  return { page, requested, errors };
}

/** Save a screenshot of the page's viewport as test-artifacts/<name>. */
export function shot(page: Page, name: string): Promise<Buffer> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return page.screenshot({ path: join(ARTIFACTS, name), fullPage: false });
}

/** Wait for the notebook's kernel (by display name) to be idle. */
export async function kernelIdle(page: Page, kernelName: string, timeoutMs = 120_000): Promise<void> {
  await page.locator('.jp-KernelName', { hasText: kernelName }).waitFor({ timeout: timeoutMs });
  const indicator = page.locator('.jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator');
  await indicator.and(page.locator('[data-status="idle"]')).waitFor({ timeout: timeoutMs });
}

/**
 * Run > Run All Cells, then wait until the first cell has run, no cell is queued or running ([*])
 * and the kernel is idle again (Run All also stops at an error); returns the seconds it took.
 */
export async function runAllCells(page: Page, timeoutMs: number): Promise<number> {
  const t0 = performance.now();
  await page.locator('.lm-MenuBar-item', { hasText: /^Run$/ }).click();
  await page.locator('.lm-Menu-item:visible', { has: page.locator('.lm-Menu-itemLabel', { hasText: /^Run All Cells$/ }) }).click();
  await page.waitForFunction(
    () => {
      const d = (globalThis as any).document;
      const prompts = Array.from(d.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt'), (e: any) => e.textContent.trim());
      const status = d.querySelector('.jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator')?.dataset.status;
      return /^\[\d+\]:$/.test(prompts[0] ?? '') && !prompts.includes('[*]:') && status === 'idle';
    },
    undefined,
    { timeout: timeoutMs, polling: 100 }
  );
  return (performance.now() - t0) / 1000;
}

/**
 * Assert that the tick labels of one plotly axis ('xtick', 'ytick', 'y2tick', 'y3tick', ...) in `plot`
 * are round: evenly spaced by 1, 2, 2.5 or 5 times a power of ten, each a multiple of that step
 * (no 0.209 / 0.393 / -0.007). Plotly writes − for minus and 1k for 1000.
 */
export async function assertRoundTicks(plot: Locator, cls: string): Promise<void> {
  const texts = await plot.locator(`.${cls} text`).allTextContents();
  const values = texts.map(t => Number(t.replace('−', '-').replace(/k$/, 'e3')));
  assert.ok(values.length >= 2 && values.every(Number.isFinite), `${cls}: at least two numeric ticks (${texts})`);
  const step = values[1] - values[0];
  const mag = 10 ** Math.floor(Math.log10(step));
  assert.ok([1, 2, 2.5, 5, 10].some(m => Math.abs(step / mag - m) < 1e-6), `${cls}: round step ${step} (${texts})`);
  for (const v of values) assert.ok(Math.abs(v / step - Math.round(v / step)) < 1e-6, `${cls}: ${v} is a multiple of ${step} (${texts})`);
}

/** A saved notebook (.ipynb text) whose code cells carry the given display bundles as outputs, for a kernel ('gankit' or 'python3'). */
export function savedNotebook(cells: { source: string; bundle: Record<string, unknown> }[], kernel: 'gankit' | 'python3' = 'gankit'): string {
  const spec = kernel === 'gankit'
    ? { kernelspec: { name: 'gankit', display_name: 'TypeScript (gankit)', language: 'typescript' }, language_info: { name: 'typescript' } }
    : { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } };
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: spec,
    cells: cells.map((c, i) => ({
      id: `cell-${i}`,
      cell_type: 'code',
      execution_count: i + 1,
      metadata: {},
      source: c.source,
      outputs: [{ output_type: 'display_data', data: c.bundle, metadata: {} }],
    })),
  });
}
