/**
 * The fit loop's state: weights, Adam moments and step count, the smoothed output, the auxiliary
 * (Lipschitz) state, the learning-rate scale and the iteration. It builds each step's feeds and
 * takes the step's outputs; everything here goes into a checkpoint, which is what makes a resume exact.
 */
import { noiseKeys } from '../graph/ops/random.js';
import type { CheckpointData } from '../options/index.js';
import type { HostArray } from '../runtime/engine.js';
import type { FitConfig, FitInit } from './types.js';
import { adamScalars, STATE, type StepGraph } from './step-graph.js';

export type CheckpointPayload = Omit<CheckpointData, 'fingerprint' | 'version' | 'history' | 'best'>;

const zerosLike = (a: Float32Array[]) => a.map((p) => new Float32Array(p.length));

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
    this.m = r?.m ?? zerosLike(this.params);
    this.v = r?.v ?? zerosLike(this.params);
    this.z = r?.z ?? init.z;
    this.avg = r?.avg ?? new Float32Array(step.outputShape.reduce((a, b) => a * b, 1));
    // A checkpoint without aux (none saved before; or a net without Lipschitz caps) starts it afresh.
    this.aux = r?.aux?.length ? r.aux : (init.aux ?? []);
    this.t = r?.iteration ?? 0;
    this.adamT = this.t;
    this.lrScale = r?.lrScale ?? 1;
    this.base = { ...init.data, [step.names.z]: this.z, [step.names.noiseStd]: Float32Array.of(config.regNoise) };
  }

  /** The feeds of the next step; `attempt` counts retries of the same step after a non-finite loss. */
  feeds(attempt: number, extra: Record<string, HostArray> = {}): Record<string, HostArray> {
    const { names, params } = this.step;
    const { stepSize, invSqrtBc2 } = adamScalars(this.config.adam, this.adamT + 1);
    const feeds: Record<string, HostArray> = {
      ...this.base,
      // A retried step draws other noise: the attempt is part of the key.
      ...(names.noiseKey ? { [names.noiseKey]: noiseKeys(this.config.noiseSeed, this.t, attempt) } : {}),
      [names.stepSize]: Float32Array.of(stepSize * this.lrScale),
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
      feeds[STATE.m(i)] = this.m[i];
      feeds[STATE.v(i)] = this.v[i];
    }
    return feeds;
  }

  /** The updated weights the step proposes. */
  nextParams(out: Record<string, Float32Array>): Float32Array[] {
    return this.params.map((_, i) => out[`${STATE.param(i)}_next`]);
  }

  /** Takes a finished step's outputs (moments, smoothing, aux); the weights are set by the caller's policy. */
  advance(out: Record<string, Float32Array>, params: Float32Array[]): void {
    this.t++;
    this.adamT++;
    this.params = params;
    this.m = this.m.map((_, i) => out[`${STATE.m(i)}_next`]);
    this.v = this.v.map((_, i) => out[`${STATE.v(i)}_next`]);
    this.avg = out.avg_next;
    this.aux = this.step.params.aux.map((a) => out[`${a.input.name}_next`]);
  }

  /** Back to `params` with fresh moments and half the step (divergence recovery). */
  restart(params: Float32Array[]): void {
    this.params = params;
    this.m = zerosLike(params);
    this.v = zerosLike(params);
    this.adamT = 0;
    this.lrScale /= 2;
  }

  payload(): CheckpointPayload {
    const { t: iteration, params, m, v, z, avg, aux, lrScale } = this;
    return { iteration, params, m, v, z, avg, aux, lrScale };
  }
}
