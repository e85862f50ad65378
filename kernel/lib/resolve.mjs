// Make `gankit` (and the packages it depends on, e.g. @tensorflow/tfjs) importable, with types,
// from notebooks in ANY directory, without copying or linking anything into the notebook's folder.
//
// Two halves, both installed at kernel start, before tslab's converter exists:
//  - runtime: Node's CommonJS loader (tslab compiles cells to CommonJS and runs them with a
//    `require` rooted at the notebook's directory). `require('gankit')` returns the namespace the
//    kernel preloaded; any other bare specifier that cannot be found from the notebook's directory is
//    retried from the gankit package root.
//  - types: tslab's TypeScript compiler host reads files through `ts.sys` of its bundled TypeScript
//    (@tslab/typescript-for-tslab). We wrap `ts.sys` so `<cwd>/node_modules/gankit/...` maps onto the
//    gankit package root and `<cwd>/node_modules/<pkg>/...` (when the notebook's folder has no such
//    package) onto `<root>/node_modules/<pkg>/...`. `realpath` returns the real location, so the
//    compiler then resolves everything else from there natively. This mirrors what tslab itself does
//    for `import ... from "tslab"` (its forwardTslabPath).
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';

const isBare = (s) => typeof s === 'string' && !s.startsWith('.') && !s.startsWith('/') && !s.startsWith('node:') &&
  !Module.isBuiltin(s) && !/^[a-zA-Z]:[\\/]/.test(s);

/**
 * Patch Node's CommonJS loader. `getGankit()` returns the preloaded gankit namespace (or undefined
 * before it is loaded, in which case the package is required normally from `root`).
 * @param {string} root gankit package root
 * @param {() => object | undefined} getGankit
 */
export function patchRuntimeResolution(root, getGankit) {
  const rootRequire = Module.createRequire(path.join(root, 'package.json'));
  const M = /** @type {any} */ (Module);
  const origLoad = M._load;
  M._load = function (request, parent, isMain) {
    if (request === 'gankit') {
      const ns = getGankit();
      if (ns) return ns;
      return origLoad.call(this, rootRequire.resolve('gankit'), parent, isMain);
    }
    return origLoad.apply(this, arguments);
  };
  const origResolve = M._resolveFilename;
  M._resolveFilename = function (request, parent, isMain, options) {
    try {
      return origResolve.call(this, request, parent, isMain, options);
    } catch (e) {
      if (e && e.code === 'MODULE_NOT_FOUND' && isBare(request)) {
        try { return rootRequire.resolve(request); } catch { /* fall through to the original error */ }
      }
      throw e;
    }
  };
}

/**
 * Wrap `ts.sys` (tslab's TypeScript) so the compiler sees gankit and its dependencies under the
 * notebook directory's node_modules. Also turns off file watching outside `cwd` (library typings do
 * not change during a session; watching hundreds of .d.ts files costs CPU).
 * @param {any} ts the `@tslab/typescript-for-tslab` module tslab's converter uses
 * @param {{ cwd: string, root: string }} where
 */
export function patchTypeScriptSys(ts, { cwd, root }) {
  const sys = ts.sys;
  const nm = path.join(cwd, 'node_modules');
  const rootNm = path.join(root, 'node_modules');
  const exists = (p) => { try { fs.statSync(p); return true; } catch { return false; } };
  const cache = new Map();
  /** Where a path under <cwd>/node_modules really lives (or the path itself). */
  const mapPath = (p) => {
    if (typeof p !== 'string' || !(p === nm || p.startsWith(nm + '/'))) return p;
    const rest = p.slice(nm.length + 1);
    if (rest === '') return p;
    const segs = rest.split('/');
    const pkg = segs.slice(0, segs[0].startsWith('@') ? 2 : 1).join('/');
    if (pkg === 'gankit') return path.join(root, ...segs.slice(1));
    if (pkg === 'tslab') return p; // tslab forwards this itself
    let target = cache.get(pkg);
    if (target === undefined) {
      target = !exists(path.join(nm, pkg)) && exists(path.join(rootNm, pkg)) ? path.join(rootNm, pkg) : null;
      cache.set(pkg, target);
    }
    return target ? path.join(target, ...segs.slice(pkg.split('/').length)) : p;
  };
  const typesDir = path.join(nm, '@types');
  const wrap = (name, fn) => {
    const orig = sys[name];
    if (typeof orig === 'function') sys[name] = fn(orig.bind(sys));
  };
  wrap('readFile', (orig) => (p, enc) => orig(mapPath(p), enc));
  wrap('fileExists', (orig) => (p) => orig(mapPath(p)));
  wrap('directoryExists', (orig) => (p) => (p === nm && exists(rootNm)) || orig(mapPath(p)));
  wrap('getModifiedTime', (orig) => (p) => orig(mapPath(p)));
  wrap('getFileSize', (orig) => (p) => orig(mapPath(p)));
  wrap('realpath', (orig) => (p) => orig(mapPath(p)));
  // Borrowed @types: only @types/node (other @types of the project, e.g. jsdom, would pull the DOM lib
  // into every notebook). A notebook folder with its own node_modules/@types is left alone.
  const onlyNode = (p, list) => (p === typesDir && mapPath(p) !== p ? list.filter((d) => path.basename(d) === 'node') : list);
  wrap('getDirectories', (orig) => (p) => onlyNode(p, orig(mapPath(p))));
  wrap('readDirectory', (orig) => (p, ...rest) => {
    const m = mapPath(p);
    const out = orig(m, ...rest);
    return m === p ? out : out.map((f) => p + f.slice(m.length));
  });
  const local = (p) => typeof p === 'string' && (p === cwd || p.startsWith(cwd + '/')) && !p.split('/').includes('node_modules');
  const noWatch = { close() {} };
  wrap('watchFile', (orig) => (p, ...rest) => (local(p) ? orig(p, ...rest) : noWatch));
  wrap('watchDirectory', (orig) => (p, ...rest) => (local(p) ? orig(p, ...rest) : noWatch));
  return { mapPath };
}
