#!/usr/bin/env node
/** The `gankit` command line: `gankit <command> [options]`. */
import { parseArgs } from 'node:util';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { initBackend, BACKEND_NAMES } from '../backend/select.js';
import { addonStatus } from '../edit/addon.js';
import { GankitError, describe } from '../util/errors.js';
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
    `Errors are one line; set ${DEBUG_ENV}=1 for the stack trace.`,
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
    return reportFailure(`gankit ${name}`, e);
  }
}

/** Environment variable that adds the full stack trace to the CLI's one-line error messages. */
export const DEBUG_ENV = 'GANKIT_DEBUG';

/** Longest error message the CLI prints, in characters. */
const MESSAGE_MAX_CHARS = 1000;

/**
 * Print any thrown value as one line on stderr ("<prefix>: <message>"; the stack too when
 * GANKIT_DEBUG=1) and return the exit code: 2 for bad input (a GankitError, a flag that does not
 * parse), 1 for anything else.
 */
export function reportFailure(prefix: string, error: unknown): number {
  const badInput = error instanceof GankitError || String((error as { code?: unknown } | null)?.code ?? '').startsWith('ERR_PARSE_ARGS');
  let message: string;
  try {
    message = error instanceof Error ? `${badInput ? '' : `${error.name}: `}${error.message}` : `a thrown ${describe(error)}`;
  } catch {
    message = 'an error whose message cannot be read';
  }
  message = message.replace(/\s*\n\s*/g, ' ').trim();
  if (message.length > MESSAGE_MAX_CHARS) message = `${message.slice(0, MESSAGE_MAX_CHARS - 3)}...`;
  const debug = process.env[DEBUG_ENV] === '1';
  const hint = !badInput && !debug ? ` (set ${DEBUG_ENV}=1 for the stack trace)` : '';
  process.stderr.write(`${prefix}: ${message}${hint}\n`);
  if (debug) process.stderr.write(`${error instanceof Error ? error.stack : describe(error)}\n`);
  return badInput ? 2 : 1;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (invokedDirectly) {
  // Failures outside a command's promise (a stream's error event, a stray rejection) get one line too.
  const fatal = (e: unknown) => process.exit(reportFailure('gankit', e));
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  main(process.argv.slice(2)).then((code) => process.exit(code), fatal);
}
