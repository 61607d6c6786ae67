/**
 * Affine couplings with HCFlow's soft clamp of the log-scale, logscale = 0.318·atan(2·s) (so |logscale|
 * < 0.5, the code's "version 3"):
 *  - affineCoupling: z1 = first ⌊C/2⌋ channels, (shift, s) = NN(z1 [, cond]) split "cross" (even
 *    channels shift, odd s), z2' = (z2 + shift)·exp(logscale), log-det Σ logscale;
 *  - affine3Shift (rescaling main flow), alternating: LR-vs-others steps take the 3 LR channels as
 *    z1 and scale-shift the rest; the other steps shift the 3 LR channels by NN(the rest), volume-preserving.
 */
import type { Value } from '../graph/graph.js';
import { add, atan, concat, exp, mul, neg, reduceSum, reshape, split, sub } from '../graph/index.js';
import type { FlowContext, InvertibleBlock } from './context.js';
import type { Layer } from './convs.js';
import { type SubnetKind, subnet } from './subnets.js';

/** Even and odd channels of h (thops.split_feature(h, "cross")). */
export function splitCross(h: Value): [Value, Value] {
  const [n, c, hh, w] = h.shape;
  const [even, odd] = split(reshape(h, [n, c / 2, 2, hh, w]), 2, [1, 1]);
  return [reshape(even, [n, c / 2, hh, w]), reshape(odd, [n, c / 2, hh, w])];
}

export function softClampLogScale(s: Value): Value {
  return mul(atan(mul(s, 2)), 0.318);
}

function netInput(z1: Value, cond: Value | undefined): Value {
  return cond ? concat([z1, cond], 1) : z1;
}

function perSampleSum(x: Value): Value {
  return reduceSum(x, [1, 2, 3]);
}

/** z2 ↦ (z2 + shift)·exp(logscale) and back, with (shift, s) from net(input). */
function affineHalf(net: Layer) {
  const params = (input: Value) => {
    const [shift, s] = splitCross(net(input));
    return { shift, logscale: softClampLogScale(s) };
  };
  return {
    forward(z2: Value, input: Value) {
      const { shift, logscale } = params(input);
      return { y: mul(add(z2, shift), exp(logscale)), logdet: perSampleSum(logscale) };
    },
    inverse(y2: Value, input: Value) {
      const { shift, logscale } = params(input);
      return sub(mul(y2, exp(neg(logscale))), shift);
    },
  };
}

export interface CouplingSpec {
  channels: number;
  condChannels?: number;
  net: SubnetKind;
  hidden: number;
}

export function affineCoupling(ctx: FlowContext, name: string, spec: CouplingSpec): InvertibleBlock {
  const c1 = Math.floor(spec.channels / 2);
  const c2 = spec.channels - c1;
  const half = affineHalf(subnet(spec.net, ctx, `${name}.f`, c1 + (spec.condChannels ?? 0), 2 * c2, spec.hidden));
  return {
    forward(x, cond) {
      const [z1, z2] = split(x, 1, [c1, c2]);
      const out = half.forward(z2, netInput(z1, cond));
      return { y: concat([z1, out.y], 1), logdet: out.logdet };
    },
    inverse(y, cond) {
      const [z1, y2] = split(y, 1, [c1, c2]);
      return concat([z1, half.inverse(y2, netInput(z1, cond))], 1);
    },
  };
}

const LR_CHANNELS = 3;

export function affine3Shift(ctx: FlowContext, name: string, spec: CouplingSpec & { lrVsOthers: boolean }): InvertibleBlock {
  const rest = spec.channels - LR_CHANNELS;
  const cond = spec.condChannels ?? 0;
  if (spec.lrVsOthers) {
    const half = affineHalf(subnet(spec.net, ctx, `${name}.f`, LR_CHANNELS + cond, 2 * rest, spec.hidden));
    return {
      forward(x, u) {
        const [lr, others] = split(x, 1, [LR_CHANNELS, rest]);
        const out = half.forward(others, netInput(lr, u));
        return { y: concat([lr, out.y], 1), logdet: out.logdet };
      },
      inverse(y, u) {
        const [lr, others] = split(y, 1, [LR_CHANNELS, rest]);
        return concat([lr, half.inverse(others, netInput(lr, u))], 1);
      },
    };
  }
  const net = subnet(spec.net, ctx, `${name}.f`, rest + cond, LR_CHANNELS, spec.hidden);
  return {
    forward(x, u) {
      const [lr, others] = split(x, 1, [LR_CHANNELS, rest]);
      return { y: concat([add(lr, net(netInput(others, u))), others], 1), logdet: null };
    },
    inverse(y, u) {
      const [lr, others] = split(y, 1, [LR_CHANNELS, rest]);
      return concat([sub(lr, net(netInput(others, u))), others], 1);
    },
  };
}
