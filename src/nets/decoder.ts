/**
 * The spectral-bias paper's decoder (methods.md §3.5): no encoder and no skips. A low-resolution
 * code z (H/32 × W/32, Fourier features) → [conv3-norm-act]×2 → 5 × (upsample ×2 → [conv3-norm-act]×2)
 * → conv1×1 → sigmoid, with mean-only batch norm and LeakyReLU (PyTorch's default slope 0.01).
 * Conv weights start Kaiming-uniform with the ReLU gain, as in the paper's code (√6 × PyTorch's default
 * bound): with mean-only norm the weights' scale is not normalised away, so it shapes the fit.
 */
import type { Value } from '../graph/graph.js';
import { sigmoid } from '../graph/index.js';
import { activation } from '../layers/activation.js';
import { convLayer, type PadMode } from '../layers/conv.js';
import { normLayer, type NormMode } from '../layers/norm.js';
import { upsample, type UpsampleMode } from '../layers/upsample.js';
import type { Params } from '../graph/params.js';

export interface DecoderConfig {
  channels: number;
  levels: number;
  upsample: UpsampleMode;
  /** σ of the Gaussian upsampler per stage, coarse → fine. */
  gaussianSigma: number[];
  norm: NormMode;
  slope: number;
  pad: PadMode;
  outputChannels: number;
}

export const DECODER_DEFAULTS: DecoderConfig = {
  channels: 128,
  levels: 5,
  upsample: 'bilinear',
  gaussianSigma: [0.1, 0.1, 0.1, 0.5, 0.5],
  norm: 'mean-only',
  slope: 0.01,
  pad: 'reflection',
  outputChannels: 3,
};

export function decoderNet(params: Params, input: Value, c: DecoderConfig): Value {
  const block = (name: string, x: Value) =>
    activation(
      normLayer(params, `${name}.norm`, convLayer(params, `${name}.conv`, x, c.channels, 3, { pad: c.pad, init: 'kaiming-relu' }), c.norm),
      'leaky',
      c.slope,
    );
  let x = block('in1', input);
  x = block('in2', x);
  for (let i = 0; i < c.levels; i++) {
    x = upsample(x, c.upsample, c.gaussianSigma[i] ?? 0.5);
    x = block(`up${i}.a`, x);
    x = block(`up${i}.b`, x);
  }
  // As the official code, the final 1×1 conv is not Lipschitz-controlled.
  return sigmoid(convLayer(params, 'out', x, c.outputChannels, 1, { pad: c.pad, constrain: false, init: 'kaiming-relu' }));
}
