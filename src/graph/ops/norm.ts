/**
 * Batch normalisation in training mode (DIP never switches to eval: statistics are those of the
 * current image over N·H·W), and the mean-only variant of the spectral-bias decoder. Both carry a
 * hand-written backward (the compact closed form) instead of differentiating the primitives.
 */
import { GraphError } from '../../util/errors.js';
import { shapeStr, type Value } from '../graph.js';
import { add, mul, sub } from './elementwise.js';
import { reduceSum } from './reduce.js';
import { reshape } from './shape.js';

function channelView(v: Value, c: number): Value {
  return reshape(v, [1, c, 1, 1]);
}

function raw(op: string, inputs: Value[], shape: readonly number[]): Value {
  return inputs[0].graph.addNode(op, inputs, [{ shape }])[0];
}

/**
 * Per-channel sum over (N, H, W), [1, C, 1, 1]: over W first, then over N and H. One ReduceMean over
 * H·W float32 values on onnxruntime-web's WebAssembly backend missed the float64 mean by up to ~10×
 * more than the CPU provider (1.7e-6 vs 1.8e-7 relative at 64², 7.6e-6 vs 3e-7 at 512²); two short
 * passes keep both near 2e-7. Batch norm needs it: x − μ amplifies μ's error by |μ|/σ
 * (test/batchnorm-accuracy.test.ts).
 */
function channelSum(x: Value): Value {
  const [n, c, h] = x.shape;
  const rows = x.shape[3] > 1 ? reduceSum(x, [3], true) : x;
  return n * h > 1 ? reduceSum(rows, [0, 2], true) : reshape(rows, [1, c, 1, 1]);
}

function channelMean(x: Value): Value {
  const [n, , h, w] = x.shape;
  return mul(channelSum(x), 1 / (n * h * w));
}

/** y = γ·(x − μ)/√(σ² + ε) + β with biased σ² over (N, H, W); γ, β of shape [C]. */
export function batchNorm(x: Value, gamma: Value, beta: Value, eps = 1e-5): Value {
  if (x.shape.length !== 4) throw new GraphError(`batchNorm: need NCHW, got ${shapeStr(x.shape)}`);
  const [n, c, h, w] = x.shape;
  if (gamma.shape[0] !== c || beta.shape[0] !== c) throw new GraphError(`batchNorm: ${c} channels but γ ${shapeStr(gamma.shape)}`);
  const g = x.graph;
  const stat = [1, c, 1, 1];
  const count = n * h * w;
  // The statistics carry no gradient of their own: the closed form below already accounts for μ and σ.
  const mu = channelMean(x);
  const [xc] = g.addNode('Sub', [x, mu], [{ shape: x.shape }], {}, ([d]) => [d, null]);
  const variance = channelMean(raw('Mul', [xc, xc], x.shape));
  const invStd = raw('Reciprocal', [raw('Sqrt', [raw('Add', [variance, g.scalar(eps)], stat)], stat)], stat);
  const [xhat] = g.addNode('Mul', [xc, invStd], [{ shape: x.shape }], {}, ([dxhat]) => {
    if (!dxhat) return [null, null];
    // dx = (dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) / σ
    const m1 = channelSum(dxhat);
    const m2 = channelSum(mul(dxhat, xhat));
    const centred = sub(sub(dxhat, mul(m1, 1 / count)), mul(xhat, mul(m2, 1 / count)));
    return [mul(centred, invStd), null];
  });
  return add(mul(xhat, channelView(gamma, c)), channelView(beta, c));
}

/** Mean-only batch norm (spectral-bias decoder): y = x − mean(x) + β. */
export function meanOnlyBatchNorm(x: Value, beta: Value): Value {
  const [, c] = x.shape;
  return add(sub(x, channelMean(x)), channelView(beta, c));
}
