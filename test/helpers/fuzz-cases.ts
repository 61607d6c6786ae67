/**
 * Seeded fuzz cases for the edge of deep-prior, and the contract each must meet: the CLI (main()
 * in process) gets fuzzed files (test/helpers/fuzz-files.ts) with random option sets — valid, out
 * of range, conflicting, for the wrong task — and the library gets random option objects and image
 * values. Every case must end in a valid result or a clean one-line error (exit code 2 for the
 * CLI; an InputError for the library), in bounded time, leaving no file behind when it fails.
 * Case i of seed s is always the same case.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import type { Image } from '../../src/image/image.js';
import { encodeImage, readImage } from '../../src/image/io-node.js';
import { restore } from '../../src/node.js';
import type { RestoreOptions } from '../../src/options/index.js';
import { isDeepPriorError } from '../../src/util/errors.js';
import { Rng } from '../../src/util/random.js';
import { capture, fakeRestore } from './cli.js';
import { intIn, mutatedFile, pickOf, randomPixels } from './fuzz-files.js';

export type Outcome = 'ok' | 'rejected' | 'failure';

export interface CaseResult {
  index: number;
  target: 'cli' | 'library';
  /** What the input was ('png-16 12×30×4, cut at 80 of 412 bytes', ...). */
  input: string;
  args: string;
  outcome: Outcome;
  exitCode: number | null;
  /** The error line (rejected), or why the case broke the contract (failure). */
  message: string;
  ms: number;
}

const TASKS = ['denoise', 'inpaint', 'super-resolve', 'deblock', 'impulse', 'reconstruct', 'flash', 'enhance'];

/** flag → [valid values, invalid values]; '' = a switch. */
const FLAGS: Record<string, [string[], string[]]> = {
  '--iterations': [
    ['1', '2', '3'],
    ['0', '-1', '1.5', '1e7', 'abc', ''],
  ],
  '--stop': [['auto', 'fixed', 'watch'], ['sometimes']],
  '--stop-rule': [['discrepancy', 'wmv', 'ratio'], ['never']],
  '--arch': [['decoder', 'skip', 'unet', 'resnet'], ['resnet50']],
  '--channels': [
    ['1', '2'],
    ['0', '2000', 'x'],
  ],
  '--lr': [
    ['0.01', '1/30'],
    ['0', '2', '-0.1', 'nan'],
  ],
  '--reg-noise': [
    ['0', '1/30'],
    ['-1', '5'],
  ],
  '--tv': [['0', '0.1'], ['-1']],
  '--smoothing': [
    ['0', '0.9'],
    ['1', '1.5'],
  ],
  '--lipschitz': [['0', '1.4'], ['-2']],
  '--upsample': [['nearest', 'bilinear', 'gaussian'], ['cubic']],
  '--seed': [
    ['0', '7'],
    ['-1', '4294967296', '1.5'],
  ],
  '--backend': [['cpu', 'auto'], ['tpu']],
  '--threads': [
    ['1', '2'],
    ['0', 'x'],
  ],
  '--preset': [['fast', 'paper', 'controlled'], ['slow']],
  '--scale': [['2', '4'], ['3']],
  '--mask-color': [
    ['#ffffff', 'red', '0,0,0'],
    ['#12', 'purple-ish'],
  ],
  '--mask-tolerance': [['0', '8'], ['300']],
  '--impulse-loss': [['mask', 'l1'], ['l2']],
  '--mask-invert': [[''], ['']],
  '--reference-border': [['0', '2'], ['-1']],
  '--bit-depth': [['8', '16'], ['12']],
  '--quality': [['90'], ['0', '101']],
  '--strip-metadata': [[''], ['']],
  '--json': [[''], ['']],
  '--quiet': [[''], ['']],
};
const IMAGE_FLAGS = ['--mask', '--guide', '--reference'];
const EXTENSIONS = ['.png', '.png', '.jpg', '.webp', '.tif', '', '.gif', '.txt'];

interface CliCase {
  files: Record<string, Buffer>;
  args: string[];
  input: string;
  output: string;
  real: boolean;
}

/** Task-specific flags with valid values, and what each task requires. */
const TASK_FLAGS: Record<string, string[][]> = {
  inpaint: [['--mask-invert'], ['--mask-tolerance', '4']],
  reconstruct: [['--mask-invert']],
  'super-resolve': [],
  impulse: [
    ['--impulse-loss', 'l1'],
    ['--impulse-loss', 'mask'],
  ],
};
const GENERIC = [
  '--iterations',
  '--stop',
  '--arch',
  '--channels',
  '--lr',
  '--reg-noise',
  '--tv',
  '--smoothing',
  '--seed',
  '--threads',
  '--preset',
  '--bit-depth',
  '--json',
  '--quiet',
  '--strip-metadata',
];

/** Half the cases are coherent (a valid file, the task's own options, valid values); the rest anything goes. */
async function cliCase(rng: Rng, dir: string, realShare: number): Promise<CliCase> {
  const coherent = rng.uniform() < 0.5;
  const file = await mutatedFile(rng, coherent);
  const task = coherent || rng.uniform() < 0.95 ? pickOf(rng, TASKS) : 'repaint';
  const output = path.join(dir, 'out', `result${pickOf(rng, coherent ? EXTENSIONS.slice(0, 5) : EXTENSIONS)}`);
  const files: Record<string, Buffer> = { 'in.img': file.bytes };
  const args = [task, path.join(dir, 'in.img'), '-o', output];
  for (let i = intIn(rng, 0, coherent ? 3 : 5); i > 0; i--) {
    const flag = pickOf(rng, coherent ? GENERIC : Object.keys(FLAGS));
    const [valid, invalid] = FLAGS[flag];
    const value = pickOf(rng, coherent || rng.uniform() < 0.75 ? valid : invalid);
    args.push(flag, ...(value === '' ? [] : [value]));
  }
  if (coherent) args.push(...coherentTaskFlags(rng, task));
  for (const flag of IMAGE_FLAGS) {
    const needed =
      (flag === '--mask' && (task === 'reconstruct' || (task === 'inpaint' && !args.includes('--mask-color')))) || (flag === '--guide' && task === 'flash');
    if (coherent ? !needed && (flag !== '--reference' || rng.uniform() > 0.2) : rng.uniform() > (needed ? 0.7 : 0.1)) continue;
    const name = `${flag.slice(2)}.png`;
    const scale = flag === '--reference' && task === 'super-resolve' ? Number(args[args.indexOf('--scale') + 1]) || 2 : 1;
    const c = flag === '--mask' ? 1 : 3;
    files[name] =
      coherent || rng.uniform() < 0.6
        ? await encodeImage(randomPixels(rng, file.width * scale, file.height * scale, c), 'png')
        : (await mutatedFile(rng)).bytes;
    args.push(flag, path.join(dir, name));
  }
  return { files, args, input: file.input, output, real: rng.uniform() < realShare };
}

function coherentTaskFlags(rng: Rng, task: string): string[] {
  const out: string[] = [];
  if (task === 'super-resolve') out.push('--scale', pickOf(rng, ['2', '4']));
  if (task === 'inpaint' && rng.uniform() < 0.3) out.push('--mask-color', pickOf(rng, ['#ffffff', 'black']));
  const extra = TASK_FLAGS[task] ?? [];
  if (extra.length > 0 && rng.uniform() < 0.5) {
    const f = pickOf(rng, extra);
    if (f[0] !== '--mask-tolerance' || out.includes('--mask-color')) out.push(...f);
  }
  return out;
}

/** The real restore, made tiny whatever the options: at most 2 iterations, 2 channels. */
const tinyRestore = (o: RestoreOptions, hooks?: Parameters<typeof restore>[1]) =>
  restore({ ...o, iterations: Math.min(o.iterations ?? 2, 2), channels: Math.min(o.channels ?? 2, 2) }, hooks);

function timeout<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), ms)))]).finally(() => clearTimeout(timer));
}

async function listAll(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? e.path, e.name));
}

/** One CLI case in `dir` (emptied first). */
export async function runCliCase(index: number, seed: number, dir: string, realShare: number, limitMs: number): Promise<CaseResult> {
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  const rng = new Rng(seed * 1_000_003 + index);
  const c = await cliCase(rng, dir, realShare);
  for (const [name, bytes] of Object.entries(c.files)) await fs.writeFile(path.join(dir, name), bytes);
  const stdout = capture();
  const stderr = capture();
  const t0 = performance.now();
  const restoreFn = c.real ? tinyRestore : fakeRestore();
  const code = await timeout(
    main(c.args, { stdout, stderr, restore: restoreFn, onInterrupt: () => () => {} }).catch((e: unknown) => `threw ${String(e)}`),
    limitMs,
  );
  const base = { index, target: 'cli' as const, input: c.input, args: c.args.join(' ').replaceAll(dir, '.'), ms: performance.now() - t0 };
  const judged = await judgeCli(code, stderr.text.replaceAll(dir, '.'), c, dir);
  return { ...base, ...judged };
}

async function judgeCli(code: number | string, err: string, c: CliCase, dir: string): Promise<Pick<CaseResult, 'outcome' | 'exitCode' | 'message'>> {
  const written = (await listAll(path.join(dir, 'out'))).map((f) => path.relative(dir, f));
  if (typeof code === 'string') return { outcome: 'failure', exitCode: null, message: code === 'timeout' ? 'no answer within the time limit (hang)' : code };
  if (code === 2) {
    const clean = /^deep-prior: [^\n]+\n$/.test(err) && !/internal error|\n\s+at /.test(err);
    if (!clean) return { outcome: 'failure', exitCode: 2, message: `not one clean line: ${JSON.stringify(err.slice(0, 300))}` };
    if (written.length > 0) return { outcome: 'failure', exitCode: 2, message: `left files behind: ${written.join(', ')}` };
    return { outcome: 'rejected', exitCode: 2, message: err.slice('deep-prior: '.length).trim() };
  }
  if (code !== 0) return { outcome: 'failure', exitCode: code, message: err.trim().split('\n')[0] ?? '' };
  const extra = written.filter((f) => f !== path.relative(dir, c.output));
  if (extra.length > 0) return { outcome: 'failure', exitCode: 0, message: `unexpected files: ${extra.join(', ')}` };
  try {
    const [inp, out] = [await readImage(c.args[1]), await readImage(c.output)];
    const scale = Number(c.args[c.args.indexOf('--scale') + 1]) || 1;
    const f = c.args[0] === 'super-resolve' ? scale : 1;
    if (out.image.width !== inp.image.width * f || out.image.height !== inp.image.height * f) {
      return {
        outcome: 'failure',
        exitCode: 0,
        message: `output is ${out.image.width}×${out.image.height} for a ${inp.image.width}×${inp.image.height} input`,
      };
    }
  } catch (e) {
    return { outcome: 'failure', exitCode: 0, message: `output unreadable: ${String(e)}` };
  }
  return { outcome: 'ok', exitCode: 0, message: '' };
}

/** A random JavaScript value where an option goes: right type or not. */
function wildValue(rng: Rng, valid: unknown[], wild: number): unknown {
  if (rng.uniform() >= wild) return pickOf(rng, valid);
  return pickOf(rng, [Number.NaN, Number.POSITIVE_INFINITY, -1, 0, 1e12, 1.5, '3', '', null, true, [], {}, 'auto', -0]);
}

const LIB_VALUES: Record<string, unknown[]> = {
  iterations: [1, 2, 3],
  stop: ['auto', 'fixed', 'watch'],
  arch: ['decoder'],
  channels: [1, 2],
  lr: [0.01],
  regNoise: [0, 1 / 30],
  tv: [0, 0.1],
  smoothing: [0, 0.9],
  seed: [0, 3],
  backend: ['cpu'],
  threads: [1],
  preset: ['fast', 'controlled'],
  scale: [2],
  maskColor: ['#000000', 'red'],
  maskTolerance: [0, 10],
  referenceBorder: [0, 1],
  impulseLoss: ['mask', 'l1'],
};

/** An Image value, or something that only looks like one. */
function wildImage(rng: Rng, w: number, h: number, wild: number, channels?: 1): unknown {
  const img = randomPixels(rng, w, h, channels ?? pickOf(rng, [1, 2, 3, 4] as const));
  if (rng.uniform() >= wild) return img;
  const r = rng.uniform();
  if (r < 0.2) return { ...img, data: img.data.subarray(1) };
  if (r < 0.4) return { ...img, data: Array.from(img.data) };
  if (r < 0.6) return { ...img, data: img.data.map((v, i) => (i === 0 ? Number.NaN : v)) };
  if (r < 0.8) return { ...img, channels: 5 };
  return pickOf(rng, [null, 'photo.png', { width: 10, height: 10 }, { ...img, width: 0 }]);
}

/** Half the cases hold valid values only (with what the task requires); the rest anything goes. */
function libraryOptions(rng: Rng): Record<string, unknown> {
  const wild = rng.uniform() < 0.5 ? 0 : 0.3;
  const w = intIn(rng, wild ? 1 : 8, 32);
  const h = intIn(rng, wild ? 4 : 8, 32);
  const task = !wild || rng.uniform() < 0.95 ? pickOf(rng, TASKS) : 'repaint';
  const o: Record<string, unknown> = { task, image: wildImage(rng, w, h, wild && 0.8) };
  o.iterations = wildValue(rng, LIB_VALUES.iterations, wild); // always set: the valid values keep the fits tiny
  o.channels = wildValue(rng, LIB_VALUES.channels, wild);
  o.arch = wildValue(rng, LIB_VALUES.arch, wild);
  for (let i = intIn(rng, 0, wild ? 4 : 2); i > 0; i--) {
    const key =
      wild && rng.uniform() < 0.05
        ? 'iteratons'
        : pickOf(rng, wild ? Object.keys(LIB_VALUES) : ['stop', 'lr', 'regNoise', 'tv', 'smoothing', 'seed', 'threads']);
    o[key] = wildValue(rng, LIB_VALUES[key] ?? [1], wild);
  }
  if (!wild) {
    if (task === 'super-resolve') o.scale = 2;
    if (task === 'inpaint' || task === 'reconstruct') o.mask = wildImage(rng, w, h, 0, 1);
    if (task === 'flash') o.guide = wildImage(rng, w, h, 0);
    return o;
  }
  for (const key of ['mask', 'guide', 'reference'])
    if (rng.uniform() < 0.25) o[key] = wildImage(rng, w * (key === 'reference' && rng.uniform() < 0.5 ? 2 : 1), h, wild);
  return o;
}

/** One library case: restore() with a random options object. */
export async function runLibraryCase(index: number, seed: number, limitMs: number): Promise<CaseResult> {
  const rng = new Rng(seed * 1_000_003 + index + 500_000_000);
  const o = libraryOptions(rng);
  const img = o.image as Partial<Image> | null;
  const input = img && typeof img === 'object' && 'width' in img ? `image ${img.width}×${img.height}×${img.channels}` : `image ${JSON.stringify(img)}`;
  const args = JSON.stringify(o, (k, v) =>
    k === 'image' || k === 'mask' || k === 'guide' || k === 'reference'
      ? v && typeof v === 'object'
        ? `<${v.width}×${v.height}×${v.channels}>`
        : v
      : typeof v === 'number' && !Number.isFinite(v)
        ? String(v)
        : v,
  );
  const t0 = performance.now();
  const r = await timeout(
    restore(o as unknown as RestoreOptions).then(
      (res) => ({ res }),
      (e: unknown) => ({ e }),
    ),
    limitMs,
  );
  const base = { index, target: 'library' as const, input, args, ms: performance.now() - t0 };
  if (r === 'timeout') return { ...base, outcome: 'failure', exitCode: null, message: 'no answer within the time limit (hang)' };
  if ('e' in r) {
    const e = r.e;
    const clean = isDeepPriorError(e) && e.exitCode === 2 && !e.message.includes('\n');
    return {
      ...base,
      outcome: clean ? 'rejected' : 'failure',
      exitCode: isDeepPriorError(e) ? e.exitCode : null,
      message: clean ? e.message : `threw ${String(e)}`,
    };
  }
  const out = r.res.image;
  const finite = out.data.every((v) => Number.isFinite(v));
  const ok = out.data.length === out.width * out.height * out.channels && finite;
  return { ...base, outcome: ok ? 'ok' : 'failure', exitCode: 0, message: ok ? '' : 'the result image is not valid (size or non-finite values)' };
}

export interface FuzzSettings {
  seed: number;
  /** Cases from..from+count-1. */
  from?: number;
  count: number;
  /** Every k-th case goes to the library (default 4). */
  libraryEvery?: number;
  /** Share of CLI cases fitted by the tiny real restore instead of the fake one. */
  realShare?: number;
  dir: string;
  limitMs?: number;
  onCase?: (r: CaseResult) => void;
}

export async function runFuzz(s: FuzzSettings): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  const from = s.from ?? 0;
  for (let i = from; i < from + s.count; i++) {
    const lib = i % (s.libraryEvery ?? 4) === 3;
    const r = lib ? await runLibraryCase(i, s.seed, s.limitMs ?? 60_000) : await runCliCase(i, s.seed, s.dir, s.realShare ?? 0.1, s.limitMs ?? 60_000);
    out.push(r);
    s.onCase?.(r);
  }
  await fs.rm(s.dir, { recursive: true, force: true });
  return out;
}

export function tally(results: readonly CaseResult[]): Record<string, number> {
  const t: Record<string, number> = { cases: results.length, ok: 0, rejected: 0, failure: 0 };
  for (const r of results) t[r.outcome]++;
  return t;
}
