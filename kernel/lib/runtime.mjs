// What runs cells: tslab's converter (TypeScript -> JS per cell, declarations carried between cells,
// completion, inspection) and executor (runs converted cells, keeps variables, top-level await),
// taken unchanged from tslab's dist/ modules, plus the gankit library and its kernel hooks.
import path from 'node:path';
import util from 'node:util';
import { pathToFileURL } from 'node:url';
import { setImmediate as tick } from 'node:timers/promises';
import { patchRuntimeResolution, patchTypeScriptSys } from './resolve.mjs';
import { addAwaitCheckpoints } from './await-checkpoints.mjs';
import { PHASE } from './watchdog.mjs';

/**
 * Load the converter, the executor and gankit (the heavy part of start-up: about 1-3 s).
 * @param {{ root: string, cwd: string, tslabRequire: NodeRequire, log: (...a: unknown[]) => void,
 *   state: ReturnType<import('./context.mjs').createExecutionState>,
 *   publishDisplay: (data: object, update: boolean) => void, lastValue: (args: unknown[]) => void,
 *   timings: Record<string, number | string>, watchdog: ReturnType<import('./watchdog.mjs').createWatchdogState> }} opts
 */
export async function loadRuntime({ root, cwd, tslabRequire, log, state, publishDisplay, lastValue, timings, watchdog }) {
  const t = performance.now();
  const ts = tslabRequire('@tslab/typescript-for-tslab');
  patchTypeScriptSys(ts, { cwd, root });
  let gankitNs;
  patchRuntimeResolution(root, () => gankitNs);
  const { createConverter, isCompleteCode } = tslabRequire('./dist/converter.js');
  const { createExecutor } = tslabRequire('./dist/executor.js');
  const jupyterModule = tslabRequire('./dist/jupyter.js');
  // tslab's own display API (`import { display } from "tslab"`) writes through this hook.
  jupyterModule.lastWriteDisplayData = (data, update) => publishDisplay(data, update);

  // Declarations carried from cell to cell. tslab keeps them only after a cell succeeds; we also keep
  // them after a runtime error or an interrupt (the variables exist at runtime then, e.g. the history
  // of an interrupted training loop), and drop them only after a compile error.
  const decls = { current: '', pending: /** @type {string | null} */ (null), diagnostics: /** @type {any[] | null} */ (null) };
  const wrapConverter = (conv) => ({
    ...conv,
    convert(_prevDecl, src) {
      // tslab's executor runs the cell in vm right after convert returns: the watchdog may break that with SIGINT.
      watchdog.setPhase(PHASE.COMPILING);
      let r;
      try { r = conv.convert(decls.current, src); } finally { watchdog.setPhase(PHASE.CELL_CODE); }
      decls.diagnostics = r.diagnostics?.length ? r.diagnostics : null;
      decls.pending = decls.diagnostics ? null : (r.declOutput ?? '');
      if (r.output && r.hasToplevelAwait) {
        try { r.output = addAwaitCheckpoints(ts, r.output); } catch (e) { log('await checkpoints skipped:', e); }
      }
      return r;
    },
    inspect: (_prevDecl, src, pos) => conv.inspect(decls.current, src, pos),
    complete: (_prevDecl, src, pos) => conv.complete(decls.current, src, pos),
  });
  let nodeConv = null;
  let browserConv = null;
  const convs = {
    get node() { return (nodeConv ??= wrapConverter(createConverter({ isJS: false, isBrowser: false }))); },
    get browser() { return (browserConv ??= wrapConverter(createConverter({ isJS: false, isBrowser: true }))); },
    close() { nodeConv?.close(); browserConv?.close(); },
  };
  void convs.node; // warm up: builds the TypeScript program with lib and @types (about a second)
  timings.converter = performance.now() - t;
  const executor = createExecutor(cwd, convs, {
    log: (...args) => lastValue(args),
    error: (...args) => {
      const ctx = state.current();
      if (args[0] === '%s%d:%d - %s') { ctx?.errors.push({ diagnosticText: util.format(...args) }); return; }
      if (ctx) ctx.errors.push(args.length === 1 ? args[0] : util.format(...args));
      else process.stderr.write(util.format(...args) + '\n');
    },
  });
  await tick();

  const t2 = performance.now();
  const dist = path.join(root, 'dist', 'src');
  let hooks = null;
  let initWarning = '';
  try {
    hooks = await import(pathToFileURL(path.join(dist, 'display', 'kernel-hooks.js')).href);
    state.InterruptedError = hooks.InterruptedError;
    gankitNs = await import(pathToFileURL(path.join(dist, 'index.js')).href);
    timings.gankit = performance.now() - t2;
    if (typeof gankitNs.initBackend === 'function') {
      const t3 = performance.now();
      try {
        const report = await gankitNs.initBackend();
        timings.backend = performance.now() - t3;
        timings.backendName = report?.backend;
      } catch (e) {
        initWarning += `gankit: no tfjs backend could be started: ${e?.message ?? e}\n`;
      }
    }
  } catch (e) {
    initWarning += `gankit could not be loaded from ${dist} (run \`npm run build\`): ${e?.message ?? e}\n`;
    log(initWarning.trim());
  }
  // Pre-warm: load gankit's and tfjs's typings into the compiler now, so the first cell that imports
  // gankit does not pay for it.
  if (gankitNs) {
    const t4 = performance.now();
    try { convs.node.convert('', "import * as __gankit_warmup__ from 'gankit';\n"); } catch { /* only a warm-up */ } finally { watchdog.setPhase(PHASE.OTHER); }
    timings.warmup = performance.now() - t4;
  }
  return { executor, hooks, decls, initWarning, isCompleteCode, tslabPackage: tslabRequire.resolve('./package.json') };
}

/** Own data properties searched per object by nameOf (keeps the search bounded). */
const NAME_SEARCH_KEYS = 64;

/**
 * The notebook variable that holds `obj`, directly ("gan") or one or two properties deep
 * ("trainer.gan.generator"), or null. Reads data properties only (no getters run).
 * @param {Record<string, unknown>} locals the executor's cell variables
 * @param {object} obj
 */
export function nameOf(locals, obj) {
  const props = (o) => {
    if (typeof o !== 'object' || o === null || ArrayBuffer.isView(o)) return [];
    return Object.keys(o).slice(0, NAME_SEARCH_KEYS).flatMap((k) => {
      const d = Object.getOwnPropertyDescriptor(o, k);
      return d && 'value' in d ? [[k, d.value]] : [];
    });
  };
  const top = Object.keys(locals).map((k) => [k, locals[k]]);
  for (const [k, v] of top) if (v === obj) return k;
  for (const [k, v] of top) for (const [k2, v2] of props(v)) if (v2 === obj) return `${k}.${k2}`;
  for (const [k, v] of top) for (const [k2, v2] of props(v)) for (const [k3, v3] of props(v2)) if (v3 === obj) return `${k}.${k2}.${k3}`;
  return null;
}
