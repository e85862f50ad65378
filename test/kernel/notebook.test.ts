/**
 * Notebooks executed by nbclient (as `jupyter nbconvert --execute` does) with the gankit kernel, from a
 * directory outside the project: rich outputs land in the notebook, and a failing cell raises
 * CellExecutionError with the kernel's ename/evalue.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodePng, prepareKernel, runDriver, tempDir } from './helpers.js';

interface NotebookResult {
  ok: boolean; ename?: string; evalue?: string; message?: string; elapsed: number;
  cells: { execution_count: number | null; outputs: Record<string, any>[] }[];
}

const dir = tempDir('gankit-nb-');
after(() => dir.cleanup());
before(() => prepareKernel());

function writeNotebook(name: string, cells: string[]): string {
  const nb = {
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: 'gankit', display_name: 'TypeScript (gankit)', language: 'typescript' } },
    cells: cells.map((source, i) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source })),
  };
  const path = join(dir.path, name);
  writeFileSync(path, JSON.stringify(nb));
  return path;
}

test('nbclient runs a gankit notebook and stores rich outputs', async () => {
  const path = writeNotebook('ok.ipynb', [
    "import { showTensor, plot } from 'gankit'\nimport * as tf from '@tensorflow/tfjs'",
    'tf.linspace(0, 1, 12).reshape([3, 4])',
    "showTensor(tf.eye(5), { name: 'eye' })",
    "plot({ loss: [[0, 1], [1, 0.5], [2, 0.25]] }, { title: 'loss' })",
  ]);
  const r = await runDriver<NotebookResult>(['notebook', path, dir.path], '');
  assert.equal(r.ok, true, r.message);
  const [c0, c1, c2, c3] = r.cells;
  assert.equal(c0!.execution_count, 1);
  const res = c1!.outputs.find((o) => o.output_type === 'execute_result')!;
  assert.deepEqual(res.data['application/vnd.gankit.tensor.v1+json'].shape, [3, 4]);
  await decodePng(res.data['image/png']);
  const disp = c2!.outputs.find((o) => o.output_type === 'display_data')!;
  assert.equal(disp.data['application/vnd.gankit.tensor.v1+json'].name, 'eye');
  assert.deepEqual(disp.data['application/vnd.gankit.tensor.v1+json'].stats.max, 1);
  const plotOut = c3!.outputs.find((o) => o.output_type === 'execute_result')!;
  assert.equal(plotOut.data['application/vnd.gankit.plot.v1+json'].title, 'loss');
});

test('a failing cell makes nbclient raise CellExecutionError with ename and evalue', async () => {
  const path = writeNotebook('fail.ipynb', ['const a = 1', "throw new Error('boom')", '2 + 2']);
  const r = await runDriver<NotebookResult>(['notebook', path, dir.path], '');
  assert.equal(r.ok, false);
  assert.equal(r.ename, 'Error');
  assert.equal(r.evalue, 'boom');
  const err = r.cells[1]!.outputs.find((o) => o.output_type === 'error')!;
  assert.equal(err.ename, 'Error');
  assert.equal(r.cells[2]!.execution_count, null, 'later cells do not run');
});

test('a type error is a CellExecutionError too', async () => {
  const path = writeNotebook('type.ipynb', ["const n: number = 'one'"]);
  const r = await runDriver<NotebookResult>(['notebook', path, dir.path], '');
  assert.equal(r.ok, false);
  assert.equal(r.ename, 'TypeScriptError');
  assert.match(r.evalue!, /not assignable to type 'number'/);
});
