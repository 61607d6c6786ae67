/**
 * The convolution layer of the DIP code: optional reflection padding of (k−1)/2, a biased conv,
 * and for stride-2 layers with a non-'stride' downsampler, a stride-1 conv followed by that
 * downsampler.
 */
import type { Value } from '../graph/graph.js';
import { conv2d, pad } from '../graph/index.js';
import { kaimingReluBound, torchDefaultBound, type Params } from '../graph/params.js';
import { downsample, type DownsampleMode } from './downsample.js';
import { lipschitzWeight } from './lipschitz.js';

export type PadMode = 'reflection' | 'zero';

export interface ConvLayerOptions {
  stride?: 1 | 2;
  pad?: PadMode;
  bias?: boolean;
  downsample?: DownsampleMode;
  /** Apply the network's Lipschitz cap to this conv (default true; output layers opt out). */
  constrain?: boolean;
  /** Weight init: PyTorch's default (DIP's nets), or Kaiming-uniform with the ReLU gain (the spectral-bias decoder). Biases keep PyTorch's default. */
  init?: 'torch-default' | 'kaiming-relu';
}

export function convLayer(params: Params, name: string, x: Value, cout: number, k: number, o: ConvLayerOptions = {}): Value {
  return createConvLayer(params, name, x.shape[1], cout, k, o)(x);
}

/**
 * The same layer with its parameters created now and applied later: networks whose modules are
 * registered in a different order from the one their forward pass visits them in (cross-skip).
 */
export function createConvLayer(params: Params, name: string, cin: number, cout: number, k: number, o: ConvLayerOptions = {}): (x: Value) => Value {
  const fanIn = cin * k * k;
  const bound = torchDefaultBound(fanIn);
  const weightBound = o.init === 'kaiming-relu' ? kaimingReluBound(fanIn) : bound;
  const w0 = params.create(`${name}.weight`, [cout, cin, k, k], { kind: 'uniform', bound: weightBound }, 'conv-weight');
  const w = params.lipschitz > 0 && o.constrain !== false ? lipschitzWeight(params, name, w0, params.lipschitz) : w0;
  const b = o.bias === false ? null : params.create(`${name}.bias`, [cout], { kind: 'uniform', bound }, 'bias');
  const stride = o.stride ?? 1;
  const mode = o.downsample ?? 'stride';
  const convStride = stride === 2 && mode === 'stride' ? 2 : 1;
  const p = Math.floor((k - 1) / 2);
  const reflect = p > 0 && (o.pad ?? 'reflection') === 'reflection';
  return (x) => {
    const input = reflect ? pad(x, [0, 0, p, p, 0, 0, p, p], 'reflect') : x;
    const y = conv2d(input, w, b, { stride: convStride, pads: reflect ? 0 : p });
    return stride === 2 && mode !== 'stride' ? downsample(y, mode, 2) : y;
  };
}
