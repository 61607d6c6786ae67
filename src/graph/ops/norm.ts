/**
 * Batch normalisation in training mode (DIP never switches to eval: statistics are those of the
 * current image over N·H·W), and the mean-only variant of the spectral-bias decoder. Both carry a
 * hand-written backward (the compact closed form) instead of differentiating the primitives.
 */
import { GraphError } from '../../util/errors.js';
import { shapeStr, type Value } from '../graph.js';
import { add, mul, sub } from './elementwise.js';
import { reduceMean, reduceSum } from './reduce.js';
import { reshape } from './shape.js';

function channelView(v: Value, c: number): Value {
  return reshape(v, [1, c, 1, 1]);
}

function raw(op: string, inputs: Value[], shape: readonly number[]): Value {
  return inputs[0].graph.addNode(op, inputs, [{ shape }])[0];
}

/** y = γ·(x − μ)/√(σ² + ε) + β with biased σ² over (N, H, W); γ, β of shape [C]. */
export function batchNorm(x: Value, gamma: Value, beta: Value, eps = 1e-5): Value {
  if (x.shape.length !== 4) throw new GraphError(`batchNorm: need NCHW, got ${shapeStr(x.shape)}`);
  const [n, c, h, w] = x.shape;
  if (gamma.shape[0] !== c || beta.shape[0] !== c) throw new GraphError(`batchNorm: ${c} channels but γ ${shapeStr(gamma.shape)}`);
  const g = x.graph;
  const axes = g.constantInt64([0, 2, 3], 'axes');
  const stat = [1, c, 1, 1];
  const count = n * h * w;
  const mu = raw('ReduceMean', [x, axes], stat);
  // x − μ passes its gradient straight to x: the closed form below already accounts for μ and σ.
  const [xc] = g.addNode('Sub', [x, mu], [{ shape: x.shape }], {}, ([d]) => [d, null]);
  const variance = raw('ReduceMean', [raw('Mul', [xc, xc], x.shape), axes], stat);
  const invStd = raw('Reciprocal', [raw('Sqrt', [raw('Add', [variance, g.scalar(eps)], stat)], stat)], stat);
  const [xhat] = g.addNode('Mul', [xc, invStd], [{ shape: x.shape }], {}, ([dxhat]) => {
    if (!dxhat) return [null, null];
    // dx = (dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) / σ
    const m1 = reduceSum(dxhat, [0, 2, 3], true);
    const m2 = reduceSum(mul(dxhat, xhat), [0, 2, 3], true);
    const centred = sub(sub(dxhat, mul(m1, 1 / count)), mul(xhat, mul(m2, 1 / count)));
    return [mul(centred, invStd), null];
  });
  return add(mul(xhat, channelView(gamma, c)), channelView(beta, c));
}

/** Mean-only batch norm (spectral-bias decoder): y = x − mean(x) + β. */
export function meanOnlyBatchNorm(x: Value, beta: Value): Value {
  const [, c] = x.shape;
  const mu = reduceMean(x, [0, 2, 3], true);
  return add(sub(x, mu), channelView(beta, c));
}
