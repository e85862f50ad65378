/**
 * `gankit edit IN OUT [edits...] [--quality N] [--format png|jpeg|webp]`: edit one image or every
 * image of a folder, applying the edits in the order given on the command line. Each edit is a
 * flag with comma-separated arguments and key=value options, for example
 *
 *   gankit edit cat.jpg out.png --crop 10,20,200,300 --rotate 30,expand,interpolation=bilinear --hflip
 *   gankit edit photos/ small/ --resize 256 --center-crop 224 --format webp --quality 85
 */
import { readdir, mkdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { initBackend } from '../backend/select.js';
import { GankitError, invalidParameterError } from '../util/errors.js';
import { writeError, writeFileAtomic } from '../util/files.js';
import { EditImage, openImage, formatOfPath } from './image.js';
import type { EditImageFormat } from './raw.js';

type Args = { positional: string[]; options: Record<string, string> };
type Edit = { flag: string; apply: (img: EditImage) => EditImage };

const number = (flag: string, s: string | undefined): number => {
  const n = s === undefined || s.trim() === '' ? NaN : Number(s);
  if (!Number.isFinite(n)) throw invalidParameterError(`--${flag}`, 'a number', s ?? '');
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

function checkKeys(flag: string, options: Record<string, string>, known: string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw invalidParameterError(`--${flag} option`, known.length ? `one of ${known.join(', ')}` : 'no options', key);
  }
}

function arity(flag: string, args: string[], counts: number[]): void {
  if (counts.includes(args.length)) return;
  const keys = EDITS[flag]?.keys ?? [];
  const values = `${counts.join(' or ')} comma-separated value${counts.length === 1 && counts[0] === 1 ? '' : 's'}`;
  throw invalidParameterError(`--${flag}`, keys.length ? `${values}, then options among ${keys.join(', ')}` : values, args.join(','));
}

/** The interpolation option shared by resize and the warps. */
function interpolation(o: Record<string, string>): Record<string, string> {
  return o.interpolation === undefined ? {} : { interpolation: o.interpolation };
}

/** Each edit flag: how many values it takes (0 = none) and how it builds the edit. */
const EDITS: Record<string, { value: boolean; help: string; keys?: string[]; build: (flag: string, a: Args) => (img: EditImage) => EditImage }> = {
  crop: {
    value: true, keys: ['pad-outside'], help: 'top,left,height,width[,pad-outside]',
    build: (f, { positional: p, options: o }) => {
      arity(f, p, [4]);
      checkKeys(f, o, ['pad-outside']);
      const [t, l, h, w] = p.map((x) => number(f, x)) as [number, number, number, number];
      const padOutside = o['pad-outside'] !== undefined && boolOption(f, 'pad-outside', o['pad-outside']);
      return (img) => img.crop(t, l, h, w, { padOutside });
    },
  },
  'center-crop': {
    value: true, help: 'size | height,width',
    build: (f, { positional: p, options: o }) => {
      arity(f, p, [1, 2]);
      checkKeys(f, o, []);
      const size = p.map((x) => number(f, x));
      return (img) => img.centerCrop(size);
    },
  },
  resize: {
    value: true, keys: ['interpolation', 'antialias', 'max-size'], help: 'size | height,width[,interpolation=nearest|bilinear|bicubic][,antialias=false][,max-size=N]',
    build: (f, { positional: p, options: o }) => {
      arity(f, p, [1, 2]);
      checkKeys(f, o, ['interpolation', 'antialias', 'max-size']);
      const size = p.length === 1 ? number(f, p[0]) : p.map((x) => number(f, x));
      const options = {
        ...interpolation(o),
        ...(o.antialias !== undefined && { antialias: boolOption(f, 'antialias', o.antialias) }),
        ...(o['max-size'] !== undefined && { maxSize: number(f, o['max-size']) }),
      };
      return (img) => img.resize(size, options as never);
    },
  },
  pad: {
    value: true, keys: ['mode', 'fill'], help: 'n | left-right,top-bottom | left,top,right,bottom[,mode=constant|edge|reflect|symmetric][,fill=v|r:g:b]',
    build: (f, { positional: p, options: o }) => {
      arity(f, p, [1, 2, 4]);
      checkKeys(f, o, ['mode', 'fill']);
      const padding = p.length === 1 ? number(f, p[0]) : p.map((x) => number(f, x));
      const options = { ...(o.mode !== undefined && { mode: o.mode }), ...(o.fill !== undefined && { fill: fill(f, o.fill) }) };
      return (img) => img.pad(padding, options as never);
    },
  },
  rotate: {
    value: true, keys: ['expand', 'interpolation', 'center', 'fill'], help: 'degrees (counter-clockwise)[,expand][,interpolation=bilinear][,center=x:y][,fill=v|r:g:b]',
    build: (f, { positional: p, options: o }) => {
      arity(f, p, [1]);
      checkKeys(f, o, ['expand', 'interpolation', 'center', 'fill']);
      const options = {
        ...interpolation(o),
        ...(o.expand !== undefined && { expand: boolOption(f, 'expand', o.expand) }),
        ...(o.center !== undefined && { center: numbers(f, o.center) }),
        ...(o.fill !== undefined && { fill: fill(f, o.fill) }),
      };
      const angle = number(f, p[0]);
      return (img) => img.rotate(angle, options as never);
    },
  },
  affine: {
    value: true, keys: ['angle', 'translate', 'scale', 'shear', 'interpolation', 'center', 'fill'], help: 'angle=deg,translate=x:y,scale=s,shear=sx[:sy][,interpolation=bilinear][,center=x:y][,fill=v|r:g:b]',
    build: (f, { positional: p, options: o }) => {
      arity(f, p, [0]);
      checkKeys(f, o, ['angle', 'translate', 'scale', 'shear', 'interpolation', 'center', 'fill']);
      const options = {
        ...interpolation(o),
        ...(o.angle !== undefined && { angle: number(f, o.angle) }),
        ...(o.translate !== undefined && { translate: numbers(f, o.translate) }),
        ...(o.scale !== undefined && { scale: number(f, o.scale) }),
        ...(o.shear !== undefined && { shear: numbers(f, o.shear) }),
        ...(o.center !== undefined && { center: numbers(f, o.center) }),
        ...(o.fill !== undefined && { fill: fill(f, o.fill) }),
      };
      return (img) => img.affine(options as never);
    },
  },
  perspective: {
    value: true, keys: ['interpolation', 'fill'], help: 'x:y,x:y,x:y,x:y>x:y,x:y,x:y,x:y (start corners > end corners: TL, TR, BR, BL)[,interpolation=nearest][,fill=v|r:g:b]',
    build: (f, a) => {
      const raw = [...a.positional];
      const joined = raw.join(',');
      const [from, to] = joined.split('>');
      if (from === undefined || to === undefined) throw invalidParameterError(`--${f}`, 'four start corners > four end corners, e.g. 0:0,9:0,9:9,0:9>1:1,8:0,9:9,0:8', joined);
      checkKeys(f, a.options, ['interpolation', 'fill']);
      const points = (s: string) => s.split(',').map((pt) => numbers(f, pt));
      const options = { ...interpolation(a.options), ...(a.options.fill !== undefined && { fill: fill(f, a.options.fill) }) };
      const start = points(from);
      const end = points(to);
      return (img) => img.perspective(start, end, options as never);
    },
  },
  hflip: { value: false, help: 'mirror left-right', build: () => (img) => img.hflip() },
  vflip: { value: false, help: 'mirror top-bottom', build: () => (img) => img.vflip() },
  brightness: { value: true, help: 'factor >= 0', build: (f, a) => single(f, a, (img, x) => img.adjustBrightness(x)) },
  contrast: { value: true, help: 'factor >= 0', build: (f, a) => single(f, a, (img, x) => img.adjustContrast(x)) },
  saturation: { value: true, help: 'factor >= 0', build: (f, a) => single(f, a, (img, x) => img.adjustSaturation(x)) },
  hue: { value: true, help: 'shift in [-0.5, 0.5] turns', build: (f, a) => single(f, a, (img, x) => img.adjustHue(x)) },
  gamma: {
    value: true, help: 'gamma[,gain]',
    build: (f, { positional: p, options: o }) => {
      arity(f, p, [1, 2]);
      checkKeys(f, o, []);
      const [g, gain] = [number(f, p[0]), p[1] === undefined ? 1 : number(f, p[1])];
      return (img) => img.adjustGamma(g, gain);
    },
  },
  sharpness: { value: true, help: 'factor >= 0 (0 blurs, 2 sharpens)', build: (f, a) => single(f, a, (img, x) => img.adjustSharpness(x)) },
  grayscale: { value: false, help: 'to one grey channel', build: () => (img) => img.rgbToGrayscale(1) },
  invert: { value: false, help: 'invert colours', build: () => (img) => img.invert() },
  posterize: { value: true, help: 'bits 0..8', build: (f, a) => single(f, a, (img, x) => img.posterize(x)) },
  solarize: { value: true, help: 'threshold 0..255', build: (f, a) => single(f, a, (img, x) => img.solarize(x)) },
  autocontrast: { value: false, help: 'stretch each channel', build: () => (img) => img.autocontrast() },
  equalize: { value: false, help: 'equalize histograms', build: () => (img) => img.equalize() },
  blur: {
    value: true, help: 'kernel[,sigma] (odd kernel size in pixels)',
    build: (f, { positional: p, options: o }) => {
      arity(f, p, [1, 2]);
      checkKeys(f, o, []);
      const k = number(f, p[0]);
      const sigma = p[1] === undefined ? undefined : number(f, p[1]);
      return (img) => img.gaussianBlur(k, sigma);
    },
  },
};

function single(flag: string, { positional: p, options: o }: Args, fn: (img: EditImage, x: number) => EditImage) {
  arity(flag, p, [1]);
  checkKeys(flag, o, []);
  const x = number(flag, p[0]);
  return (img: EditImage) => fn(img, x);
}

const READABLE = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff']);

/** The usage text of `gankit edit`. */
export function editUsage(): string {
  const flags = Object.entries(EDITS).map(([name, e]) => `  --${name}${e.value ? ` ${e.help}` : `    ${e.help}`}`);
  return [
    'Usage: gankit edit IN OUT [edits...] [--format png|jpeg|webp] [--quality 1..100]',
    '',
    'IN is an image file or a folder of images; OUT is a file, or a folder (created when missing).',
    'Edits run in the order given (torchvision semantics; angles in degrees, counter-clockwise):',
    ...flags,
    '',
    'Example: gankit edit cat.jpg out.png --crop 10,20,200,300 --rotate 30,expand,interpolation=bilinear --hflip',
  ].join('\n');
}

interface Plan {
  input: string;
  output: string;
  edits: Edit[];
  format?: EditImageFormat;
  quality?: number;
}

function parse(argv: string[]): Plan | 'help' {
  const positional: string[] = [];
  const edits: Edit[] = [];
  let format: EditImageFormat | undefined;
  let quality: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (name === 'format' || name === 'quality') {
      const value = inline ?? argv[++i];
      if (value === undefined) throw invalidParameterError(`--${name}`, 'a value', '');
      if (name === 'format') {
        const f = value === 'jpg' ? 'jpeg' : value;
        if (f !== 'png' && f !== 'jpeg' && f !== 'webp') throw invalidParameterError('--format', "one of 'png', 'jpeg', 'webp'", value);
        format = f;
      } else {
        quality = number('quality', value);
        if (!Number.isInteger(quality) || quality < 1 || quality > 100) throw invalidParameterError('--quality', 'integer in [1, 100]', value);
      }
      continue;
    }
    const spec = EDITS[name];
    if (!spec) throw new GankitError(`Unknown option --${name}; expected one of --${Object.keys(EDITS).join(', --')}, --format, --quality (see gankit edit --help)`);
    let value = '';
    if (spec.value) {
      value = inline ?? argv[++i] ?? '';
      if (value === '') throw invalidParameterError(`--${name}`, spec.help, '');
    } else if (inline !== undefined) {
      throw invalidParameterError(`--${name}`, 'no value', inline);
    }
    edits.push({ flag: name, apply: spec.build(name, split(value, spec.keys ?? [])) });
  }
  // Validate every edit's parameters now, before any file is read (edits are lazy, so a 1x1 image will do).
  edits.reduce((img, e) => e.apply(img), openImage({ data: new Uint8Array(3), width: 1, height: 1, channels: 3 }));
  if (positional.length !== 2) {
    throw new GankitError(`Expected IN and OUT but received ${positional.length} path${positional.length === 1 ? '' : 's'} (${positional.join(' ') || 'none'}); see gankit edit --help`);
  }
  return { input: positional[0]!, output: positional[1]!, edits, format, quality };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** The output file name for an input file name: same name, or the extension of `format` (PNG for GIF / TIFF inputs). */
function outputName(file: string, format: EditImageFormat | undefined): string {
  const ext = extname(file);
  const stem = basename(file, ext);
  if (format) return `${stem}${format === 'jpeg' ? '.jpg' : `.${format}`}`;
  return ['.png', '.jpg', '.jpeg', '.webp'].includes(ext.toLowerCase()) ? file : `${stem}.png`;
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
    if (e instanceof GankitError) {
      stderr(`gankit edit: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (plan === 'help') {
    stdout(editUsage() + '\n');
    return 0;
  }
  await initBackend();
  const jobs: [string, string][] = [];
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
    // The format follows OUT's extension; --format may name it again, or pick one for another extension.
    const ext = /\.(png|jpe?g|webp)$/i.exec(plan.output)?.[0];
    if (plan.format && ext && formatOfPath(plan.output) !== plan.format) {
      stderr(`gankit edit: ${invalidParameterError('--format', `'${formatOfPath(plan.output)}' or no --format for an output ending in ${ext}`, plan.format).message}\n`);
      return 2;
    }
    jobs.push([plan.input, plan.output]);
  }
  let failed = 0;
  for (const [from, to] of jobs) {
    try {
      const image = plan.edits.reduce((img, e) => e.apply(img), openImage(from));
      const format = plan.format ?? formatOfPath(to);
      const bytes = await image.toBuffer({ format, ...(plan.quality !== undefined && { quality: plan.quality }) });
      await writeFileAtomic(to, bytes).catch((e: unknown) => { throw writeError(to, e); });
      const { width, height } = await image.size();
      stdout(`${from} -> ${to} (${width}x${height})\n`);
    } catch (e) {
      if (!(e instanceof GankitError)) throw e;
      failed++;
      stderr(`gankit edit: ${from}: ${e.message}\n`);
    }
  }
  return failed ? 1 : 0;
}
