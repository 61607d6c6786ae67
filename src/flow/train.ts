/**
 * The HCFlow training loop: one run of the step graph per batch, state swapped by reference (as the
 * DIP loop does), ActNorm's data-dependent init on the first batch, a multi-step learning-rate
 * schedule, and steps with a non-finite loss skipped (the official trainer drops non-finite terms;
 * the step counter still advances, as there). Step t's batch and noise depend on (seed, t) only, so a
 * run resumed from a saved TrainState continues exactly as the uninterrupted one.
 */
import { noiseKeys } from '../graph/ops/random.js';
import type { HostArray, Engine } from '../runtime/engine.js';
import { adamScalars } from '../fit/adam-graph.js';
import { Rng } from '../util/random.js';
import type { FlowModelKind } from './config.js';
import { buildFlowInitGraph, buildFlowTrainStep, FLOW_STATE, type FlowTrainSpec } from './train-step.js';

/** One batch in NCHW planar layout: hr [B, 3, P, P] and its bicubic lr [B, 3, P/s, P/s]. */
export interface FlowBatch {
  hr: Float32Array;
  lr: Float32Array;
}

export interface BatchSource {
  /** The batch of step `step` (1-based); the same step always gives the same batch. */
  batch(step: number): FlowBatch;
}

export interface TrainFlowOptions {
  steps: number;
  seed: number;
  /** The learning rate is multiplied by `gamma` at each of these steps (MultiStepLR). */
  milestones?: number[];
  gamma?: number;
  /** Called after every step with the state it left; awaited (validation, checkpoints). */
  onStep?: (report: StepReport, state: TrainState) => void | Promise<void>;
  /** Checked before every step: once true (an interruption, a time limit), the loop returns its state. */
  shouldStop?: () => boolean;
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

/**
 * Where the official schedules halve the learning rate, as fractions of training: rescaling at
 * 100k/200k/300k/400k/450k of 500k iterations, SR at 50/75/90/95 % of 300k (methods.md §4.3–4.4).
 */
export const MILESTONE_FRACTIONS: Record<FlowModelKind, readonly number[]> = {
  rescaling: [0.2, 0.4, 0.6, 0.8, 0.9],
  sr: [0.5, 0.75, 0.9, 0.95],
};

/** The official halvings at the same fractions of a training of `steps` steps. */
export function scaledMilestones(kind: FlowModelKind, steps: number): number[] {
  return MILESTONE_FRACTIONS[kind].map((f) => Math.round(f * steps));
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
  const state: TrainState = start ?? { params: await initialFlowParams(engine, spec, data.batch(1), options.seed), m: [], v: [], step: 0, seconds: 0 };
  if (!state.m.length) state.m = state.params.map((p) => new Float32Array(p.length));
  if (!state.v.length) state.v = state.params.map((p) => new Float32Array(p.length));
  const names = step.params.values.map((p) => p.name);
  const program = await engine.compile(step.graph);
  const began = performance.now() - state.seconds * 1000;
  try {
    for (let k = 0; k < options.steps && !options.shouldStop?.(); k++) {
      const t = state.step + 1;
      const lr = learningRate(spec.adam.lr, state.step, options.milestones, options.gamma);
      const out = await program.run(stepFeeds(spec, state, names, data.batch(t), options.seed, t, lr));
      const loss = out.loss[0];
      const skipped = !Number.isFinite(loss);
      if (!skipped) {
        state.params = names.map((name) => out[`${name}_next`]);
        state.m = names.map((_, i) => out[`${FLOW_STATE.m(i)}_next`]);
        state.v = names.map((_, i) => out[`${FLOW_STATE.v(i)}_next`]);
      }
      state.step = t;
      state.seconds = (performance.now() - began) / 1000;
      const terms = Object.fromEntries(step.terms.map((n) => [n, out[n][0]]));
      await options.onStep?.({ step: t, loss, terms, gradNorm: out.grad_norm?.[0], lr, seconds: state.seconds, skipped }, state);
    }
  } finally {
    await program.release();
  }
  return state;
}

function stepFeeds(spec: FlowTrainSpec, state: TrainState, names: string[], batch: FlowBatch, seed: number, t: number, lr: number): Record<string, HostArray> {
  const { stepSize, invSqrtBc2 } = adamScalars({ ...spec.adam, lr }, t);
  const feeds: Record<string, HostArray> = {
    hr: batch.hr,
    lr: batch.lr,
    noise_key: noiseKeys(seed, t),
    step_size: Float32Array.of(stepSize),
    inv_sqrt_bc2: Float32Array.of(invSqrtBc2),
  };
  names.forEach((name, i) => {
    feeds[name] = state.params[i];
    feeds[FLOW_STATE.m(i)] = state.m[i];
    feeds[FLOW_STATE.v(i)] = state.v[i];
  });
  return feeds;
}
