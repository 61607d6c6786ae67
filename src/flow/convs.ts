/**
 * The convolutions of HCFlow's sub-networks, with the official initialisations: Xavier-normal scaled
 * by 0.1 (dense blocks, RRDB, FCN hidden layers), PyTorch's default (the feature extractor's first and
 * trunk convs), and zero (the last layer of every coupling net and prior, so each coupling starts as
 * the identity). Zero 'same' padding, as nn.Conv2d(padding=(k−1)/2).
 */
import type { Value } from '../graph/graph.js';
import { conv2d, exp, mul, reshape } from '../graph/index.js';
import { torchDefaultBound } from '../graph/params.js';
import type { FlowContext } from './context.js';

export type ConvInit = 'xavier' | 'torch' | 'zeros';

export interface ConvSpec {
  init: ConvInit;
  bias?: boolean;
  /** Multiplies the Xavier std (the official code uses 0.1). */
  scale?: number;
}

export type Layer = (x: Value) => Value;

export function conv(ctx: FlowContext, name: string, cin: number, cout: number, k: number, spec: ConvSpec): Layer {
  const fanIn = cin * k * k;
  const fanOut = cout * k * k;
  const p = ctx.params;
  const weightInit =
    spec.init === 'zeros'
      ? ({ kind: 'constant', value: 0 } as const)
      : spec.init === 'torch'
        ? ({ kind: 'uniform', bound: torchDefaultBound(fanIn) } as const)
        : ({ kind: 'normal', std: (spec.scale ?? 0.1) * Math.sqrt(2 / (fanIn + fanOut)) } as const);
  const w = p.create(`${name}.weight`, [cout, cin, k, k], weightInit, 'conv-weight');
  const biasInit = spec.init === 'torch' ? ({ kind: 'uniform', bound: torchDefaultBound(fanIn) } as const) : ({ kind: 'constant', value: 0 } as const);
  const b = spec.bias === false ? null : p.create(`${name}.bias`, [cout], biasInit, 'bias');
  const pads = (k - 1) / 2;
  return (x) => conv2d(x, w, b, { pads });
}

/**
 * Glow's Conv2dZeros: a zero-initialised 3×3 conv whose output is scaled by exp(3·logs), logs a learned
 * per-channel log-scale (also zero at first).
 */
export function convZeros(ctx: FlowContext, name: string, cin: number, cout: number): Layer {
  const c = conv(ctx, name, cin, cout, 3, { init: 'zeros' });
  const logs = ctx.params.create(`${name}.logs`, [cout, 1, 1], { kind: 'constant', value: 0 }, 'other');
  const gain = exp(mul(reshape(logs, [1, cout, 1, 1]), 3));
  return (x) => mul(c(x), gain);
}
