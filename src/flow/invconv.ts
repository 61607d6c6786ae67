/**
 * Invertible 1×1 convolution (Glow) in LU form: W = L·U, L unit lower-triangular, U upper-triangular
 * with diagonal exp(logS). Then log|det W| = Σ logS (times H·W for the conv), whose gradient is
 * trivial, and W⁻¹ = U⁻¹·L⁻¹ needs only triangular inverses, which the graph computes exactly with
 * matrix products (below) — so the inverse pass, which the rescaling loss differentiates, has exact
 * gradients too. The official code stores W densely and uses slogdet/inverse; Glow's LU variant (as
 * here) starts from the same random rotation. No permutation or sign buffers: see rotationLU.
 */
import type { Value } from '../graph/graph.js';
import { add, conv2d, exp, matmul, mul, neg, reduceSum, reshape } from '../graph/index.js';
import type { FlowContext, InvertibleBlock } from './context.js';
import { rotationLU } from './host-linalg.js';
import type { Rng } from '../util/random.js';

function triangleMask(g: Value['graph'], c: number, part: 'lower' | 'upper' | 'eye'): Value {
  const data = new Float32Array(c * c);
  for (let i = 0; i < c; i++) {
    for (let j = 0; j < c; j++) data[i * c + j] = (part === 'lower' ? j < i : part === 'upper' ? j > i : i === j) ? 1 : 0;
  }
  return g.constant(data, [c, c], `${part}_mask`);
}

/**
 * (I + N)⁻¹ for a strictly triangular (so nilpotent, Nᶜ = 0) N: the finite series Σ (−N)ᵏ, computed as
 * (I − N)(I + N²)(I + N⁴)… — ⌈log₂ C⌉ products, exact up to rounding.
 */
export function inverseUnitTriangular(strict: Value): Value {
  const c = strict.shape[0];
  const eye = triangleMask(strict.graph, c, 'eye');
  let power = neg(strict);
  let inv = add(eye, power);
  for (let span = 2; span < c; span *= 2) {
    power = matmul(power, power);
    inv = matmul(inv, add(eye, power));
  }
  return inv;
}

export function invConv1x1(ctx: FlowContext, name: string, channels: number): InvertibleBlock {
  const c = channels;
  // The three factors share one random rotation, drawn when the first is filled (creation order).
  let start: ReturnType<typeof rotationLU> | null = null;
  const p = ctx.params;
  const drawStart = (rng: Rng, out: Float32Array) => {
    start = rotationLU(rng, c);
    out.set(start.lower);
  };
  const lowerP = p.create(`${name}.lower`, [c, c], { kind: 'custom', fill: drawStart });
  const logS = p.create(`${name}.log_s`, [c], { kind: 'custom', fill: (_rng, out) => out.set(start!.logS) });
  const upperP = p.create(`${name}.upper`, [c, c], { kind: 'custom', fill: (_rng, out) => out.set(start!.upper) });
  const g = ctx.params.graph;
  const strictLower = mul(lowerP, triangleMask(g, c, 'lower'));
  const strictUpper = mul(upperP, triangleMask(g, c, 'upper'));

  const weight = (): Value => {
    const eye = triangleMask(g, c, 'eye');
    const l = add(strictLower, eye);
    const u = add(strictUpper, mul(eye, reshape(exp(logS), [1, c])));
    return reshape(matmul(l, u), [c, c, 1, 1]);
  };
  const inverseWeight = (): Value => {
    const invDiag = exp(neg(logS));
    // U = D·(I + D⁻¹M): U⁻¹ = (I + D⁻¹M)⁻¹·D⁻¹ (rows of M scaled, then columns of the inverse).
    const uInv = mul(inverseUnitTriangular(mul(strictUpper, reshape(invDiag, [c, 1]))), reshape(invDiag, [1, c]));
    return reshape(matmul(uInv, inverseUnitTriangular(strictLower)), [c, c, 1, 1]);
  };

  return {
    forward(x) {
      return { y: conv2d(x, weight(), null), logdet: mul(reduceSum(logS), x.shape[2] * x.shape[3]) };
    },
    inverse(y) {
      return conv2d(y, inverseWeight(), null);
    },
  };
}
