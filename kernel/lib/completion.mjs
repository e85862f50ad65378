// Editor requests: completion with each candidate's kind and (for the first few) its type signature,
// inspection (hover / Shift+Tab) with the compiler's quick info, and is_complete. tslab's handler sends
// the candidate names only; its converter already has the kinds, and quick info gives the signature.
import { createRequire } from 'node:module';

/** Candidates that get a signature (each costs one quick-info query of the cell). */
const SIGNED = 12;

/** TypeScript's ScriptElementKind -> the completer's item type (JupyterLab shows it beside the match). */
const KIND = {
  var: 'variable', let: 'variable', const: 'variable', 'local var': 'variable', 'local function': 'function',
  alias: 'module', 'external module name': 'module', 'enum member': 'property', getter: 'property', setter: 'property',
  'primitive type': 'type', 'type parameter': 'type', interface: 'interface', parameter: 'param',
};

/** What an import alias stands for, from its quick info: "(alias) const f: <R>(x: R) => R" is a function. */
function aliasedKind(signature, name) {
  const m = /^\(alias\) (\w+) /.exec(signature);
  if (!m) return 'alias';
  const rest = signature.slice(m[0].length + name.length);
  if (['const', 'let', 'var'].includes(m[1]) && /^: (<[^]*?>)?\(/.test(rest)) return 'function';
  return m[1];
}

let printQuickInfo = null;
/** tslab's own quick-info printer (dist/inspect.js). */
function quickInfoText(runtime, info) {
  printQuickInfo ??= createRequire(runtime.tslabPackage)('./dist/inspect.js').printQuickInfo;
  return printQuickInfo(info);
}

/**
 * complete_reply content: tslab's matches, plus `metadata._jupyter_types_experimental` with each match's
 * kind and, for the first SIGNED matches, its declaration (e.g. "function randomNormal<R>(shape: ...): Tensor<R>").
 * @param {{ executor: any }} runtime
 * @param {{ code: string, cursor_pos: number }} content
 */
export function completeReply(runtime, { code, cursor_pos }) {
  const info = runtime.executor.complete(code, cursor_pos);
  const kinds = new Map((info.original?.entries ?? []).map((e) => [e.name, e.kind]));
  const types = info.candidates.map((name, i) => {
    let kind = kinds.get(name) ?? '';
    let signature;
    if (i < SIGNED) {
      const src = code.slice(0, info.start) + name + code.slice(info.end);
      const q = runtime.executor.inspect(src, info.start);
      if (q?.displayParts?.length) signature = q.displayParts.map((p) => p.text).join('');
      if (kind === 'alias' && signature) kind = aliasedKind(signature, name);
    }
    return { start: info.start, end: info.end, text: name, type: KIND[kind] ?? (kind || '<unknown>'), ...(signature ? { signature } : {}) };
  });
  return {
    cursor_start: info.start, cursor_end: info.end, matches: info.candidates,
    metadata: { _jupyter_types_experimental: types },
  };
}

/**
 * inspect_reply content: the quick info (type, documentation, @param tags) at the cursor as text/plain
 * and, for JupyterLab's tooltip, the same as text/markdown with the declaration in a code block.
 * @param {{ executor: any }} runtime
 * @param {{ code: string, cursor_pos: number }} content
 */
export function inspectReply(runtime, { code, cursor_pos }) {
  const info = runtime.executor.inspect(code, cursor_pos);
  if (!info) return { found: false, data: {}, metadata: {} };
  const text = quickInfoText(runtime, info);
  const decl = (info.displayParts ?? []).map((p) => p.text).join('');
  const rest = text.slice(decl.length).trim();
  const markdown = '```typescript\n' + decl + '\n```' + (rest ? `\n\n${rest}` : '');
  return { found: true, data: { 'text/plain': text, 'text/markdown': markdown }, metadata: {} };
}

/**
 * is_complete_reply content (tslab's check: brackets and strings closed).
 * @param {{ isCompleteCode: (code: string) => { completed: boolean, indent?: string } }} runtime
 * @param {{ code: string }} content
 */
export function isCompleteReply(runtime, { code }) {
  const r = runtime.isCompleteCode(code);
  return r.completed ? { status: 'complete' } : { status: 'incomplete', indent: r.indent ?? '' };
}
