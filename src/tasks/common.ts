/** Building blocks shared by the tasks: observation on the canvas, the masked data term, settings. */
import type { Value } from '../graph/graph.js';
import { l1, mse } from '../graph/index.js';
import { splitAlpha, type Image } from '../image/image.js';
import type { RestoreOptions } from '../options/index.js';
import {
  canvasSide,
  finishOnCanvas,
  maskToCanvas,
  referenceOnCanvas,
  regionWeight,
  toCanvas,
  type CanvasRule,
  type Problem,
  type TaskSettings,
} from './task.js';

/** The DIP denoising notebook's network: skip 128×5, 4-channel skips, bilinear, reflection padding. */
export const SKIP_128: TaskSettings['net'] = {
  skip: {
    channelsDown: [128, 128, 128, 128, 128],
    channelsUp: [128, 128, 128, 128, 128],
    channelsSkip: [4, 4, 4, 4, 4],
    upsample: 'bilinear',
    pad: 'reflection',
  },
};

/**
 * The CPU preset's network: the same hourglass at 48 channels (about 7× fewer FLOPs). On the F16 256²
 * σ = 25 crop, stopped automatically, it returned 30.72 dB against the 128-channel paper preset's best
 * 31.19 dB in 17 % of the time (docs/RESULTS.md, fast vs paper preset).
 */
export const SKIP_FAST: TaskSettings['net'] = {
  skip: { ...SKIP_128.skip, channelsDown: [48, 48, 48, 48, 48], channelsUp: [48, 48, 48, 48, 48] },
};

/** How a preset fits: everything but the network and its input code. */
export type FitSettings = Omit<TaskSettings, 'arch' | 'net' | 'input' | 'inputDepth'>;

/** The DIP notebooks' code: 32 channels of uniform noise. */
const NOISE_32: Pick<TaskSettings, 'input' | 'inputDepth'> = { input: 'noise', inputDepth: 32 };

/** A skip-net preset: the network, how it fits, and its input code (the notebooks' 32-channel noise unless given). */
export function skipPreset(net: TaskSettings['net'], fit: FitSettings, code = NOISE_32): TaskSettings {
  return { arch: 'skip', net, ...code, ...fit };
}

/**
 * Shi et al.'s spectral-bias-controlled DIP (methods.md §3.3–3.5): the decoder with mean-only batch
 * norm, every 3×3 conv capped at Lipschitz bound λ, Gaussian upsampling, a Fourier code, Adam at
 * 0.001 and no reg-noise. λ per task as in the official scripts (denoising and deblocking 1.4,
 * inpainting 1.6); the README's λ ≈ 1.8 for Gaussian upsampling let the decoder decay by 5 dB on a
 * smooth crop (House 128², docs/RESULTS.md), λ 1.4 kept it within 0.3 dB. The official scripts run
 * 10,000 iterations; 4,000 is this preset's ceiling.
 */
export function controlledSettings(lambda: number, smoothing: number): TaskSettings {
  return {
    arch: 'decoder',
    net: { decoder: { upsample: 'gaussian' } },
    input: 'fourier',
    inputDepth: 32,
    lr: 0.001,
    iterations: 4000,
    regNoise: 0,
    smoothing,
    backtracking: true,
    returnSmoothed: smoothing > 0,
    lipschitz: lambda,
  };
}

export interface ObservationOptions {
  /** Unknown pixels (0) excluded from the data term; 1-channel, image-sized. */
  mask?: Image;
  /** Data term: squared error (default) or absolute error. */
  norm?: 'l2' | 'l1';
  /** The result keeps the known pixels (mask 1) of the input and takes the output only in the holes. */
  keepKnown?: boolean;
  /** Target size on the canvas differs from the output (super-resolution): handled by the caller. */
}

/**
 * A "same size" problem: the network output is compared (after an optional mask) with the observed
 * image on a padded canvas. Used by denoise, deblock, inpaint, impulse, reconstruct, flash, enhance.
 */
export function sameSizeProblem(o: RestoreOptions, rule: CanvasRule, obs: ObservationOptions = {}): Problem {
  const { color, alpha } = splitAlpha(o.image);
  const channels = color.channels as 1 | 3;
  const w = color.width;
  const h = color.height;
  const cw = canvasSide(w, rule);
  const ch = canvasSide(h, rule);
  const target = toCanvas(color, cw, ch);
  const weight = obs.mask ? maskToCanvas(obs.mask, channels, cw, ch) : regionWeight(channels, w, h, cw, ch);
  const shape = [1, channels, ch, cw];
  const data: Problem['data'] = { target: { shape, values: target } };
  if (weight) data.weight = { shape, values: weight };
  const term = obs.norm === 'l1' ? l1 : mse;
  return {
    canvas: { width: cw, height: ch },
    extent: { width: w, height: h },
    channels,
    data,
    ...(term === mse && { squaredError: true as const }),
    loss: (out: Value, d: Record<string, Value>) => term(out, d.target, d.weight),
    reference: referenceOnCanvas(o.reference, channels, cw, ch, o.referenceBorder),
    finish: (planar) => {
      const out = finishOnCanvas(planar, channels, cw, ch, w, h, alpha);
      return obs.keepKnown && obs.mask ? keepKnownPixels(out, o.image, obs.mask) : out;
    },
  };
}

/** `result` with the known pixels (mask ≥ ½) of `input` put back, every channel (alpha is the input's already). */
function keepKnownPixels(result: Image, input: Image, mask: Image): Image {
  const c = result.channels;
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i] >= 0.5) for (let k = 0; k < c; k++) result.data[i * c + k] = input.data[i * c + k];
  return result;
}
