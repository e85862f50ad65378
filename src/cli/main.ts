#!/usr/bin/env node
/** The `gankit` command line: `gankit <command> [options]`. */
import { parseArgs } from 'node:util';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { initBackend, BACKEND_NAMES } from '../backend/select.js';
import { addonStatus } from '../edit/addon.js';
import { GankitError } from '../util/errors.js';
import { runEditCli } from './edit.js';
import { runTrainCli } from './train.js';
import { runSampleCli } from './sample.js';
import { runQualityCli } from './quality.js';

interface Command {
  summary: string;
  run(argv: string[]): Promise<number>;
}

const commands: Record<string, Command> = {
  info: {
    summary: 'print the chosen tfjs backend, versions, skipped backends and the image-editing kernels as JSON',
    async run(argv) {
      const { values } = parseArgs({ args: argv, options: { backend: { type: 'string' } } });
      const report = await initBackend(values.backend ? { backend: values.backend } : {});
      const edit = { kernels: addonStatus() };
      process.stdout.write(JSON.stringify({ ...report, edit }, null, 2) + '\n');
      return 0;
    },
  },
  edit: {
    summary: 'edit image files or folders (crop, rotate, flip, colour, resize...) in the order given',
    run: (argv) => runEditCli(argv),
  },
  train: {
    summary: 'train a GAN on mnist, fashion-mnist or an image folder (checkpoints, --resume, --export)',
    run: (argv) => runTrainCli(argv),
  },
  sample: {
    summary: 'write a grid of samples (or an interpolation) from an exported, checkpointed or pretrained generator',
    run: (argv) => runSampleCli(argv),
  },
  quality: {
    summary: 'score a generator offline (Fréchet distance on classifier features, confidence, diversity) beside its untrained self',
    run: (argv) => runQualityCli(argv),
  },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`);
  return [
    'Usage: gankit <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    `Backend: set GANKIT_BACKEND (or --backend) to one of ${BACKEND_NAMES.join(', ')}.`,
  ].join('\n');
}

/** Run the CLI with the given arguments (without node and script); resolves to an exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`gankit: unknown command ${JSON.stringify(name)}; expected one of ${Object.keys(commands).join(', ')}\n\n${usage()}\n`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof GankitError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`gankit ${name}: ${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (invokedDirectly) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
