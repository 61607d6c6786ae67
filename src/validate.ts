/**
 * The one validator of `RestoreOptions`, run once at the edge (CLI, library `restore()`, browser
 * app) so that everything inside can trust its input. Pure: no Node or DOM imports.
 *
 * Every failure is an InputError (exit code 2) with a one-line message that names the option the
 * way a user of the command line types it (`--reg-noise`, not `regNoise`) and says what to do.
 */
import { BACKENDS, type BackendRequest } from './runtime/engine.js';
import { STOP_RULES } from './stop/index.js';
import { ARCHS, TASKS, type ArchName, type ImpulseLoss, type Preset, type RestoreOptions, type StopMode, type TaskName } from './options.js';
import type { Image } from './image/image.js';
import { InputError } from './util/errors.js';

/** Smallest side the networks accept (five stride-2 levels still leave a pixel or more at 32). */
export const MIN_SIDE = 8;
/** Largest output (width × height) a fit is started for; beyond it memory runs out. */
export const MAX_OUTPUT_PIXELS = 16_000_000;
export const MAX_ITERATIONS = 1_000_000;
export const MAX_THREADS = 1024;
export const MAX_SEED = 0xffff_ffff;
/** Wider than the papers' 128 by far; beyond this a step would not fit in memory at any useful size. */
export const MAX_CHANNELS = 1024;

export const PRESETS: readonly Preset[] = ['fast', 'paper', 'controlled'];
export const STOP_MODES: readonly StopMode[] = ['auto', 'fixed', 'watch'];
export const IMPULSE_LOSSES: readonly ImpulseLoss[] = ['mask', 'l1'];
export const BACKEND_REQUESTS: readonly BackendRequest[] = ['auto', ...BACKENDS];
export const SCALES: readonly (2 | 4 | 8)[] = [2, 4, 8];
/** Tasks whose data term needs a mask (1 = known pixel). */
export const MASK_TASKS: readonly TaskName[] = ['inpaint', 'reconstruct'];

/**
 * How each option is named in messages: its command-line flag. Typed as a record over every key
 * of RestoreOptions, so a new option cannot be added there without being named (and, through the
 * unknown-key check below, accepted) here.
 */
export const OPTION_FLAGS: Record<keyof RestoreOptions, string> = {
  task: 'task',
  image: 'the input image',
  mask: '--mask',
  guide: '--guide',
  scale: '--scale',
  preset: '--preset',
  iterations: '--iterations',
  stop: '--stop',
  arch: '--arch',
  lr: '--lr',
  regNoise: '--reg-noise',
  tv: '--tv',
  impulseLoss: '--impulse-loss',
  smoothing: '--smoothing',
  seed: '--seed',
  backend: '--backend',
  threads: '--threads',
  reference: '--reference',
  referenceBorder: '--reference-border',
  lipschitz: '--lipschitz',
  channels: '--channels',
  stopRule: '--stop-rule',
  upsample: '--upsample',
};

/** The scalar settings (everything but the images), which can be checked before any file is read. */
export type RestoreSettings = Omit<RestoreOptions, 'image' | 'mask' | 'guide' | 'reference'>;

function bad(message: string): InputError {
  return new InputError(message, { code: 'BAD_OPTION' });
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return String(v);
  if (v === null) return 'null';
  return typeof v === 'object' ? (Array.isArray(v) ? 'an array' : 'an object') : String(v);
}

function oneOf<T>(key: keyof RestoreOptions, v: unknown, set: readonly T[]): void {
  if (!set.includes(v as T)) throw bad(`${OPTION_FLAGS[key]} must be ${listOr(set.map(String))}, got ${show(v)}`);
}

function listOr(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function integerIn(key: keyof RestoreOptions, v: unknown, min: number, max: number): void {
  if (!isNum(v) || !Number.isInteger(v) || v < min || v > max) {
    throw bad(`${OPTION_FLAGS[key]} must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}, got ${show(v)}`);
  }
}

const megapixels = (n: number) => `${(n / 1e6).toFixed(1)} megapixels`;
const dims = (w: number, h: number) => `${w}×${h}`;

/**
 * Checks the scalar settings (task, numbers, enumerations). Throws InputError; returns nothing.
 * Separate from the image checks so a command line can fail fast, before reading large files.
 */
export function checkSettings(o: Partial<RestoreSettings>): void {
  if (o.task !== undefined && !TASKS.includes(o.task)) {
    throw bad(`unknown task ${show(o.task)}: use ${listOr([...TASKS])}`);
  }
  if (o.scale !== undefined) {
    if (o.task !== undefined && o.task !== 'super-resolve') throw bad(`--scale only applies to super-resolve, not to ${o.task}`);
    if (!SCALES.includes(o.scale)) throw bad(`--scale must be 2, 4 or 8, got ${show(o.scale)}`);
  }
  if (o.preset !== undefined) oneOf('preset', o.preset, PRESETS);
  if (o.stop !== undefined) oneOf('stop', o.stop, STOP_MODES);
  if (o.arch !== undefined) oneOf('arch', o.arch, ARCHS as readonly ArchName[]);
  if (o.backend !== undefined) oneOf('backend', o.backend, BACKEND_REQUESTS);
  if (o.impulseLoss !== undefined) oneOf('impulseLoss', o.impulseLoss, IMPULSE_LOSSES);
  if (o.iterations !== undefined) integerIn('iterations', o.iterations, 1, MAX_ITERATIONS);
  if (o.threads !== undefined) integerIn('threads', o.threads, 1, MAX_THREADS);
  if (o.seed !== undefined) integerIn('seed', o.seed, 0, MAX_SEED);
  if (o.lr !== undefined && !(isNum(o.lr) && o.lr > 0 && o.lr <= 1)) {
    throw bad(`--lr must be a number greater than 0 and at most 1 (0.01 is typical), got ${show(o.lr)}`);
  }
  if (o.regNoise !== undefined && !(isNum(o.regNoise) && o.regNoise >= 0 && o.regNoise <= 1)) {
    throw bad(`--reg-noise must be a number from 0 to 1 (1/30 ≈ 0.033 is typical), got ${show(o.regNoise)}`);
  }
  if (o.tv !== undefined && !(isNum(o.tv) && o.tv >= 0)) throw bad(`--tv must be a number ≥ 0 (0 = off), got ${show(o.tv)}`);
  if (o.smoothing !== undefined && !(isNum(o.smoothing) && o.smoothing >= 0 && o.smoothing < 1)) {
    throw bad(`--smoothing must be a number from 0 up to (not including) 1 (0.99 is typical, 0 = off), got ${show(o.smoothing)}`);
  }
  if (o.stopRule !== undefined) oneOf('stopRule', o.stopRule, STOP_RULES);
  if (o.upsample !== undefined) oneOf('upsample', o.upsample, ['nearest', 'bilinear', 'gaussian'] as const);
  if (o.lipschitz !== undefined && !(isNum(o.lipschitz) && o.lipschitz >= 0)) {
    throw bad(`--lipschitz must be a number ≥ 0 (0 = off), got ${show(o.lipschitz)}`);
  }
  if (o.channels !== undefined) integerIn('channels', o.channels, 1, MAX_CHANNELS);
  if (o.referenceBorder !== undefined) integerIn('referenceBorder', o.referenceBorder, 0, MAX_OUTPUT_PIXELS);
}

/** Checks an Image value handed in by a caller; `what` names it in messages. */
function checkImage(img: unknown, what: string): asserts img is Image {
  if (img === null || typeof img !== 'object') throw bad(`${what} is missing: give an image`);
  const { width, height, channels, data } = img as Partial<Image>;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width! < 0 || height! < 0) {
    throw bad(`${what} has an invalid size (${show(width)}×${show(height)}): give a decoded image`);
  }
  if (width === 0 || height === 0) throw bad(`${what} is empty (${width}×${height}): give an image with pixels`);
  if (channels !== 1 && channels !== 2 && channels !== 3 && channels !== 4) {
    throw bad(`${what} must have 1 to 4 channels (grey, grey+alpha, RGB, RGBA), got ${show(channels)}`);
  }
  if (!(data instanceof Float32Array)) throw bad(`${what} needs its pixels as a Float32Array`);
  const n = width! * height! * channels;
  if (data.length !== n) throw bad(`${what} is ${dims(width!, height!)}×${channels} and needs ${n} values, got ${data.length}`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(data[i])) throw bad(`${what} contains a non-finite value (${data[i]}) at index ${i}: pixels must be numbers in [0, 1]`);
  }
}

function colorKind(img: Image): string {
  return img.channels <= 2 ? 'grey' : 'colour';
}

/** The size (width, height) of the image a task produces from `o.image`. */
export function outputSize(o: Pick<RestoreOptions, 'task' | 'image' | 'scale'>): { width: number; height: number } {
  const f = o.task === 'super-resolve' ? (o.scale ?? 1) : 1;
  return { width: o.image.width * f, height: o.image.height * f };
}

/**
 * Validates a complete set of options and returns a normalised copy: a new object (images are
 * shared, not copied) with undefined entries removed. Throws InputError on the first problem.
 */
export function validateRestoreOptions(o: RestoreOptions): RestoreOptions {
  if (o === null || typeof o !== 'object') throw bad('restore needs an options object: { task, image, ... }');
  for (const key of Object.keys(o)) {
    if (!(key in OPTION_FLAGS)) throw bad(`unknown option ${show(key)}: known options are ${Object.keys(OPTION_FLAGS).join(', ')}`);
  }
  if (o.task === undefined) throw bad(`task is missing: use ${listOr([...TASKS])}`);
  checkSettings(o);

  if (o.image === undefined || o.image === null) throw bad('the input image is missing: give an image to restore');
  checkImage(o.image, 'the input image');
  const img = o.image;
  if (img.width < MIN_SIDE || img.height < MIN_SIDE) {
    throw bad(`the input image is ${dims(img.width, img.height)}, too small: it needs at least ${MIN_SIDE} pixels on each side`);
  }

  if (o.task === 'super-resolve' && o.scale === undefined) throw bad('super-resolve needs --scale 2, 4 or 8');

  if (MASK_TASKS.includes(o.task)) {
    if (o.mask === undefined || o.mask === null) {
      throw bad(
        o.task === 'inpaint'
          ? 'inpaint needs a mask: give --mask FILE (white = known, black = to fill) or --mask-color COLOR'
          : 'reconstruct needs a mask: give --mask FILE (white = known pixel, black = missing)',
      );
    }
    checkImage(o.mask, '--mask');
    if (o.mask.channels !== 1) throw bad(`--mask must have 1 channel (1 = known, 0 = to fill), got ${o.mask.channels}: binarise it first (maskFromImage)`);
    if (o.mask.width !== img.width || o.mask.height !== img.height) {
      throw bad(`mask is ${dims(o.mask.width, o.mask.height)} but the image is ${dims(img.width, img.height)}: give a --mask of the same size as the image`);
    }
    let known = 0;
    for (const v of o.mask.data) {
      if (v < 0 || v > 1) throw bad(`--mask values must be between 0 and 1 (1 = known, 0 = to fill), got ${v}`);
      known += v;
    }
    if (known === 0) throw bad('the mask marks every pixel as missing (all black): white = known; use --mask-invert if the holes are painted white');
  } else if (o.mask !== undefined) {
    throw bad(`--mask only applies to ${listOr([...MASK_TASKS])}, not to ${o.task}`);
  }

  if (o.task === 'flash') {
    if (o.guide === undefined || o.guide === null) throw bad('flash needs --guide FLASH_IMAGE, the flash photo of the same scene');
    checkImage(o.guide, '--guide');
    if (o.guide.width !== img.width || o.guide.height !== img.height) {
      throw bad(`--guide is ${dims(o.guide.width, o.guide.height)} but the image is ${dims(img.width, img.height)}: give a flash photo of the same size`);
    }
  } else if (o.guide !== undefined) {
    throw bad(`--guide only applies to flash, not to ${o.task}`);
  }

  const out = outputSize(o);
  if (out.width * out.height > MAX_OUTPUT_PIXELS) {
    const sr = o.task === 'super-resolve' ? ` (${o.scale}× the ${dims(img.width, img.height)} input)` : '';
    throw bad(
      `the output would be ${dims(out.width, out.height)}${sr}, ${megapixels(out.width * out.height)}, over the ` +
        `${megapixels(MAX_OUTPUT_PIXELS)} limit: downscale the image${o.task === 'super-resolve' ? ' or use a smaller --scale' : ''}, or split it into tiles and restore each`,
    );
  }

  if (o.reference !== undefined) {
    checkImage(o.reference, '--reference');
    const r = o.reference;
    if (r.width !== out.width || r.height !== out.height) {
      const sr = o.task === 'super-resolve' ? ` (${o.scale}× the ${dims(img.width, img.height)} input)` : '';
      throw bad(`--reference is ${dims(r.width, r.height)} but the output will be ${dims(out.width, out.height)}${sr}: give a reference of the output's size`);
    }
    if (colorKind(r) !== colorKind(img)) {
      throw bad(`--reference is a ${colorKind(r)} image but the input is ${colorKind(img)}: give a reference of the same kind`);
    }
    if (o.referenceBorder !== undefined && 2 * o.referenceBorder >= Math.min(out.width, out.height)) {
      throw bad(`--reference-border ${o.referenceBorder} leaves nothing of a ${dims(out.width, out.height)} output: use a smaller border`);
    }
  }

  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) copy[k] = v;
  return copy as unknown as RestoreOptions;
}
