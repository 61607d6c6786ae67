/**
 * Batch normalisation in training mode (DIP never switches to eval: statistics are those of the
 * current image over N·H·W), and the mean-only variant of the spectral-bias decoder. Both carry a
 * hand-written backward (the compact closed form) instead of differentiating the primitives.
 */
import { GraphError } from '../../util/errors.js';
import { shapeStr, type Value } from '../graph.js';
import { channelScaled } from './channel-scaled.js';
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

/** Per-channel Σ x² over (N, H, W), [1, C, 1, 1], summed in the same order as channelSum (one pass, no x² tensor). */
function channelSumSquares(x: Value): Value {
  const [n, c, h, w] = x.shape;
  const g = x.graph;
  const rows = w > 1 ? raw('ReduceSumSquare', [x, g.constantInt64([3], 'axes')], [n, c, h, 1]) : mul(x, x);
  return n * h > 1 ? reduceSum(rows, [0, 2], true) : reshape(rows, [1, c, 1, 1]);
}

/**
 * y = k·x + b per channel for k, b of shape [1, C, 1, 1], in one pass: ONNX BatchNormalization in
 * inference mode with mean 0, variance 1 and ε = 0 is exactly that affine map (a Mul and an Add would
 * be two passes over the tensor).
 */
function channelAffine(x: Value, k: Value, b: Value): Value {
  const c = x.shape[1];
  const g = x.graph;
  const zeros = g.constant(new Float32Array(c), [c], 'zeros');
  const ones = g.constant(new Float32Array(c).fill(1), [c], 'ones');
  const inputs = [x, reshape(k, [c]), reshape(b, [c]), zeros, ones];
  return g.addNode('BatchNormalization', inputs, [{ shape: x.shape }], { epsilon: 0 })[0];
}

/**
 * y = γ·(x − μ)/√(σ² + ε) + β with biased σ² over (N, H, W); γ, β of shape [C]. The forward pass is
 * three passes over x (x − μ, Σ(x − μ)², one BatchNormalization applying the statistics, γ and β); the
 * backward is written in terms of x − μ, which is kept instead of x̂ (same memory), in four passes.
 */
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
  const variance = mul(channelSumSquares(xc), 1 / count);
  const invStd = raw('Reciprocal', [raw('Sqrt', [raw('Add', [variance, g.scalar(eps)], stat)], stat)], stat);
  const zeros = g.constant(new Float32Array(c), [c], 'zeros');
  const inputs = [xc, gamma, beta, zeros, reshape(variance, [c])];
  const [y] = g.addNode('BatchNormalization', inputs, [{ shape: x.shape }], { epsilon: eps }, ([dy]) => {
    if (!dy) return inputs.map(() => null);
    return [...batchNormBackward(dy, xc, gamma, invStd, count), null, null];
  });
  return y;
}

/**
 * With s₀ = Σ dy and s₁ = Σ dy·(x − μ) per channel: dβ = s₀, dγ = s₁/σ and
 * dx = (γ/σ)·(dy − s₀/N − (x − μ)·s₁/(N·σ²)), the closed form of the normalisation's Jacobian.
 */
function batchNormBackward(dy: Value, xc: Value, gamma: Value, invStd: Value, count: number): [Value, Value, Value] {
  const c = xc.shape[1];
  const s0 = channelSum(dy);
  const s1 = channelSum(mul(dy, xc));
  const slope = mul(mul(mul(invStd, invStd), s1), -1 / count);
  const centred = add(dy, channelAffine(xc, slope, mul(s0, -1 / count)));
  const dx = channelScaled(centred, mul(channelView(gamma, c), invStd));
  return [dx, reshape(mul(s1, invStd), [c]), reshape(s0, [c])];
}

/** Mean-only batch norm (spectral-bias decoder): y = x − mean(x) + β. */
export function meanOnlyBatchNorm(x: Value, beta: Value): Value {
  const [, c] = x.shape;
  return add(sub(x, channelMean(x)), channelView(beta, c));
}
