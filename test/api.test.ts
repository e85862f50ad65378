/**
 * The public API of `gankit` (src/index.ts): exactly these runtime names, so that an addition or a
 * removal is deliberate; and every name the notebooks, README.md and docs/*.md import from 'gankit'
 * is public.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as gankit from '../src/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));

const PUBLIC = [
  // backends and errors
  'initBackend', 'BACKEND_NAMES', 'startWasmBackend', 'GankitError',
  // image files and tensors
  'decodeImage', 'encodeImage', 'loadImage', 'loadImages', 'writeImage', 'makeGrid', 'saveImage',
  // display
  'display', 'createDisplay', 'showTensor', 'showImages', 'showPlot', 'showModel', 'imageGrid', 'plot', 'tensorView',
  'tensorBundle', 'imagesBundle', 'plotBundle', 'modelBundle', 'exploreLatent',
  'kernelSignal', 'shouldStop', 'checkInterrupt', 'onInterrupt', 'InterruptedError',
  // data
  'loadMnist', 'loadFashionMnist', 'loadImageFolder', 'MNIST_CLASSES', 'FASHION_MNIST_CLASSES',
  'batches', 'numBatches', 'sampleBatch', 'forEachBatch', 'disposeBatch', 'clearDatasetCache',
  // GANs
  'createGan', 'disposeGan', 'dcganGenerator', 'dcganDiscriminator', 'mlpGenerator', 'mlpDiscriminator', 'conditionalGenerator', 'conditionalDiscriminator',
  'summary', 'GanTrainer', 'saveCheckpoint', 'loadCheckpoint', 'restoreCheckpoint', 'exportGenerator', 'loadGenerator',
  'sample', 'sampleNoise', 'generate', 'interpolate', 'interpolationImages', 'liveTraining', 'snapshotImages', 'lossSeries',
  'PRETRAINED', 'loadPretrained', 'qualityMetrics', 'frechetDistance', 'classifierFeatures', 'loadClassifier', 'referenceStatistics',
  // image editing
  'crop', 'centerCrop', 'pad', 'resize', 'resizedCrop', 'hflip', 'vflip', 'rotate', 'affine', 'perspective',
  'adjustBrightness', 'adjustContrast', 'adjustSaturation', 'adjustHue', 'adjustGamma', 'adjustSharpness',
  'rgbToGrayscale', 'grayscale', 'invert', 'posterize', 'solarize', 'autocontrast', 'equalize', 'gaussianBlur',
  'erase', 'elasticTransform', 'elasticDisplacement', 'fiveCrop', 'tenCrop', 'normalize', 'toDtype',
  'EditImage', 'openImage', 'compose', 'withRange', 'colorJitter', 'randomCrop', 'randomResizedCrop', 'randomHorizontalFlip', 'randomVerticalFlip', 'randomRotation',
  'setPixelLimit', 'addonStatus',
];

test('gankit exports exactly the public names', () => {
  assert.equal(new Set(PUBLIC).size, PUBLIC.length, 'no name listed twice');
  assert.deepEqual(Object.keys(gankit).sort(), [...PUBLIC].sort());
  for (const name of PUBLIC) assert.notEqual((gankit as Record<string, unknown>)[name], undefined, name);
});

/** The code the user reads: notebook code cells, and the Markdown files. */
function teachingSources(): [string, string][] {
  const out: [string, string][] = [];
  const nbDir = join(root, 'notebooks');
  for (const f of readdirSync(nbDir).filter((f) => f.endsWith('.ipynb'))) {
    const nb = JSON.parse(readFileSync(join(nbDir, f), 'utf8')) as { cells: { cell_type: string; source: string[] | string }[] };
    out.push([`notebooks/${f}`, nb.cells.filter((c) => c.cell_type === 'code').map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source)).join('\n')]);
  }
  const docs = join(root, 'docs');
  const md = ['README.md', 'notebooks/README.md', ...(existsSync(docs) ? readdirSync(docs).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`) : [])];
  for (const f of md) out.push([f, readFileSync(join(root, f), 'utf8')]);
  return out;
}

test('the notebooks and the docs import only public names from gankit', () => {
  const index = readFileSync(join(root, 'src', 'index.ts'), 'utf8');
  let imports = 0;
  for (const [file, text] of teachingSources()) {
    for (const m of text.matchAll(/import\s*(type\s*)?\{([^}]*)\}\s*from\s*['"]gankit['"]/g)) {
      for (const part of m[2]!.split(',').map((s) => s.trim()).filter((s) => s !== '' && s !== '...')) {
        const isType = Boolean(m[1]) || part.startsWith('type ');
        const name = part.replace(/^type\s+/, '').split(/\s+as\s+/)[0]!.trim();
        imports++;
        if (isType) assert.match(index, new RegExp(`\\b(type )?${name}\\b`), `${file} imports type ${name}, which src/index.ts does not export`);
        else assert.ok(PUBLIC.includes(name), `${file} imports ${name}, which is not public`);
      }
    }
  }
  assert.ok(imports > 50, `${imports} imported names found`);
});
