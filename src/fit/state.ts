/**
 * The fit loop's state: weights, Adam moments and step count, the smoothed output, the auxiliary
 * (Lipschitz) state, the learning-rate scale and the iteration. It builds each step's feeds and
 * takes the step's outputs; everything here goes into a checkpoint, which is what makes a resume exact.
 * Weights, moments and aux state may stay on the device between steps (WebGPU: `keptOutputs`); the
 * state owns one reference to each and releases what a step replaces. Frozen parameters (the Deep
 * Random Projector) have no moments and no `_next` output: they stay as they are.
 */
import { noiseKeys } from '../graph/ops/random.js';
import { release, releaseAll, retain, toHost, type StateArray } from '../runtime/device-array.js';
import type { Feed, StepOutputs } from '../runtime/engine.js';
import type { CheckpointPayload, FitConfig, FitInit } from './types.js';
import { adamScalars, STATE, type StepGraph } from './step-graph.js';

/** Fresh Adam moments: zeros for each trained parameter, none (an empty array) for a frozen one. */
const freshMoments = (params: StateArray[], trained: readonly boolean[]) => params.map((p, i) => new Float32Array(trained[i] ? p.length : 0));

/** The step outputs that are state (trained weights, moments, aux): the ones worth keeping on a device. */
export function keptOutputs(step: StepGraph): string[] {
  const perParam = step.params.values.flatMap((_, i) => (step.trained[i] ? [STATE.param(i), STATE.m(i), STATE.v(i)] : []));
  return [...perParam, ...step.params.aux.map((a) => a.input.name)].map((name) => `${name}_next`);
}

/** `next` in place of `old`, releasing `old` when it is replaced. */
function replaced(old: StateArray, next: StateArray): StateArray {
  if (next !== old) release(old);
  return next;
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
  feeds(attempt: number, extra: Record<string, Feed> = {}): Record<string, Feed> {
    const { names, params, trained } = this.step;
    const { stepSize, invSqrtBc2 } = adamScalars(this.config.adam, this.adamT + 1);
    const scheduled = this.config.lrFactor?.(this.t) ?? 1;
    const feeds: Record<string, Feed> = {
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
  nextParams(out: StepOutputs): StateArray[] {
    return this.params.map((p, i) => (this.step.trained[i] ? out.kept[`${STATE.param(i)}_next`] : p));
  }

  /**
   * Takes a finished step's outputs (moments, smoothing, aux); the weights are set by the caller's
   * policy (the step's own, or backtracked ones, in which case the step's are released).
   */
  advance(out: StepOutputs, params: StateArray[]): void {
    const { trained } = this.step;
    this.t++;
    this.adamT++;
    this.nextParams(out).forEach((p, i) => trained[i] && p !== params[i] && release(p));
    this.params = this.params.map((old, i) => replaced(old, params[i]));
    this.m = this.m.map((old, i) => (trained[i] ? replaced(old, out.kept[`${STATE.m(i)}_next`]) : old));
    this.v = this.v.map((old, i) => (trained[i] ? replaced(old, out.kept[`${STATE.v(i)}_next`]) : old));
    this.avg = out.host.avg_next;
    this.aux = this.step.params.aux.map((a, k) => replaced(this.aux[k], out.kept[`${a.input.name}_next`]));
  }

  /** Back to `params` with fresh moments and half the step (divergence recovery). */
  restart(params: StateArray[]): void {
    releaseAll([...this.params, ...this.m, ...this.v]);
    this.params = params.map(retain);
    this.m = freshMoments(params, this.step.trained);
    this.v = freshMoments(params, this.step.trained);
    this.adamT = 0;
    this.lrScale /= 2;
  }

  /** Everything a checkpoint holds, on the host. */
  async payload(): Promise<CheckpointPayload> {
    const { t: iteration, z, avg, lrScale, adamT: adamStep } = this;
    const host = (a: StateArray[]) => Promise.all(a.map(toHost));
    const [params, m, v, aux] = await Promise.all([host(this.params), host(this.m), host(this.v), host(this.aux)]);
    return { iteration, params, m, v, z, avg, aux, lrScale, adamStep };
  }

  /** Lets go of the state's device buffers (the fit is over). */
  dispose(): void {
    releaseAll([...this.params, ...this.m, ...this.v, ...this.aux]);
  }
}
