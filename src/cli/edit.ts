/**
 * `gankit edit IN OUT [edits...] [--quality N] [--format png|jpeg|webp]`: edit one image or every
 * image of a folder, applying the edits in the order given on the command line. Each edit flag
 * names an op of the edit table (src/edit/ops.ts) and takes comma-separated arguments and
 * key=value options, for example
 *
 *   gankit edit cat.jpg out.png --crop 10,20,200,300 --rotate 30,expand,interpolation=bilinear --hflip
 *   gankit edit photos/ small/ --resize 256 --center-crop 224 --format webp --quality 85
 */
import { readdir, mkdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { initBackend } from '../backend/select.js';
import { GankitError, invalidParameterError } from '../util/errors.js';
import * as v from '../util/validate.js';
import { openImage } from '../edit/image.js';
import { makeOp, type OpName } from '../edit/ops.js';
import type { EditOp } from '../edit/core.js';
import { parseFormat, type ImageFormat } from '../image/validate.js';
import { intFlag, parseFlags } from './flags.js';

type Args = { positional: string[]; options: Record<string, string> };
/** An edit flag: its help, its option keys, and how its value becomes an op of the table (undefined: a flag without value). */
interface EditFlag { help: string; keys?: string[]; op: OpName; args?: (flag: string, a: Args) => unknown[] }

const number = (flag: string, s: string | undefined): number => {
  const n = s === undefined || s.trim() === '' ? NaN : Number(s);
  if (!Number.isFinite(n)) throw invalidParameterError(`--${flag}`, 'number', s ?? '');
  return n;
};
const numbers = (flag: string, s: string, sep = ':') => s.split(sep).map((x) => number(flag, x));
const boolOption = (flag: string, key: string, s: string) => {
  if (s === '' || s === 'true') return true;
  if (s === 'false') return false;
  throw invalidParameterError(`--${flag} ${key}`, 'true or false', s);
};
/** A fill: one number, or r:g:b(:a). */
const fill = (flag: string, s: string) => (s.includes(':') ? numbers(flag, s) : number(flag, s));

/** Split "a,b,key=value,flag" into positional arguments and options (a bare word is an option when it is one of `keys`). */
function split(value: string, keys: readonly string[]): Args {
  const positional: string[] = [];
  const options: Record<string, string> = {};
  for (const part of value.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const eq = part.indexOf('=');
    if (eq > 0) options[part.slice(0, eq)] = part.slice(eq + 1);
    else if (keys.includes(part)) options[part] = '';
    else positional.push(part);
  }
  return { positional, options };
}

/** Check the option keys and the number of positional values of an edit flag. */
function shape(flag: string, { positional, options }: Args, counts: number[]): void {
  const keys = EDITS[flag]?.keys ?? [];
  for (const key of Object.keys(options)) if (!keys.includes(key)) throw v.unknownKey(`--${flag} option`, key, keys);
  if (counts.includes(positional.length)) return;
  const values = `${counts.join(' or ')} comma-separated value${counts.length === 1 && counts[0] === 1 ? '' : 's'}`;
  throw invalidParameterError(`--${flag}`, keys.length ? `${values}, then options among ${keys.join(', ')}` : values, positional.join(','));
}

/** Options of an edit flag as the op's options object: each present key through its parser. */
function optionsOf(flag: string, o: Record<string, string>, parsers: Record<string, [string, (flag: string, key: string, s: string) => unknown]>) {
  const out: Record<string, unknown> = {};
  for (const [key, [name, parse]] of Object.entries(parsers)) if (o[key] !== undefined) out[name] = parse(flag, key, o[key]);
  return out;
}
const num = (f: string, _k: string, s: string) => number(f, s);
const nums = (f: string, _k: string, s: string) => numbers(f, s);
const text = (_f: string, _k: string, s: string) => s;
const fillOpt = (f: string, _k: string, s: string) => fill(f, s);

/** One positional number: the op's single factor. */
const single = (f: string, a: Args) => {
  shape(f, a, [1]);
  return [number(f, a.positional[0])];
};
/** One number, or a list of numbers (size, padding). */
const sizeLike = (f: string, p: string[]) => (p.length === 1 ? number(f, p[0]) : p.map((x) => number(f, x)));

/** Each edit flag of the CLI and the table op it builds. */
const EDITS: Record<string, EditFlag> = {
  crop: {
    op: 'crop', keys: ['pad-outside'], help: 'top,left,height,width[,pad-outside]',
    args: (f, a) => {
      shape(f, a, [4]);
      return [...a.positional.map((x) => number(f, x)), optionsOf(f, a.options, { 'pad-outside': ['padOutside', boolOption] })];
    },
  },
  'center-crop': {
    op: 'centerCrop', help: 'size | height,width',
    args: (f, a) => (shape(f, a, [1, 2]), [a.positional.map((x) => number(f, x))]),
  },
  resize: {
    op: 'resize', keys: ['interpolation', 'antialias', 'max-size'], help: 'size | height,width[,interpolation=nearest|nearest-exact|bilinear|bicubic][,antialias=false][,max-size=N]',
    args: (f, a) => {
      shape(f, a, [1, 2]);
      return [sizeLike(f, a.positional), optionsOf(f, a.options, { interpolation: ['interpolation', text], antialias: ['antialias', boolOption], 'max-size': ['maxSize', num] })];
    },
  },
  pad: {
    op: 'pad', keys: ['mode', 'fill'], help: 'n | left-right,top-bottom | left,top,right,bottom (negative crops)[,mode=constant|edge|reflect|symmetric][,fill=v|r:g:b]',
    args: (f, a) => (shape(f, a, [1, 2, 4]), [sizeLike(f, a.positional), optionsOf(f, a.options, { mode: ['mode', text], fill: ['fill', fillOpt] })]),
  },
  rotate: {
    op: 'rotate', keys: ['expand', 'interpolation', 'center', 'fill'], help: 'degrees (counter-clockwise)[,expand][,interpolation=bilinear][,center=x:y][,fill=v|r:g:b]',
    args: (f, a) => {
      shape(f, a, [1]);
      const options = optionsOf(f, a.options, { interpolation: ['interpolation', text], expand: ['expand', boolOption], center: ['center', nums], fill: ['fill', fillOpt] });
      return [number(f, a.positional[0]), options];
    },
  },
  affine: {
    op: 'affine', keys: ['angle', 'translate', 'scale', 'shear', 'interpolation', 'center', 'fill'],
    help: 'angle=deg,translate=x:y,scale=s,shear=sx[:sy][,interpolation=bilinear][,center=x:y][,fill=v|r:g:b]',
    args: (f, a) => {
      shape(f, a, [0]);
      return [optionsOf(f, a.options, {
        interpolation: ['interpolation', text], angle: ['angle', num], translate: ['translate', nums], scale: ['scale', num],
        shear: ['shear', nums], center: ['center', nums], fill: ['fill', fillOpt],
      })];
    },
  },
  perspective: {
    op: 'perspective', keys: ['interpolation', 'fill'], help: 'x:y,x:y,x:y,x:y>x:y,x:y,x:y,x:y (start corners > end corners: TL, TR, BR, BL)[,interpolation=nearest][,fill=v|r:g:b]',
    args: (f, a) => {
      const joined = a.positional.join(',');
      const [from, to] = joined.split('>');
      if (from === undefined || to === undefined) throw invalidParameterError(`--${f}`, 'four start corners > four end corners, e.g. 0:0,9:0,9:9,0:9>1:1,8:0,9:9,0:8', joined);
      shape(f, { positional: [], options: a.options }, [0]);
      const points = (s: string) => s.split(',').map((pt) => numbers(f, pt));
      return [points(from), points(to), optionsOf(f, a.options, { interpolation: ['interpolation', text], fill: ['fill', fillOpt] })];
    },
  },
  hflip: { op: 'hflip', help: 'mirror left-right' },
  vflip: { op: 'vflip', help: 'mirror top-bottom' },
  brightness: { op: 'adjustBrightness', help: 'factor >= 0', args: single },
  contrast: { op: 'adjustContrast', help: 'factor >= 0', args: single },
  saturation: { op: 'adjustSaturation', help: 'factor >= 0', args: single },
  hue: { op: 'adjustHue', help: 'shift in [-0.5, 0.5] turns', args: single },
  gamma: { op: 'adjustGamma', help: 'gamma[,gain]', args: (f, a) => (shape(f, a, [1, 2]), a.positional.map((x) => number(f, x))) },
  sharpness: { op: 'adjustSharpness', help: 'factor >= 0 (0 blurs, 2 sharpens)', args: single },
  grayscale: { op: 'rgbToGrayscale', help: 'to one grey channel' },
  invert: { op: 'invert', help: 'invert colours' },
  posterize: { op: 'posterize', help: 'bits 0..8', args: single },
  solarize: { op: 'solarize', help: 'threshold 0..255', args: single },
  autocontrast: { op: 'autocontrast', help: 'stretch each channel' },
  equalize: { op: 'equalize', help: 'equalize histograms' },
  blur: { op: 'gaussianBlur', help: 'kernel[,sigma] (odd kernel size in pixels)', args: (f, a) => (shape(f, a, [1, 2]), a.positional.map((x) => number(f, x))) },
  erase: {
    op: 'erase', keys: ['value'], help: 'top,left,height,width[,value=v|r:g:b] (default value 0)',
    args: (f, a) => (shape(f, a, [4]), [...a.positional.map((x) => number(f, x)), a.options.value === undefined ? 0 : fill(f, a.options.value)]),
  },
  elastic: {
    op: 'elasticTransform', keys: ['alpha', 'sigma', 'seed', 'interpolation', 'fill'], help: 'seed=S[,alpha=50|x:y][,sigma=5|x:y][,interpolation=nearest][,fill=v|r:g:b]',
    args: (f, a) => {
      shape(f, a, [0]);
      const pairOrNumber = (fl: string, _k: string, s: string) => (s.includes(':') ? numbers(fl, s) : number(fl, s));
      return [optionsOf(f, a.options, {
        alpha: ['alpha', pairOrNumber], sigma: ['sigma', pairOrNumber], seed: ['seed', text], interpolation: ['interpolation', text], fill: ['fill', fillOpt],
      })];
    },
  },
};

const READABLE = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff']);

/** The usage text of `gankit edit`. */
export function editUsage(): string {
  const flags = Object.entries(EDITS).map(([name, e]) => `  --${name}${e.args ? ` ${e.help}` : `    ${e.help}`}`);
  return [
    'Usage: gankit edit IN OUT [edits...] [--format png|jpeg|webp] [--quality 1..100]',
    '',
    'IN is an image file or a folder of images; OUT is a file, or a folder (created when missing).',
    'The output format follows OUT\'s extension; --format must agree with it (it names the extension for a folder).',
    'Edits run in the order given (torchvision semantics; angles in degrees, counter-clockwise):',
    ...flags,
    '',
    'Example: gankit edit cat.jpg out.png --crop 10,20,200,300 --rotate 30,expand,interpolation=bilinear --hflip',
  ].join('\n');
}

interface Plan {
  input: string;
  output: string;
  edits: EditOp[];
  format?: ImageFormat;
  quality?: number;
}

/** The flags for the shared parser: every edit flag (string or boolean), --format, --quality, --help. */
const FLAGS = {
  ...Object.fromEntries(Object.entries(EDITS).map(([name, e]) => [name, { type: e.args ? 'string' : 'boolean', multiple: true }])),
  format: { type: 'string' }, quality: { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const satisfies Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

/** `--flag -30` -> `--flag=-30` for value flags (node's parser would read a leading dash as a flag). */
function attachNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]!.startsWith('--') ? argv[i]!.slice(2) : undefined;
    const next = argv[i + 1];
    if (name && FLAGS[name as keyof typeof FLAGS]?.type === 'string' && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`--${name}=${next}`);
      i++;
    } else {
      out.push(argv[i]!);
    }
  }
  return out;
}

function parse(argv: string[]): Plan | 'help' {
  const { values, positionals, tokens } = parseFlags(attachNegativeValues(argv), FLAGS, 'edit');
  if (values.help) return 'help';
  const edits: EditOp[] = [];
  for (const t of tokens) {
    if (t.kind !== 'option' || !(t.name in EDITS)) continue;
    const spec = EDITS[t.name]!;
    if (spec.args && (t.value === undefined || t.value === '')) throw invalidParameterError(`--${t.name}`, spec.help, t.value ?? '');
    // Each op validates its parameters here, before any file is read.
    edits.push(makeOp(spec.op, (spec.args ? spec.args(t.name, split(t.value!, spec.keys ?? [])) : []) as never));
  }
  const format = values.format === undefined ? undefined : parseFormat(values.format, 'png', '--format');
  const quality = intFlag('quality', values.quality, 1, 100);
  if (positionals.length !== 2) {
    throw new GankitError(`Expected IN and OUT but received ${positionals.length} path${positionals.length === 1 ? '' : 's'} (${positionals.join(' ') || 'none'}); see gankit edit --help`);
  }
  return { input: positionals[0]!, output: positionals[1]!, edits, format, quality };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** The output file name for an input file name: same name, or the extension of `format` (PNG for GIF / TIFF inputs). */
function outputName(file: string, format: ImageFormat | undefined): string {
  const ext = extname(file);
  const stem = basename(file, ext);
  if (format) return `${stem}${format === 'jpeg' ? '.jpg' : `.${format}`}`;
  return ['.png', '.jpg', '.jpeg', '.webp'].includes(ext.toLowerCase()) ? file : `${stem}.png`;
}

/** One line for any failure: gankit's message, or the error's name and first line. */
function oneLine(e: unknown): string {
  if (e instanceof GankitError) return e.message.split('\n')[0]!;
  return e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : String(e);
}

/** Where the CLI writes; tests pass their own. */
export interface EditCliIO {
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
}

/** Run `gankit edit` with the arguments after "edit"; resolves to an exit code (0 ok, 1 some files failed, 2 usage). */
export async function runEditCli(argv: string[], io: EditCliIO = {}): Promise<number> {
  const stdout = io.stdout ?? ((t: string) => void process.stdout.write(t));
  const stderr = io.stderr ?? ((t: string) => void process.stderr.write(t));
  let plan: Plan | 'help';
  try {
    plan = parse(argv);
  } catch (e) {
    stderr(`gankit edit: ${oneLine(e)}\n`);
    return 2;
  }
  if (plan === 'help') {
    stdout(editUsage() + '\n');
    return 0;
  }
  await initBackend();
  const jobs: [string, string][] = [];
  try {
    if (await isDirectory(plan.input)) {
      const files = (await readdir(plan.input)).filter((f) => READABLE.has(extname(f).toLowerCase())).sort();
      if (files.length === 0) {
        stderr(`gankit edit: no images (.png, .jpg, .jpeg, .webp, .gif, .tif) in folder ${plan.input}\n`);
        return 2;
      }
      await mkdir(plan.output, { recursive: true });
      for (const f of files) jobs.push([join(plan.input, f), join(plan.output, outputName(f, plan.format))]);
    } else if (await isDirectory(plan.output)) {
      jobs.push([plan.input, join(plan.output, outputName(basename(plan.input), plan.format))]);
    } else {
      jobs.push([plan.input, plan.output]);
    }
  } catch (e) {
    stderr(`gankit edit: ${oneLine(e)}\n`);
    return 1;
  }
  let failed = 0;
  for (const [from, to] of jobs) {
    try {
      const image = plan.edits.reduce((img, op) => img.then(op), openImage(from));
      // The format follows the extension; an explicit --format must agree with it.
      await image.toFile(to, { ...(plan.format && { format: plan.format }), ...(plan.quality !== undefined && { quality: plan.quality }) });
      const { width, height } = await image.size();
      stdout(`${from} -> ${to} (${width}x${height})\n`);
    } catch (e) {
      failed++;
      stderr(`gankit edit: ${from}: ${oneLine(e)}\n`);
    }
  }
  return failed ? 1 : 0;
}
