// Interrupt checkpoints for top-level awaits. A cell such as
//   for (let i = 0; i < 1e6; i++) { await step(i); }
// runs in tslab as the body of an async function; once it awaits, SIGINT can no longer break into it.
// We rewrite every await at the cell's top level (not inside nested functions) from `await x` to
// `__gankitKernel__.checkpoint(await x)`, and start each `for await` body with a checkpoint, so after an
// interrupt the loop stops at its next step with an InterruptedError. Nested functions are left alone:
// library loops use checkInterrupt()/shouldStop() from gankit.

/** Global name of the checkpoint object the kernel installs. */
export const CHECKPOINT_GLOBAL = '__gankitKernel__';

/**
 * Rewrite the compiled JavaScript of one cell (CommonJS, top-level awaits allowed).
 * @param {any} ts TypeScript module (tslab's copy)
 * @param {string} js
 * @returns {string}
 */
export function addAwaitCheckpoints(ts, js) {
  // Parse as a module so top-level `await (x)` is an await expression, not a call of `await`.
  const sf = ts.createSourceFile('cell.js', js, {
    languageVersion: ts.ScriptTarget.ES2022,
    setExternalModuleIndicator: (file) => { file.externalModuleIndicator = true; },
  }, true, ts.ScriptKind.JS);
  const f = ts.factory;
  const checkpoint = (args) => f.createCallExpression(
    f.createPropertyAccessExpression(f.createIdentifier(CHECKPOINT_GLOBAL), 'checkpoint'), undefined, args);
  let changed = false;
  const transformer = (context) => {
    const visit = (node) => {
      if (ts.isFunctionLike(node) || ts.isClassStaticBlockDeclaration(node)) return node; // nested scope: leave alone
      if (ts.isAwaitExpression(node)) {
        changed = true;
        return checkpoint([f.updateAwaitExpression(node, ts.visitNode(node.expression, visit))]);
      }
      if (ts.isForOfStatement(node) && node.awaitModifier) {
        changed = true;
        const body = ts.visitNode(node.statement, visit);
        const stmts = ts.isBlock(body) ? body.statements : [body];
        return f.updateForOfStatement(node, node.awaitModifier, ts.visitNode(node.initializer, visit),
          ts.visitNode(node.expression, visit), f.createBlock([f.createExpressionStatement(checkpoint([])), ...stmts], true));
      }
      return ts.visitEachChild(node, visit, context);
    };
    return (root) => ts.visitNode(root, visit);
  };
  const result = ts.transform(sf, [transformer]);
  try {
    if (!changed) return js;
    return ts.createPrinter({ newLine: ts.NewLineKind.LineFeed }).printFile(result.transformed[0]);
  } finally {
    result.dispose();
  }
}
