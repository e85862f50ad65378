/**
 * The README's main command, `bash scripts/lab.sh --headless --port=<port>`, as it runs here (as root on
 * these machines and in CI): setup runs (quick when nothing changed), JupyterLab starts, answers
 * /api/status and /lab/api/build with the token, and the log has none of the traces a first user saw:
 * "Running as root is not recommended", node-version-check.js's ES-module error, minified yarn.js and
 * "Dynamic require", "Could not determine jupyterlab build status".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { root } from './helpers.js';

const TRACES = [
  /Running as root is not recommended/,
  /node-version-check/,
  /require is not defined in ES module scope/,
  /Dynamic require of/,
  /yarn\.js/,
  /Could not determine jupyterlab build status/,
  /Traceback/,
];

/** Poll `url` until it answers 200 (or the deadline passes); returns its JSON. */
async function waitFor(url: string, headers: Record<string, string>, deadline: number, log: () => string): Promise<any> {
  let last = '';
  while (Date.now() < deadline) {
    try {
      const r = await fetch(url, { headers });
      if (r.ok) return await r.json();
      last = `HTTP ${r.status}`;
    } catch (e) { last = (e as Error).message; }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer (${last})\n${log().slice(-4000)}`);
}

test('bash scripts/lab.sh --headless starts JupyterLab (as root too) with a clean log', { timeout: 600_000 }, async () => {
  const port = 20000 + Math.floor(Math.random() * 40000);
  const token = randomBytes(16).toString('hex');
  const child = spawn('bash', [join(root, 'scripts', 'lab.sh'), '--headless', `--port=${port}`], {
    cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, JUPYTER_TOKEN: token },
  });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const headers = { Authorization: `token ${token}` };
    const deadline = Date.now() + 480_000;
    const status = await Promise.race([
      waitFor(`http://127.0.0.1:${port}/api/status`, headers, deadline, () => log),
      exited.then((code) => { throw new Error(`lab.sh exited with ${code} before the server answered\n${log.slice(-4000)}`); }),
    ]);
    assert.equal(typeof status.started, 'string');
    // What JupyterLab asks on every page load; it ran node-version-check.js (and failed) before the fix.
    const build = await waitFor(`http://127.0.0.1:${port}/lab/api/build`, headers, deadline, () => log);
    assert.equal(build.status, 'stable', JSON.stringify(build));
    const kernels = await waitFor(`http://127.0.0.1:${port}/api/kernelspecs`, headers, deadline, () => log);
    assert.ok(kernels.kernelspecs.gankit, Object.keys(kernels.kernelspecs).join(', '));
    await new Promise((r) => setTimeout(r, 2000)); // let late warnings reach the log
    if (process.getuid?.() === 0) assert.match(log, /running as root: passing --allow-root/);
    for (const t of TRACES) assert.doesNotMatch(log, t, `log has ${t}:\n${log.slice(-4000)}`);
    assert.match(log, new RegExp(`Jupyter Server [\\d.]+ is running at:[\\s\\S]*127\\.0\\.0\\.1:${port}/lab`));
  } finally {
    if (child.exitCode === null) {
      process.kill(-child.pid!, 'SIGTERM'); // the process group of the lab.sh we started
      const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 10_000);
      await exited;
      clearTimeout(timer);
    }
  }
});
