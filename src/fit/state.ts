/**
 * The fit loop's state: weights, Adam moments and step count, the smoothed output, the auxiliary
 * (Lipschitz) state, the learning-rate scale and the iteration. It builds each step's feeds and
 * takes the step's outputs; everything here goes into a checkpoint, which is what makes a resume exact.
 * Weights, moments and aux state may stay on the device between steps (WebGPU: `keptOutputs`); the
 * state owns one reference to each and releases what a step replaces.
 */
import { noiseKeys } from '../graph/ops/random.js';
import type { CheckpointData } from '../options/index.js';
import { release, releaseAll, retain, toHost, type StateArray } from '../runtime/device-array.js';
import type { Feed, StepOutputs } from '../runtime/engine.js';
import type { FitConfig, FitInit } from './types.js';
import { adamScalars, STATE, type StepGraph } from './step-graph.js';

export type CheckpointPayload = Omit<CheckpointData, 'fingerprint' | 'version' | 'history' | 'best'>;

const zerosLike = (a: StateArray[]) => a.map((p) => new Float32Array(p.length));

/** The step outputs that are state (weights, moments, aux): the ones worth keeping on a device. */
export function keptOutputs(step: StepGraph): string[] {
  const perParam = step.params.values.flatMap((_, i) => [STATE.param(i), STATE.m(i), STATE.v(i)]);
  return [...perParam, ...step.params.aux.map((a) => a.input.name)].map((name) => `${name}_next`);
}

export class FitState {
  params: StateArray[];
  m: StateArray[];
  v: StateArray[];
  avg: Float32Array;
  aux: StateArray[];
  readonly z: Float32Array;
  /** Iterations done. */
  t: number;
  /** Adam's step count (restarts after a divergence recovery). */
  adamT: number;
  lrScale: number;
  private readonly base: Record<string, Feed>;

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
  feeds(attempt: number, extra: Record<string, Feed> = {}): Record<string, Feed> {
    const { names, params } = this.step;
    const { stepSize, invSqrtBc2 } = adamScalars(this.config.adam, this.adamT + 1);
    const feeds: Record<string, Feed> = {
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
  nextParams(out: StepOutputs): StateArray[] {
    return this.params.map((_, i) => out.kept[`${STATE.param(i)}_next`]);
  }

  /**
   * Takes a finished step's outputs (moments, smoothing, aux); the weights are set by the caller's
   * policy (the step's own, or backtracked ones, in which case the step's are released).
   */
  advance(out: StepOutputs, params: StateArray[]): void {
    this.t++;
    this.adamT++;
    this.nextParams(out).forEach((p, i) => p !== params[i] && release(p));
    releaseAll([...this.params, ...this.m, ...this.v, ...this.aux]);
    this.params = params;
    this.m = this.m.map((_, i) => out.kept[`${STATE.m(i)}_next`]);
    this.v = this.v.map((_, i) => out.kept[`${STATE.v(i)}_next`]);
    this.avg = out.host.avg_next;
    this.aux = this.step.params.aux.map((a) => out.kept[`${a.input.name}_next`]);
  }

  /** Back to `params` with fresh moments and half the step (divergence recovery). */
  restart(params: StateArray[]): void {
    releaseAll([...this.params, ...this.m, ...this.v]);
    this.params = params.map(retain);
    this.m = zerosLike(params);
    this.v = zerosLike(params);
    this.adamT = 0;
    this.lrScale /= 2;
  }

  /** Everything a checkpoint holds, on the host. */
  async payload(): Promise<CheckpointPayload> {
    const { t: iteration, z, avg, lrScale } = this;
    const host = (a: StateArray[]) => Promise.all(a.map(toHost));
    return { iteration, params: await host(this.params), m: await host(this.m), v: await host(this.v), z, avg, aux: await host(this.aux), lrScale };
  }

  /** Lets go of the state's device buffers (the fit is over). */
  dispose(): void {
    releaseAll([...this.params, ...this.m, ...this.v, ...this.aux]);
  }
}
