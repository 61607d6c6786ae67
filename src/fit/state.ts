/**
 * The fit loop's state: weights, Adam moments and step count, the smoothed output, the auxiliary
 * (Lipschitz) state, the learning-rate scale and the iteration. It builds each step's feeds and
 * takes the step's outputs; everything here goes into a checkpoint, which is what makes a resume exact.
 */
import { noiseKeys } from '../graph/ops/random.js';
import type { HostArray } from '../runtime/engine.js';
import type { CheckpointPayload, FitConfig, FitInit } from './types.js';
import { adamScalars, STATE, type StepGraph } from './step-graph.js';

/** Fresh Adam moments: zeros for each trained parameter, none (an empty array) for a frozen one. */
const freshMoments = (params: Float32Array[], trained: readonly boolean[]) => params.map((p, i) => new Float32Array(trained[i] ? p.length : 0));

export class FitState {
  params: Float32Array[];
  m: Float32Array[];
  v: Float32Array[];
  avg: Float32Array;
  aux: Float32Array[];
  readonly z: Float32Array;
  /** Iterations done. */
  t: number;
  /** Adam's step count (restarts after a divergence recovery). */
  adamT: number;
  lrScale: number;
  private readonly base: Record<string, HostArray>;

  constructor(
    private readonly step: StepGraph,
    private readonly config: FitConfig,
    init: FitInit,
  ) {
    const r = init.resume;
    this.params = r?.params ?? init.params;
    this.m = r?.m ?? init.moments?.m ?? freshMoments(this.params, step.trained);
    this.v = r?.v ?? init.moments?.v ?? freshMoments(this.params, step.trained);
    this.z = r?.z ?? init.z;
    this.avg = r?.avg ?? new Float32Array(step.outputShape.reduce((a, b) => a * b, 1));
    // A checkpoint without aux (none saved before; or a net without Lipschitz caps) starts it afresh.
    this.aux = r?.aux?.length ? r.aux : (init.aux ?? []);
    this.t = r?.iteration ?? 0;
    // A checkpoint has its own step count; a later stage continues the stage before's.
    this.adamT = r ? (r.adamStep ?? r.iteration) : (init.moments?.adamStep ?? 0);
    this.lrScale = (r ? r.lrScale : init.moments?.lrScale) ?? 1;
    this.base = { ...init.data, ...(step.names.z && { [step.names.z]: this.z }), [step.names.noiseStd]: Float32Array.of(config.regNoise) };
  }

  /** The feeds of the next step; `attempt` counts retries of the same step after a non-finite loss. */
  feeds(attempt: number, extra: Record<string, HostArray> = {}): Record<string, HostArray> {
    const { names, params, trained } = this.step;
    const { stepSize, invSqrtBc2 } = adamScalars(this.config.adam, this.adamT + 1);
    const scheduled = this.config.lrFactor?.(this.t) ?? 1;
    const feeds: Record<string, HostArray> = {
      ...this.base,
      // A retried step draws other noise: the attempt is part of the key.
      ...(names.noiseKey ? { [names.noiseKey]: noiseKeys(this.config.noiseSeed, this.t, attempt) } : {}),
      [names.stepSize]: Float32Array.of(stepSize * this.lrScale * scheduled),
      [names.invSqrtBc2]: Float32Array.of(invSqrtBc2),
      [names.avg]: this.avg,
      [names.avgWeight]: Float32Array.of(this.t === 0 ? 0 : this.config.smoothing),
      ...extra,
    };
    params.aux.forEach((a, k) => {
      feeds[a.input.name] = this.aux[k];
    });
    for (let i = 0; i < this.params.length; i++) {
      feeds[params.values[i].name] = this.params[i];
      if (!trained[i]) continue;
      feeds[STATE.m(i)] = this.m[i];
      feeds[STATE.v(i)] = this.v[i];
    }
    return feeds;
  }

  /** The updated weights the step proposes (a frozen parameter stays as it is). */
  nextParams(out: Record<string, Float32Array>): Float32Array[] {
    return this.params.map((p, i) => (this.step.trained[i] ? out[`${STATE.param(i)}_next`] : p));
  }

  /** Takes a finished step's outputs (moments, smoothing, aux); the weights are set by the caller's policy. */
  advance(out: Record<string, Float32Array>, params: Float32Array[]): void {
    this.t++;
    this.adamT++;
    this.params = params;
    this.m = this.m.map((m, i) => (this.step.trained[i] ? out[`${STATE.m(i)}_next`] : m));
    this.v = this.v.map((v, i) => (this.step.trained[i] ? out[`${STATE.v(i)}_next`] : v));
    this.avg = out.avg_next;
    this.aux = this.step.params.aux.map((a) => out[`${a.input.name}_next`]);
  }

  /** Back to `params` with fresh moments and half the step (divergence recovery). */
  restart(params: Float32Array[]): void {
    this.params = params;
    this.m = freshMoments(params, this.step.trained);
    this.v = freshMoments(params, this.step.trained);
    this.adamT = 0;
    this.lrScale /= 2;
  }

  payload(): CheckpointPayload {
    const { t: iteration, params, m, v, z, avg, aux, lrScale, adamT: adamStep } = this;
    return { iteration, params, m, v, z, avg, aux, lrScale, adamStep };
  }
}
