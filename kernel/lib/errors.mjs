// Jupyter `error` content (ename, evalue, traceback) for what can go wrong in a cell: TypeScript
// diagnostics, thrown values, rejected top-level awaits and interrupts.
import path from 'node:path';
import util from 'node:util';
import { fileURLToPath } from 'node:url';

const RED = '\x1b[31m';
const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/** Message of an InterruptedError (kept in sync with src/display/interrupt.ts). */
export const INTERRUPTED = 'Interrupted by the user (kernel interrupt)';

/** True when `e` means "the user interrupted": gankit's InterruptedError, vm's SIGINT break, tslab's async interrupt. */
export function isInterrupt(e) {
  if (!e || typeof e !== 'object') return false;
  const msg = String(e.message ?? '');
  return e.name === 'InterruptedError' || /^Script execution was interrupted by `SIGINT`/.test(msg) || msg === 'Interrupted asynchronously';
}

/** Error content for an interrupt. */
export function interruptContent() {
  return { ename: 'InterruptedError', evalue: INTERRUPTED, traceback: [`${RED}${BOLD}InterruptedError${RESET}: ${INTERRUPTED}`] };
}

/**
 * Error content for TypeScript diagnostics of a cell (tslab's converter format).
 * @param {{ start: { line: number, character: number }, end?: { line: number, character: number }, messageText: string, code: number, fileName?: string }[]} diagnostics
 * @param {string} src the cell's source
 */
export function compileErrorContent(diagnostics, src) {
  const lines = src.split('\n');
  const traceback = [];
  let first = '';
  for (const d of diagnostics) {
    const where = `${d.fileName ? d.fileName + ':' : ''}${d.start.line + 1}:${d.start.character + 1}`;
    const msg = `${where} - ${d.messageText} (TS${d.code})`;
    if (!first) first = msg;
    traceback.push(`${RED}${BOLD}error${RESET} ${msg}`);
    if (!d.fileName && lines[d.start.line] !== undefined) {
      const text = lines[d.start.line];
      const endCh = d.end && d.end.line === d.start.line ? d.end.character : text.length;
      const width = Math.max(1, endCh - d.start.character);
      traceback.push(`${DIM}${String(d.start.line + 1).padStart(4)} |${RESET} ${text}`);
      traceback.push(`     | ${' '.repeat(d.start.character)}${RED}${'~'.repeat(width)}${RESET}`);
    }
  }
  return { ename: 'TypeScriptError', evalue: first || 'compilation failed', traceback };
}

/** The gankit package root (this file is <root>/kernel/lib/errors.mjs). */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/**
 * Stack frames that are not the user's: any package under node_modules (tfjs, sharp, tslab, zeromq),
 * gankit's own dist/, src/ and kernel/, Node's internals and native frames ("at Array.map (<anonymous>)").
 */
const LIBRARY_FRAME = new RegExp(
  `(node_modules[\\\\/]|\\(node:|at node:|\\(<anonymous>\\)$|${escape(ROOT)}[\\\\/](dist|src|kernel)[\\\\/])`);

/** True when GANKIT_FULL_STACK asks for every frame. */
const fullStack = () => /^(1|true|yes)$/i.test(process.env.GANKIT_FULL_STACK ?? '');

/**
 * The frames to show: the user's own (cells, their own modules); library frames are dropped and
 * counted in one closing line, unless GANKIT_FULL_STACK=1.
 * @param {string[]} frames lines starting with "    at "
 */
export function userFrames(frames) {
  if (fullStack()) return frames;
  const kept = frames.filter((l) => !LIBRARY_FRAME.test(l.trim()));
  const hidden = frames.length - kept.length;
  if (hidden > 0) kept.push(`${DIM}    (${hidden} library frame${hidden === 1 ? '' : 's'} hidden; GANKIT_FULL_STACK=1 shows them)${RESET}`);
  return kept;
}

/** A hint for tfjs's "already disposed" errors, whose message does not say who disposed what. */
function disposedHint(message) {
  if (!/is already disposed|Tensor is disposed|has been disposed/i.test(message)) return [];
  return [`${BOLD}Hint${RESET}: a tensor or model this cell uses was disposed by an earlier cell (often a notebook's clean-up cell); ` +
    'rerun the cells that create it, or run the notebook again from the top.'];
}

/**
 * Error content for a thrown value (an Error or anything else).
 * @param {unknown} e
 */
export function runtimeErrorContent(e) {
  if (isInterrupt(e)) return interruptContent();
  if (e instanceof Error || (e && typeof e === 'object' && 'stack' in e && 'message' in e)) {
    const err = /** @type {Error} */ (e);
    const ename = String(err.name || 'Error');
    const evalue = String(err.message ?? '');
    let stack = String(err.stack || `${ename}: ${evalue}`).split('\n');
    // Errors thrown synchronously out of vm carry a "file:line / source / ^" decoration first: drop it.
    const start = stack.findIndex((l) => l.startsWith(`${ename}:`) || l === ename);
    if (start > 0) stack = stack.slice(start);
    // The first line(s) repeat "Name: message" (which may span lines); frames start with "    at ".
    const firstFrame = stack.findIndex((l) => /^\s+at /.test(l));
    const head = firstFrame < 0 ? stack : stack.slice(0, firstFrame);
    const frames = firstFrame < 0 ? [] : userFrames(stack.slice(firstFrame));
    const traceback = [`${RED}${BOLD}${head[0] ?? ename}${RESET}`, ...head.slice(1), ...frames, ...disposedHint(evalue)];
    if (err.cause !== undefined) traceback.push(`Caused by: ${util.inspect(err.cause, { depth: 2 })}`);
    return { ename, evalue, traceback };
  }
  const text = util.inspect(e, { depth: 3 });
  return { ename: 'Error', evalue: `Uncaught ${text}`, traceback: [`${RED}${BOLD}Uncaught${RESET} ${text}`] };
}
