/**
 * One training step as one ONNX graph: perturbed input code → network → task loss → gradients →
 * Adam update (PyTorch's exact formula) → exponential smoothing of the output. The runtime feeds
 * the current state and receives the next state, the loss and the images of this step.
 */
import { Graph, type Value } from '../graph/graph.js';
import { add, gradients, hashedNormal, mul, reduceSum, sub, square } from '../graph/index.js';
import { Params, type ParamInit, type ParamRole } from '../graph/params.js';
import { blurMetric, emitChange, greyOf, mlvSharpness, wmvTerms, type MonitorSpec } from '../stop/metrics-graph.js';
import { type AdamOptions, adamUpdate } from './adam-graph.js';

export { ADAM_DEFAULTS, type AdamOptions, adamScalars } from './adam-graph.js';

/** What a task contributes: named data inputs and a loss of the network output. */
export interface LossSpec {
  /** Extra graph inputs (targets, masks, guides): name → shape. */
  inputs: Record<string, number[]>;
  /** The data term: the `loss` output, which the stopping rules and backtracking read. */
  loss: (output: Value, inputs: Record<string, Value>) => Value;
  /** A prior on the output (total variation) added to the data term for the gradient only. */
  regularizer?: (output: Value) => Value;
}

/**
 * What a step trains, when not every network parameter: the parameters of these roles, and with
 * `code`, the input code too, as a parameter drawn from that distribution (role 'code'). A frozen
 * parameter stays a graph input, but no gradient of it is asked for and it has no Adam state, so no
 * node of its gradient is emitted.
 */
export interface TrainableSet {
  roles: readonly ParamRole[];
  code?: ParamInit;
}

export interface StepGraphSpec {
  inputShape: number[];
  network: (params: Params, input: Value) => Value;
  loss: LossSpec;
  adam: AdamOptions;
  /**
   * Adds z + σ·N(0, 1) (the DIP code's reg-noise), σ fed per step; the noise is a hash of a per-step key
   * fed as `noise_key` (src/graph/ops/random.ts: ONNX RandomNormalLike cycles too soon).
   */
  regNoise?: boolean;
  /** λ of the Lipschitz cap on conv weights (0/undefined = off). */
  lipschitz?: number;
  /** Adds inputs `reference` and `reference_weight` and outputs the weighted squared error of the raw and smoothed output. */
  monitorReference?: boolean;
  /** Per-step statistics of the raw output for stopping rules (src/stop/metrics-graph.ts). */
  monitors?: MonitorSpec;
  /** Absent: every network parameter is trained and the code is a fixed input `z`. */
  trainable?: TrainableSet;
  /**
   * A part of a larger fit (a tile of a joint tiled fit, src/tile/joint-program.ts): instead of
   * updating, the step adds `scale` × its gradients to inputs `acc<i>` (outputs `acc<i>_next`) and
   * outputs `scale` × its loss and the raw output; Adam, smoothing and monitors are the caller's.
   */
  accumulate?: { scale: number };
}

/** The accumulated gradient of parameter i (joint tiled fits). */
export const ACC = (i: number) => `acc${i}`;

export interface StepGraph {
  graph: Graph;
  params: Params;
  outputShape: readonly number[];
  /** Per parameter: whether the step updates it (frozen ones have no moments and no next value). */
  trained: readonly boolean[];
  /** Names of the per-step inputs (no `z` when the code is a trained parameter). */
  names: { z?: string; noiseStd: string; noiseKey?: string; stepSize: string; invSqrtBc2: string; avg: string; avgWeight: string };
}

export const STATE = { param: (i: number) => `p${i}`, m: (i: number) => `m${i}`, v: (i: number) => `v${i}` };

export function buildStepGraph(spec: StepGraphSpec): StepGraph {
  const g = new Graph('dip_step');
  const params = new Params(g);
  params.lipschitz = spec.lipschitz ?? 0;
  const code = spec.trainable?.code;
  const z = code ? params.create('code', spec.inputShape, code, 'code') : g.input('z', spec.inputShape);
  const noiseStd = g.input('noise_std', []);
  const noiseKey = spec.regNoise ? g.input('noise_key', [2], 'int64') : undefined;
  const input = noiseKey ? add(z, mul(hashedNormal(noiseKey, z.shape), noiseStd)) : z;
  const data: Record<string, Value> = {};
  for (const [name, shape] of Object.entries(spec.loss.inputs)) data[name] = g.input(name, shape);
  const output = spec.network(params, input);
  const loss = spec.loss.loss(output, data);
  const objective = spec.loss.regularizer ? add(loss, spec.loss.regularizer(output)) : loss;
  const trained = params.specs.map((p) => !spec.trainable || spec.trainable.roles.includes(p.role));
  const grads = gradients(
    objective,
    params.values.filter((_, i) => trained[i]),
  );
  if (spec.accumulate) return accumulatingStep(g, params, trained, grads, spec.accumulate.scale, loss, output, noiseStd, noiseKey);
  const stepSize = g.input('step_size', []);
  const invSqrtBc2 = g.input('inv_sqrt_bc2', []);
  g.output(loss, 'loss');
  g.output(output, 'output');
  const avg = g.input('avg', output.shape);
  const avgWeight = g.input('avg_weight', []);
  // avg' = w·avg + (1 − w)·out; the first step feeds w = 0.
  const avgNext = add(mul(avg, avgWeight), mul(output, sub(1, avgWeight)));
  g.output(avgNext, 'avg_next');
  addMonitors(g, spec, output, avgNext);
  addAuxOutputs(g, params);
  addAdamUpdates(g, params, trained, grads, spec.adam, stepSize, invSqrtBc2);
  return {
    graph: g,
    params,
    outputShape: output.shape,
    trained,
    names: {
      z: code ? undefined : z.name,
      noiseStd: noiseStd.name,
      noiseKey: noiseKey?.name,
      stepSize: stepSize.name,
      invSqrtBc2: invSqrtBc2.name,
      avg: avg.name,
      avgWeight: avgWeight.name,
    },
  };
}

/** A step of one part of a fit: scaled loss, raw output and accumulated gradients out; nothing updated. */
function accumulatingStep(
  g: Graph,
  params: Params,
  trained: boolean[],
  grads: (Value | null)[],
  scale: number,
  loss: Value,
  output: Value,
  noiseStd: Value,
  noiseKey: Value | undefined,
): StepGraph {
  g.output(mul(loss, scale), 'loss');
  g.output(output, 'output');
  const indices = params.values.flatMap((_, i) => (trained[i] ? [i] : []));
  indices.forEach((i, k) => {
    const acc = g.input(ACC(i), params.values[i].shape);
    const grad = grads[k];
    g.output(grad ? add(acc, mul(grad, scale)) : acc, `${ACC(i)}_next`);
  });
  const none = '';
  return {
    graph: g,
    params,
    outputShape: output.shape,
    trained,
    names: { noiseStd: noiseStd.name, noiseKey: noiseKey?.name, stepSize: none, invSqrtBc2: none, avg: none, avgWeight: none },
  };
}

/**
 * Adam alone (joint tiled fits): each trained parameter, its moments and its accumulated gradient
 * `g<i>` in, the next parameter and moments out, with the step's `step_size` and `inv_sqrt_bc2`.
 */
export function buildAdamGraph(step: StepGraph, adam: AdamOptions): Graph {
  const g = new Graph('adam_step');
  const stepSize = g.input('step_size', []);
  const invSqrtBc2 = g.input('inv_sqrt_bc2', []);
  step.params.values.forEach((p, i) => {
    if (!step.trained[i]) return;
    const next = adamUpdate(g.input(p.name, p.shape), g.input(`g${i}`, p.shape), g.input(STATE.m(i), p.shape), g.input(STATE.v(i), p.shape), adam, {
      stepSize,
      invSqrtBc2,
    });
    g.output(next.p, `${STATE.param(i)}_next`);
    g.output(next.m, `${STATE.m(i)}_next`);
    g.output(next.v, `${STATE.v(i)}_next`);
  });
  return g;
}

/** What the monitors need to know of the step (the joint tiled fit's stitching graph builds them too). */
export type MonitorOptions = Pick<StepGraphSpec, 'monitors' | 'monitorReference'>;

/** Per-step statistics for stopping rules and the reference PSNR, computed in the graph (no per-step host loop). */
export function addMonitors(g: Graph, spec: MonitorOptions, output: Value, avgNext: Value): void {
  if (spec.monitors?.blurSharp) {
    const grey = greyOf(output);
    g.output(blurMetric(grey), 'blur');
    g.output(mlvSharpness(grey), 'sharp');
  }
  if (spec.monitors?.wmv) {
    const t = wmvTerms(output, g.input('wmv_sum', output.shape), g.input('wmv_oldest', output.shape));
    g.output(t.sumNext, 'wmv_sum_next');
    g.output(t.sq, 'wmv_sq');
    g.output(t.sumSq, 'wmv_sum_sq');
  }
  if (spec.monitors?.change) emitChange(g, spec.monitors.change, spec.monitors.change.smoothed ? avgNext : output);
  if (spec.monitorReference) {
    const ref = g.input('reference', output.shape);
    const weight = g.input('reference_weight', output.shape);
    g.output(reduceSum(square(mul(sub(output, ref), weight))), 'ref_se');
    g.output(reduceSum(square(mul(sub(avgNext, ref), weight))), 'ref_se_avg');
  }
}

/** The auxiliary state's next values and the spectral norms of Lipschitz-capped weights. */
function addAuxOutputs(g: Graph, params: Params): void {
  for (const a of params.aux) {
    if (!a.output) throw new Error(`state ${a.name} has no next value`);
    g.output(a.output, `${a.input.name}_next`);
  }
  params.sigmas.forEach((s, i) => {
    g.output(s.value, `sigma${i}`);
  });
}

/** Fused Adam with PyTorch's formula: each trained parameter and its two moments in, their next values out. */
function addAdamUpdates(
  g: Graph,
  params: Params,
  trained: readonly boolean[],
  grads: (Value | null)[],
  adam: AdamOptions,
  stepSize: Value,
  invSqrtBc2: Value,
): void {
  const indices = params.values.flatMap((_, i) => (trained[i] ? [i] : []));
  indices.forEach((i, k) => {
    const p = params.values[i];
    const grad = grads[k];
    const m = g.input(STATE.m(i), p.shape);
    const v = g.input(STATE.v(i), p.shape);
    if (!grad) {
      // A parameter the loss does not reach (possible in masked tasks): state passes through unchanged.
      g.output(p, `${STATE.param(i)}_next`);
      g.output(m, `${STATE.m(i)}_next`);
      g.output(v, `${STATE.v(i)}_next`);
      return;
    }
    const next = adamUpdate(p, grad, m, v, adam, { stepSize, invSqrtBc2 });
    g.output(next.p, `${STATE.param(i)}_next`);
    g.output(next.m, `${STATE.m(i)}_next`);
    g.output(next.v, `${STATE.v(i)}_next`);
  });
}
