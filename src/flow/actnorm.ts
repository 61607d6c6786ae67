/**
 * ActNorm (Glow): y = (x + b)·exp(s) per channel, log-determinant H·W·Σ s. With data-dependent
 * initialisation (FlowContext.dataInit) b = −mean and s = log(1 / (std + 1e-6)) come from the batch,
 * over (N, H, W), so the first batch leaves the layer with zero mean and unit variance per channel.
 */
import type { Value } from '../graph/graph.js';
import { add, div, exp, log, mul, neg, reduceMean, reduceSum, sqrt, square, sub } from '../graph/index.js';
import type { FlowContext, InvertibleBlock } from './context.js';

export function actNorm(ctx: FlowContext, name: string, channels: number): InvertibleBlock {
  const shape = [1, channels, 1, 1];
  const bias = ctx.params.create(`${name}.bias`, shape, { kind: 'constant', value: 0 }, 'norm-shift');
  const logs = ctx.params.create(`${name}.logs`, shape, { kind: 'constant', value: 0 }, 'norm-scale');

  /** The parameters this pass uses: the learned ones, or (data init) the batch's statistics. */
  const resolve = (x: Value): { b: Value; s: Value } => {
    if (!ctx.dataInit) return { b: bias, s: logs };
    const b = neg(reduceMean(x, [0, 2, 3], true));
    const std = sqrt(reduceMean(square(add(x, b)), [0, 2, 3], true));
    const s = log(div(1, add(std, 1e-6)));
    ctx.recordInit(bias, b);
    ctx.recordInit(logs, s);
    return { b, s };
  };

  return {
    forward(x) {
      const { b, s } = resolve(x);
      const pixels = x.shape[2] * x.shape[3];
      return { y: mul(add(x, b), exp(s)), logdet: mul(reduceSum(s), pixels) };
    },
    inverse(y) {
      return sub(mul(y, exp(neg(logs))), bias);
    },
  };
}
