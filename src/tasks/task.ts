/**
 * What a task is (the official DIP code's decomposition): a forward operator applied to the network
 * output, a data term comparing it with the observation, and default settings per preset. Tasks
 * also prepare the observation for any image size: the network works on a "canvas" padded to its
 * size multiple, padded pixels are excluded from the loss, and the result is cropped back.
 */
import type { Value } from '../graph/graph.js';
import { createImage, fromPlanar, joinAlpha, padReflect, splitAlpha, toPlanar, type Image } from '../image/image.js';
import type { LrSchedule, Naming, Preset, RestoreOptionKey, RestoreOptions, StopRule, TaskName, WidthProfile } from '../options/index.js';
import type { NetArch, NetOverrides } from '../nets/index.js';

export type InputKind = 'noise' | 'meshgrid' | 'image' | 'fourier';

/** Everything a preset fixes for a task. */
export interface TaskSettings {
  arch: NetArch;
  net: NetOverrides;
  input: InputKind;
  inputDepth: number;
  lr: number;
  iterations: number;
  regNoise: number;
  smoothing: number;
  /** The DIP notebooks' reset of the weights when the loss jumps by more than 5 dB. */
  backtracking: boolean;
  /** Whether the output returned is the smoothed (moving average) one. */
  returnSmoothed: boolean;
  /** Lipschitz bound λ of the conv layers (0 / absent = off). */
  lipschitz?: number;
  /** The learning rate over the fit (src/fit/schedule.ts); absent = constant. */
  lrSchedule?: LrSchedule;
  /** How the skip net's channels spread over its levels; absent = as `net` says (uniform in every preset). */
  widthProfile?: WidthProfile;
  /** Iterations on a half-size copy before the full-size fit (src/restore/stages.ts); absent = 0 = none. */
  coarseIterations?: number;
  /** Weight of the mean total variation of the output added to the loss (--tv); absent = 0. */
  tv?: number;
  /**
   * Which values the fit trains: every network parameter (absent), or the Deep Random Projector's
   * set (`projector`: the conv weights and biases stay as drawn; the batch-norm parameters and the input
   * code, drawn N(0, 0.1²), are trained).
   */
  trainable?: 'projector';
}

/** The value a setting has when a preset leaves it out. */
export const SETTING_DEFAULTS = { lrSchedule: 'constant', widthProfile: 'uniform', coarseIterations: 0 } as const satisfies Partial<TaskSettings>;

export interface DataInput {
  shape: number[];
  values: Float32Array;
}

/** A task's observation, ready for the step graph. */
export interface Problem {
  /** Network output size (a multiple of the architecture's stride). */
  canvas: { width: number; height: number };
  /** The output image's part of the canvas, at its top-left (the rest is padding). */
  extent: { width: number; height: number };
  channels: 1 | 3;
  data: Record<string, DataInput>;
  loss: (output: Value, data: Record<string, Value>) => Value;
  /**
   * The loss is mean(((output − target)·weight)²) over the canvas, inputs `target` and `weight`
   * (absent: 1) of the output's shape: parts of the canvas can share it with their weights × √window
   * (the joint tiled fit, src/tile/joint-program.ts).
   */
  squaredError?: true;
  /** Planar input code of image kind (flash), already on the canvas. */
  inputImage?: Float32Array;
  /** Reference on the canvas and its 0/1 weight (1 = pixel counted), for PSNR while running. */
  reference?: { values: Float32Array; weight: Float32Array; count: number };
  /** Canvas-sized planar output → the final image (crop, clip, alpha back). */
  finish: (planar: Float32Array) => Image;
}

export interface TaskDefinition {
  name: TaskName;
  /** For help and the browser app: what it restores, what its input is, example command lines. */
  about: { summary: string; input: string; examples: readonly string[] };
  /** The task-specific options it accepts (beyond the common ones of the option table). */
  options: readonly RestoreOptionKey[];
  /** Inputs it cannot do without: each group is satisfied by any one of its options. */
  requires?: readonly (readonly RestoreOptionKey[])[];
  /** fast and paper for every task; lite where a cheaper fit is measured; controlled and drp where their papers define them. */
  presets: Record<Exclude<Preset, 'auto' | 'lite' | 'controlled' | 'drp'>, TaskSettings> & {
    lite?: TaskSettings;
    controlled?: TaskSettings;
    drp?: TaskSettings;
  };
  /** The presets `auto` chooses from by the image size, best first (src/tasks/size-preset.ts); absent = fast. */
  bySize?: readonly Exclude<Preset, 'auto'>[];
  /**
   * Its mask marks holes to fill from the pixels around them (inpaint): a tiled fit gives each hole
   * to one tile that holds it with known context. A scattered mask (reconstruct) needs none.
   */
  holesNeedContext?: boolean;
  /** The rule --stop auto (and watch) uses unless --stop-rule says otherwise; every task has one. */
  stopRule: StopRule;
  /** The rules that make sense for its fit, the default among them: --stop-rule accepts these. */
  stopRules: readonly StopRule[];
  /** The output's size as a multiple of the input's (super-resolve: the scale). Default 1. */
  outputScale?: (o: RestoreOptions) => number;
  /** Border of the reported PSNR when none is given (super-resolve: the scale). Default 0. */
  referenceBorder?: (o: RestoreOptions) => number;
  /**
   * Derives inputs from others once they are checked (inpaint: the mask from --mask-color or
   * inverted); throws an InputError named through `naming` when the result is unusable.
   */
  resolve?: (o: RestoreOptions, naming: Naming) => RestoreOptions;
  prepare: (o: RestoreOptions, canvas: CanvasRule) => Promise<Problem> | Problem;
  /** Adjusts preset settings to the request (e.g. the ×8 super-resolution notebook's values). */
  tweak?: (s: TaskSettings, o: RestoreOptions) => TaskSettings;
  /**
   * Where a fit with --stop auto is expected to end, for the plan's time estimate: the iteration at
   * which this task's stopping rule typically fires under settings `s` (never above `s.iterations`,
   * the budget). Absent: the whole budget. Not asked with --stop fixed or watch (they run it all).
   */
  expectedStop?: (s: TaskSettings & { stopRule?: StopRule }, o: RestoreOptions) => number;
}

/** The iterations a fit is expected to run: the budget, or less where the task's rule stops it sooner. */
export function expectedIterations(task: TaskDefinition, s: TaskSettings & { stop: string; stopRule?: StopRule }, o: RestoreOptions): number {
  if (s.stop !== 'auto' || !task.expectedStop) return s.iterations;
  return Math.max(1, Math.min(s.iterations, Math.round(task.expectedStop(s, o))));
}

/** What the network needs of its output size: a multiple, and a minimum so the coarsest level keeps its padding valid. */
export interface CanvasRule {
  multiple: number;
  minSize: number;
}

/** Rounds a size up to a multiple. */
export function roundUp(n: number, multiple: number): number {
  return Math.ceil(n / multiple) * multiple;
}

/** The canvas side for an image side: at least the network's minimum, rounded up to its multiple. */
export function canvasSide(n: number, rule: CanvasRule): number {
  return roundUp(Math.max(n, rule.minSize), rule.multiple);
}

/** The colour part of an image on a canvas of the given size (reflection padding at right/bottom). */
export function toCanvas(color: Image, width: number, height: number): Float32Array {
  const padded = padReflect(color, 0, height - color.height, 0, width - color.width);
  return toPlanar(padded);
}

/** 0/1 planar weight: 1 inside the original w×h region, 0 in the padding; null when there is none. */
export function regionWeight(channels: number, w: number, h: number, cw: number, ch: number): Float32Array | null {
  if (w === cw && h === ch) return null;
  const out = new Float32Array(channels * cw * ch);
  for (let c = 0; c < channels; c++) for (let y = 0; y < h; y++) out.fill(1, c * cw * ch + y * cw, c * cw * ch + y * cw + w);
  return out;
}

/** Crops a canvas-planar output back to w×h, clips to [0,1] and re-attaches alpha. */
export function finishOnCanvas(planar: Float32Array, channels: number, cw: number, ch: number, w: number, h: number, alpha: Image | null): Image {
  const full = fromPlanar(planar, cw, ch, channels);
  const out = createImage(w, h, channels);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < channels; c++) {
        const v = full.data[(y * cw + x) * channels + c];
        out.data[(y * w + x) * channels + c] = v < 0 ? 0 : Math.min(v, 1);
      }
    }
  }
  return joinAlpha(out, alpha);
}

/** A one-channel mask broadcast to `channels` planes on the canvas (padding = 0 = unknown). */
export function maskToCanvas(mask: Image, channels: number, cw: number, ch: number): Float32Array {
  const out = new Float32Array(channels * cw * ch);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < mask.height; y++) {
      for (let x = 0; x < mask.width; x++) out[c * cw * ch + y * cw + x] = mask.data[y * mask.width + x] >= 0.5 ? 1 : 0;
    }
  }
  return out;
}

/** Reference for PSNR monitoring on the canvas (same size as the output). */
export function referenceOnCanvas(reference: Image | undefined, channels: number, cw: number, ch: number, border = 0): Problem['reference'] {
  if (!reference) return undefined;
  const { color } = splitAlpha(reference);
  const values = toCanvas(color, cw, ch);
  const weight = new Float32Array(channels * cw * ch);
  let count = 0;
  for (let c = 0; c < channels; c++) {
    for (let y = border; y < reference.height - border; y++) {
      for (let x = border; x < reference.width - border; x++) {
        weight[c * cw * ch + y * cw + x] = 1;
        count++;
      }
    }
  }
  return { values, weight, count };
}
