/**
 * The HCFlow training loop: one run of the step graph per batch, state swapped by reference (as the
 * DIP loop does), ActNorm's data-dependent init on the first batch, a multi-step learning-rate
 * schedule, and steps with a non-finite loss skipped (the official trainer drops non-finite terms).
 */
import { noiseKeys } from '../graph/ops/random.js';
import type { HostArray, Engine } from '../runtime/engine.js';
import { adamScalars } from '../fit/adam-graph.js';
import { AbortError } from '../util/errors.js';
import { Rng } from '../util/random.js';
import { buildFlowInitGraph, buildFlowTrainStep, FLOW_STATE, type FlowTrainSpec } from './train-step.js';

/** One batch in NCHW planar layout: hr [B, 3, P, P] and its bicubic lr [B, 3, P/s, P/s]. */
export interface FlowBatch {
  hr: Float32Array;
  lr: Float32Array;
}

export interface BatchSource {
  next(): FlowBatch;
}

export interface TrainFlowOptions {
  steps: number;
  seed: number;
  /** The learning rate is multiplied by `gamma` at each of these steps (MultiStepLR). */
  milestones?: number[];
  gamma?: number;
  onStep?: (report: StepReport) => void;
  signal?: AbortSignal;
}

export interface StepReport {
  step: number;
  loss: number;
  terms: Record<string, number>;
  gradNorm?: number;
  lr: number;
  seconds: number;
  skipped: boolean;
}

export interface TrainState {
  params: Float32Array[];
  m: Float32Array[];
  v: Float32Array[];
  /** Steps done. */
  step: number;
  seconds: number;
}

export function learningRate(base: number, step: number, milestones: number[] = [], gamma = 0.5): number {
  return base * gamma ** milestones.filter((m) => step >= m).length;
}

/** Fresh weights: the layers' inits, then ActNorm's statistics from `batch` (one forward run). */
export async function initialFlowParams(engine: Engine, spec: FlowTrainSpec, batch: FlowBatch, seed: number): Promise<Float32Array[]> {
  const init = buildFlowInitGraph(spec.model, spec);
  const params = init.params.initialize(new Rng(seed));
  const program = await engine.compile(init.graph);
  try {
    const feeds: Record<string, HostArray> = { hr: batch.hr };
    init.params.values.forEach((p, i) => (feeds[p.name] = params[i]));
    const out = await program.run(feeds);
    for (const { index, name } of init.outputs) params[index] = out[name];
  } finally {
    await program.release();
  }
  return params;
}

export async function trainFlow(engine: Engine, spec: FlowTrainSpec, data: BatchSource, options: TrainFlowOptions, start?: TrainState): Promise<TrainState> {
  const step = buildFlowTrainStep(spec);
  const first = data.next();
  const state: TrainState = start ?? { params: await initialFlowParams(engine, spec, first, options.seed), m: [], v: [], step: 0, seconds: 0 };
  if (!state.m.length) state.m = state.params.map((p) => new Float32Array(p.length));
  if (!state.v.length) state.v = state.params.map((p) => new Float32Array(p.length));
  const names = step.params.values.map((p) => p.name);
  const program = await engine.compile(step.graph);
  const began = performance.now() - state.seconds * 1000;
  try {
    for (let k = 0; k < options.steps; k++) {
      if (options.signal?.aborted) throw new AbortError('training was aborted');
      const batch = k === 0 ? first : data.next();
      const t = state.step + 1;
      const lr = learningRate(spec.adam.lr, state.step, options.milestones, options.gamma);
      const { stepSize, invSqrtBc2 } = adamScalars({ ...spec.adam, lr }, t);
      const feeds: Record<string, HostArray> = {
        hr: batch.hr,
        lr: batch.lr,
        noise_key: noiseKeys(options.seed, t),
        step_size: Float32Array.of(stepSize),
        inv_sqrt_bc2: Float32Array.of(invSqrtBc2),
      };
      names.forEach((name, i) => {
        feeds[name] = state.params[i];
        feeds[FLOW_STATE.m(i)] = state.m[i];
        feeds[FLOW_STATE.v(i)] = state.v[i];
      });
      const out = await program.run(feeds);
      const loss = out.loss[0];
      const skipped = !Number.isFinite(loss);
      if (!skipped) {
        state.params = names.map((name) => out[`${name}_next`]);
        state.m = names.map((_, i) => out[`${FLOW_STATE.m(i)}_next`]);
        state.v = names.map((_, i) => out[`${FLOW_STATE.v(i)}_next`]);
        state.step = t;
      }
      state.seconds = (performance.now() - began) / 1000;
      const terms = Object.fromEntries(step.terms.map((n) => [n, out[n][0]]));
      options.onStep?.({ step: t, loss, terms, gradNorm: out.grad_norm?.[0], lr, seconds: state.seconds, skipped });
    }
  } finally {
    await program.release();
  }
  return state;
}
