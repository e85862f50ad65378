#!/usr/bin/env node
// gankit kernel launcher: `node kernel/launcher.mjs <connection_file>` (what kernel.json runs).
// Plain JavaScript, so the kernel itself needs no build step; it loads the compiled gankit library
// from ../dist (built by `npm run build`) and tslab from ../node_modules.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Quiet TensorFlow's C++ logging unless the user asked otherwise (must be set before tfjs-node loads).
process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';

const connectionFile = process.argv[2];
if (!connectionFile) {
  process.stderr.write('usage: node kernel/launcher.mjs <connection_file>\n');
  process.exit(2);
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { startKernel } = await import('./lib/kernel.mjs');
await startKernel({ connectionFile, root });
