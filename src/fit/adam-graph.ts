/**
 * Adam as graph nodes, with PyTorch's formula: the training-step graphs (DIP's and the flows') apply
 * it to every parameter so one session.run does forward, backward and update. The bias corrections
 * are per-step scalars fed from the host (adamScalars).
 */
import type { Value } from '../graph/graph.js';
import { add, clip, div, mul, reduceSum, sqrt, square, sub, sumAll } from '../graph/index.js';

export interface AdamOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

export const ADAM_DEFAULTS: AdamOptions = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

/** The step's scalar inputs: lr_t / (1 − β1^t) and 1 / √(1 − β2^t). */
export interface AdamStepInputs {
  stepSize: Value;
  invSqrtBc2: Value;
}

/** One parameter's next value and moments: m' = β1·m + (1−β1)·g, v' = β2·v + (1−β2)·g², p' = p − s·m' / (√v'·c + ε). */
export function adamUpdate(p: Value, grad: Value, m: Value, v: Value, adam: AdamOptions, step: AdamStepInputs): { p: Value; m: Value; v: Value } {
  const m2 = add(mul(m, adam.beta1), mul(grad, 1 - adam.beta1));
  const v2 = add(mul(v, adam.beta2), mul(square(grad), 1 - adam.beta2));
  const denom = add(mul(sqrt(v2), step.invSqrtBc2), adam.eps);
  return { p: sub(p, mul(div(m2, denom), step.stepSize)), m: m2, v: v2 };
}

/** PyTorch Adam's per-step scalars: step size lr / (1 − β1^t) and 1 / √(1 − β2^t), t starting at 1. */
export function adamScalars(adam: AdamOptions, t: number): { stepSize: number; invSqrtBc2: number } {
  return { stepSize: adam.lr / (1 - adam.beta1 ** t), invSqrtBc2: 1 / Math.sqrt(1 - adam.beta2 ** t) };
}

export interface GradientClip {
  /** Each gradient entry is clipped to [−value, value] first (torch clip_grad_value_). */
  value: number;
  /** Then all gradients are scaled by min(1, norm / (‖g‖₂ + 1e-6)) (torch clip_grad_norm_). */
  norm: number;
}

/** Both clips, in that order, over all gradients together; also returns ‖g‖₂ after the value clip. */
export function clipGradients(grads: Value[], c: GradientClip): { grads: Value[]; norm: Value } {
  const clipped = grads.map((g) => clip(g, -c.value, c.value));
  const norm = sqrt(sumAll(clipped.map((g) => reduceSum(square(g)))));
  const coef = clip(div(c.norm, add(norm, 1e-6)), 0, 1);
  return { grads: clipped.map((g) => mul(g, coef)), norm };
}
