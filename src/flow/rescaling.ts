/**
 * HCFlowNet_Rescaling's training objective (methods.md §4.4): the forward pass gives the learned LR
 * ŷ and the standardised latents z; the reverse pass, inside the same graph, reconstructs the HR from
 * the 8-bit quantised ŷ (straight-through) and latents drawn at τ = 1.
 *   loss = 0.05·MSE(clamp(ŷ), bicubic LR) + 1e-5·mean(z²) + 1.0·L1(clamp(x̂), x)
 */
import type { Value } from '../graph/graph.js';
import { add, clip, div, l1, mse, mul, numel, reduceSum, square, sumAll } from '../graph/index.js';
import type { FlowNet } from './flownet.js';
import { quantizeStraightThrough, sampleLatents } from './quantize.js';

export const RESCALING_LOSS_WEIGHTS = { lr: 0.05, z: 1e-5, hr: 1 };

export interface LossTerms {
  total: Value;
  /** Unweighted terms, for reports. */
  terms: Record<string, Value>;
}

/** mean of z² over every latent entry of every level together (the official torch.cat(...).mean()). */
export function latentMeanSquare(latents: Value[]): Value {
  const count = latents.reduce((s, z) => s + numel(z.shape), 0);
  return div(sumAll(latents.map((z) => reduceSum(square(z)))), count);
}

export function rescalingLoss(net: FlowNet, hr: Value, lrTarget: Value, noiseKey: Value, temperature = 1): LossTerms {
  const fwd = net.forward(hr);
  const lr = clip(fwd.y, 0, 1);
  const lrLoss = mse(lr, lrTarget);
  const zLoss = latentMeanSquare(fwd.latents);
  const eps = sampleLatents(
    noiseKey,
    fwd.latents.map((z) => z.shape),
    temperature,
  );
  const hrHat = clip(net.inverse(quantizeStraightThrough(lr), eps), 0, 1);
  const hrLoss = l1(hrHat, hr);
  const w = RESCALING_LOSS_WEIGHTS;
  const total = add(add(mul(lrLoss, w.lr), mul(zLoss, w.z)), mul(hrLoss, w.hr));
  return { total, terms: { lr_mse: lrLoss, z_mean_square: zLoss, hr_l1: hrLoss } };
}
