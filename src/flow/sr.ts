/**
 * HCFlowNet_SR's objective (methods.md §4.2–4.3): the negative log-likelihood of the dequantised HR,
 * in bits per pixel (per H·W, as the official code counts), with the LR treated as a near-Dirac
 * Gaussian (log σ = −6) around the given bicubic LR:
 *   log p = log|det J| + log N(ŷ_q; y*, e⁻⁶) + Σ_l log N(ε_l; 0, I) − H·W·log(quant)
 * where x + U(0, 1/quant) is the input (the official dequantisation, not centred) and ŷ_q the
 * straight-through 8-bit LR. The conditional flows' log σ is already inside log|det J| (cond-flow.ts).
 */
import type { Value } from '../graph/graph.js';
import { add, div, hashedUniform, mean, mul, neg, reduceSum, square, sub, sumAll } from '../graph/index.js';
import type { FlowNet } from './flownet.js';
import { quantizeStraightThrough } from './quantize.js';
import type { LossTerms } from './rescaling.js';

const LOG_2PI = Math.log(2 * Math.PI);
/** log σ of the LR term. */
export const LR_LOG_SIGMA = -6;

/** Σ over (C, H, W) of log N(x; μ, e^logσ) per sample, logσ a constant. */
function gaussianLogp(x: Value, mu: Value, logSigma: number): Value {
  const z2 = mul(square(sub(x, mu)), Math.exp(-2 * logSigma));
  return mul(reduceSum(add(z2, 2 * logSigma + LOG_2PI), [1, 2, 3]), -0.5);
}

function standardNormalLogp(eps: Value): Value {
  return mul(reduceSum(add(square(eps), LOG_2PI), [1, 2, 3]), -0.5);
}

export function srNll(net: FlowNet, hr: Value, lr: Value, noiseKey: Value, quant: number): LossTerms {
  const [, , h, w] = hr.shape;
  const pixels = h * w;
  const noisy = add(hr, div(hashedUniform(noiseKey, hr.shape), quant));
  const fwd = net.forward(noisy);
  const lrLogp = gaussianLogp(quantizeStraightThrough(fwd.y), lr, LR_LOG_SIGMA);
  const latentLogp = sumAll(fwd.latents.map(standardNormalLogp));
  const logdet = fwd.logdet ?? hr.graph.scalar(0);
  const objective = add(add(add(logdet, lrLogp), latentLogp), -Math.log(quant) * pixels);
  const nll = div(mean(neg(objective)), Math.LN2 * pixels);
  return { total: nll, terms: { nll_bits: nll, lr_logp: mean(lrLogp) } };
}
