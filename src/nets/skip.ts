/**
 * The `skip` encoder-decoder of Deep Image Prior (methods.md §1.3), with every option the official
 * notebooks use. Parameters are created in the order of PyTorch's module registration for the same
 * network, so weights can be exchanged with the reference implementation by position.
 */
import type { Value } from '../graph/graph.js';
import { concat, conv2d, sigmoid } from '../graph/index.js';
import { activation, type ActivationMode } from '../layers/activation.js';
import { convLayer, type PadMode } from '../layers/conv.js';
import type { DownsampleMode } from '../layers/downsample.js';
import { normLayer, type NormMode } from '../layers/norm.js';
import { upsample, type UpsampleMode } from '../layers/upsample.js';
import { torchDefaultBound, type Params } from '../graph/params.js';

export interface SkipConfig {
  /** Channels of the down path per level (nd); the number of levels is its length. */
  channelsDown: number[];
  /** Channels of the up path per level (nu). */
  channelsUp: number[];
  /** Channels of the skip connection per level (ns); 0 = no skip at that level. */
  channelsSkip: number[];
  kernelDown: number | number[];
  kernelUp: number | number[];
  kernelSkip: number;
  /** One mode for every level or one per level (finest first). */
  upsample: UpsampleMode | UpsampleMode[];
  /** σ per level (finest first) when upsample is 'gaussian'. */
  gaussianSigma?: number[];
  downsample: DownsampleMode;
  pad: PadMode;
  act: ActivationMode;
  norm?: NormMode;
  need1x1Up: boolean;
  needSigmoid: boolean;
  needBias: boolean;
  outputChannels: number;
  /** Batch norm with a learned scale and shift over the input code before level 0 (the Deep Random Projector's). */
  inputNorm?: boolean;
}

export const SKIP_DEFAULTS: SkipConfig = {
  channelsDown: [16, 32, 64, 128, 128],
  channelsUp: [16, 32, 64, 128, 128],
  channelsSkip: [4, 4, 4, 4, 4],
  kernelDown: 3,
  kernelUp: 3,
  kernelSkip: 1,
  upsample: 'nearest',
  downsample: 'stride',
  pad: 'zero',
  act: 'leaky',
  norm: 'batch',
  need1x1Up: true,
  needSigmoid: true,
  needBias: true,
  outputChannels: 3,
};

const at = <T>(v: T | T[], i: number): T => (Array.isArray(v) ? v[i] : v);

export function skipNet(params: Params, input: Value, config: SkipConfig): Value {
  const c = config;
  const levels = c.channelsDown.length;
  if (c.channelsUp.length !== levels || c.channelsSkip.length !== levels) {
    throw new RangeError(`skip net: channelsDown/Up/Skip must have the same length (${levels})`);
  }
  const norm = c.norm ?? 'batch';
  const cba = (name: string, x: Value, cout: number, k: number, stride: 1 | 2 = 1) =>
    activation(
      normLayer(params, `${name}.bn`, convLayer(params, `${name}.conv`, x, cout, k, { stride, pad: c.pad, bias: c.needBias, downsample: c.downsample }), norm),
      c.act,
    );

  const level = (i: number, x: Value): Value => {
    const name = `level${i}`;
    const skip = c.channelsSkip[i] > 0 ? cba(`${name}.skip`, x, c.channelsSkip[i], c.kernelSkip) : null;
    let deep = cba(`${name}.down`, x, c.channelsDown[i], at(c.kernelDown, i), 2);
    deep = cba(`${name}.deep`, deep, c.channelsDown[i], at(c.kernelDown, i));
    if (i < levels - 1) deep = level(i + 1, deep);
    // σ of the Gaussian upsampler: the paper's per-stage values (coarse → fine [0.1, 0.1, 0.1, 0.5, 0.5]) by default.
    deep = upsample(deep, at(c.upsample, i), c.gaussianSigma?.[i] ?? (i < 2 ? 0.5 : 0.1));
    let y = skip ? concat([skip, deep], 1) : deep;
    y = normLayer(params, `${name}.bn`, y, norm);
    y = cba(`${name}.up`, y, c.channelsUp[i], at(c.kernelUp, i));
    if (c.need1x1Up) y = cba(`${name}.up1x1`, y, c.channelsUp[i], 1);
    return y;
  };

  const features = level(0, c.inputNorm ? normLayer(params, 'input.bn', input, 'batch') : input);
  const bound = torchDefaultBound(c.channelsUp[0]);
  const w = params.create('out.weight', [c.outputChannels, c.channelsUp[0], 1, 1], { kind: 'uniform', bound }, 'conv-weight');
  const b = c.needBias ? params.create('out.bias', [c.outputChannels], { kind: 'uniform', bound }, 'bias') : null;
  const out = conv2d(features, w, b);
  return c.needSigmoid ? sigmoid(out) : out;
}

/** How much H and W must be divisible by for a skip net of this depth. */
export function skipMultiple(config: Pick<SkipConfig, 'channelsDown'>): number {
  return 2 ** config.channelsDown.length;
}
