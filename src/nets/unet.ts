/**
 * The UNet generator of the DIP code: filters [64,128,256,512,1024]/featureScale, two conv-norm-ReLU
 * per level, max-pool down, transposed-conv (or nearest/bilinear + conv) up, concatenated skips,
 * instance normalisation (= per-image batch norm without affine parameters) and a sigmoid output.
 */
import type { Value } from '../graph/graph.js';
import { batchNorm, concat, convTranspose2d, maxPool, sigmoid } from '../graph/index.js';
import { activation } from '../layers/activation.js';
import { convLayer, type PadMode } from '../layers/conv.js';
import { upsample } from '../layers/upsample.js';
import { torchDefaultBound, type Params } from '../graph/params.js';

export interface UNetConfig {
  featureScale: number;
  /** Extra levels beyond the four of the base UNet. */
  moreLayers: number;
  upsample: 'deconv' | 'nearest' | 'bilinear' | 'gaussian';
  pad: PadMode;
  needSigmoid: boolean;
  outputChannels: number;
}

export const UNET_DEFAULTS: UNetConfig = { featureScale: 8, moreLayers: 1, upsample: 'deconv', pad: 'zero', needSigmoid: true, outputChannels: 3 };

export function unetLevels(c: Pick<UNetConfig, 'moreLayers'>): number {
  return 4 + c.moreLayers;
}

function instanceNorm(x: Value): Value {
  const g = x.graph;
  const ch = x.shape[1];
  return batchNorm(x, g.constant(new Float32Array(ch).fill(1), [ch], 'ones'), g.constant(new Float32Array(ch), [ch], 'zeros'), 1e-5);
}

function doubleConv(params: Params, name: string, x: Value, cout: number, pad: PadMode): Value {
  const a = activation(instanceNorm(convLayer(params, `${name}.conv1`, x, cout, 3, { pad })), 'relu');
  return activation(instanceNorm(convLayer(params, `${name}.conv2`, a, cout, 3, { pad })), 'relu');
}

export function uNet(params: Params, input: Value, c: UNetConfig): Value {
  const levels = unetLevels(c);
  const filters = Array.from({ length: levels + 1 }, (_, i) => Math.max(1, Math.floor((64 * 2 ** Math.min(i, 4)) / c.featureScale)));
  const skips: Value[] = [doubleConv(params, 'start', input, filters[0], c.pad)];
  for (let i = 1; i <= levels; i++) skips.push(doubleConv(params, `down${i}`, maxPool(skips[i - 1], 2), filters[i], c.pad));
  let x = skips[levels];
  for (let i = levels - 1; i >= 0; i--) {
    const f = filters[i];
    let up: Value;
    if (c.upsample === 'deconv') {
      const cin = x.shape[1];
      const bound = torchDefaultBound(f * 16);
      const w = params.create(`up${i}.deconv.weight`, [cin, f, 4, 4], { kind: 'uniform', bound }, 'conv-weight');
      const b = params.create(`up${i}.deconv.bias`, [f], { kind: 'uniform', bound }, 'bias');
      up = convTranspose2d(x, w, b, { stride: 2, pads: 1 });
    } else {
      up = convLayer(params, `up${i}.conv`, upsample(x, c.upsample), f, 3, { pad: c.pad });
    }
    x = doubleConv(params, `up${i}`, concat([skips[i], up], 1), f, c.pad);
  }
  const out = convLayer(params, 'final', x, c.outputChannels, 1, { pad: c.pad, constrain: false });
  return c.needSigmoid ? sigmoid(out) : out;
}
