/**
 * Lipschitz-controlled convolution (Shi et al., methods.md §3.3): every step the weight is used as
 * W / max(1, σmax(W)/λ), σmax the largest singular value of W reshaped to [C_out, C_in·k·k], treated
 * as a constant in the backward pass (the official code reads it from the detached weight).
 *
 * σmax comes from power iteration inside the step graph, warm-started from the previous step's
 * right singular vector (carried as state), `iterations` rounds per step. The official code uses a full
 * SVD because a single cold power step was inaccurate; warm-started repeated rounds converge to the
 * SVD value (test/lipschitz.test.ts checks it against an independent Jacobi SVD).
 */
import type { Value } from '../graph/graph.js';
import { reshape } from '../graph/index.js';
import type { Params } from '../graph/params.js';

function raw(op: string, inputs: Value[], shape: readonly number[], attrs: Record<string, number> = {}): Value {
  return inputs[0].graph.addNode(op, inputs, [{ shape }], attrs)[0];
}

/** ‖x‖₂ of a vector, as a [1] tensor (no gradient: these nodes have no backward rules). */
function norm(x: Value): Value {
  const g = x.graph;
  const all = g.constantInt64(x.shape.map((_, i) => i));
  return raw(
    'Reshape',
    [
      raw(
        'Sqrt',
        [
          raw(
            'ReduceSumSquare',
            [x, all],
            x.shape.map(() => 1),
            { keepdims: 1 },
          ),
        ],
        x.shape.map(() => 1),
      ),
      g.constantInt64([1]),
    ],
    [1],
  );
}

/**
 * Power iteration on the detached matrix; returns σmax and the next warm-start vector. Vectors are
 * kept 2-D ([n, 1] and [1, n]) and Wᵀu is computed as uᵀW: no Transpose node (ONNX Runtime's
 * MatMul/Transpose fusion mishandled the 1-D form here).
 */
export function spectralNorm(w2: Value, v0: Value, iterations: number): { sigma: Value; v: Value } {
  const g = w2.graph;
  const [rows, cols] = w2.shape;
  const eps = g.scalar(1e-12);
  let v = raw('Reshape', [v0, g.constantInt64([cols, 1])], [cols, 1]);
  for (let k = 0; k < iterations; k++) {
    const u0 = raw('MatMul', [w2, v], [rows, 1]);
    const u = raw('Div', [u0, raw('Add', [norm(u0), eps], [1])], [rows, 1]);
    const ut = raw('Reshape', [u, g.constantInt64([1, rows])], [1, rows]);
    const v1 = raw('Reshape', [raw('MatMul', [ut, w2], [1, cols]), g.constantInt64([cols, 1])], [cols, 1]);
    v = raw('Div', [v1, raw('Add', [norm(v1), eps], [1])], [cols, 1]);
  }
  const sigma = norm(raw('MatMul', [w2, v], [rows, 1]));
  return { sigma, v: raw('Reshape', [v, g.constantInt64([cols])], [cols]) };
}

/** W / max(1, σ/λ); the divisor is a constant for differentiation. Registers the warm-start state. */
export function lipschitzWeight(params: Params, name: string, w: Value, lambda: number, iterations = 4): Value {
  const g = w.graph;
  const [co] = w.shape;
  const cols = w.shape.slice(1).reduce((a, b) => a * b, 1);
  const v0 = params.state(`${name}.sn_v`, [cols], 'unit-random');
  const w2 = raw('Reshape', [w, g.constantInt64([co, cols])], [co, cols]);
  const { sigma, v } = spectralNorm(w2, v0, iterations);
  params.stateNext(`${name}.sn_v`, v);
  params.recordSigma(name, sigma);
  const divisor = raw('Max', [raw('Div', [sigma, g.scalar(lambda)], [1]), g.constant([1], [1], 'one')], [1]);
  const scale = raw('Reciprocal', [divisor], [1]);
  // Multiply by a constant-for-autodiff scale: use a differentiable Mul whose second operand has no producer backward.
  return mulConstScale(w, reshape(scale, [1, 1, 1, 1]));
}

function mulConstScale(w: Value, scale: Value): Value {
  const [y] = w.graph.addNode('Mul', [w, scale], [{ shape: w.shape }], {}, ([dy]) => {
    if (!dy) return [null, null];
    const [d] = w.graph.addNode('Mul', [dy, scale], [{ shape: w.shape }]);
    return [d, null];
  });
  return y;
}
