/**
 * The optimisation loop: one training-step graph run per iteration, with the DIP notebooks'
 * reg-noise, output smoothing and backtracking, plus divergence recovery, stopping rules,
 * progress, snapshots, checkpoints and cancellation. Tensors never pass through JS loops here:
 * the step graph returns the next state and the loss, and this loop only swaps references.
 */
import type { HostArray, Program } from '../runtime/engine.js';
import { noiseKeys } from '../graph/ops/random.js';
import type { CheckpointData, HistoryEntry, Progress, StopReason } from '../options.js';
import { AbortError } from '../util/errors.js';
import { adamScalars, STATE, type AdamOptions, type StepGraph } from './step-graph.js';
import type { Stopper } from '../stop/stopper.js';

export interface FitConfig {
  iterations: number;
  adam: AdamOptions;
  regNoise: number;
  /** Seeds the reg-noise draws: step t's noise is a function of (seed, t), so a resumed fit draws the same. */
  noiseSeed: number;
  smoothing: number;
  backtracking: boolean;
  returnSmoothed: boolean;
  /** Stops early when it says so; absent = run every iteration ('fixed'). */
  stopper?: Stopper;
  /** Only record where the stopper would have stopped, and run every iteration ('watch'). */
  watchOnly?: boolean;
  /** Number of values the reference PSNR is averaged over (when a reference is fed). */
  referenceCount?: number;
  snapshotEvery?: number;
  snapshotRaw?: boolean;
  checkpointEvery?: number;
}

export interface FitInit {
  params: Float32Array[];
  /** Initial auxiliary state (Lipschitz power-iteration vectors), in step.params.aux order. */
  aux?: Float32Array[];
  z: Float32Array;
  data: Record<string, Float32Array>;
  /** A checkpoint to continue from. */
  resume?: CheckpointData;
}

export interface FitHooks {
  onProgress?: (p: Progress) => void;
  onSnapshot?: (iteration: number, planar: Float32Array) => void | Promise<void>;
  onCheckpoint?: (data: Omit<CheckpointData, 'fingerprint' | 'version'>) => Promise<void>;
  signal?: AbortSignal;
  log?: (message: string) => void;
}

export interface FitOutcome {
  output: Float32Array;
  iterations: number;
  bestIteration: number;
  stopReason: StopReason;
  history: HistoryEntry[];
  recoveries: number;
  seconds: number;
  /** The estimate with the best reference PSNR, when a reference was fed. */
  oracle: { iteration: number; output: Float32Array } | null;
  /** watchOnly: the stopper's decision, as if it had been obeyed. */
  watched: { stoppedAt: number; iteration: number; output: Float32Array; reason: string } | null;
}

/** A drop of more than 5 dB in fit quality (loss × 10^0.5) triggers the notebooks' backtracking. */
const BACKTRACK_FACTOR = 10 ** 0.5;
/** The notebooks check only when their step counter is not a multiple of show_every (100). */
const BACKTRACK_SKIP_EVERY = 100;

/**
 * The weights after a backtracking step, as the official loop leaves them: the saved weights plus the
 * Adam update just computed from the bad step's gradient (Adam's update does not depend on the weights
 * themselves, so it is next − current). A JS loop, but it runs only on the rare blow-up steps.
 */
export function backtrackedParams(saved: Float32Array[], current: Float32Array[], next: Float32Array[]): Float32Array[] {
  return saved.map((s, i) => {
    const out = new Float32Array(s.length);
    const c = current[i];
    const x = next[i];
    for (let k = 0; k < s.length; k++) out[k] = s[k] + (x[k] - c[k]);
    return out;
  });
}
const MAX_CONSECUTIVE_FAILURES = 5;

export async function fit(program: Program, step: StepGraph, init: FitInit, config: FitConfig, hooks: FitHooks = {}): Promise<FitOutcome> {
  const n = step.params.values.length;
  let params = init.resume?.params ?? init.params;
  let m = init.resume?.m ?? params.map((p) => new Float32Array(p.length));
  let v = init.resume?.v ?? params.map((p) => new Float32Array(p.length));
  const z = init.resume?.z ?? init.z;
  const outSize = step.outputShape.reduce((a, b) => a * b, 1);
  let avg = init.resume?.avg ?? new Float32Array(outSize);
  // A checkpoint without aux (none saved before; or a net without Lipschitz caps) starts it afresh.
  let aux = init.resume?.aux?.length ? init.resume.aux : (init.aux ?? []);
  const auxNames = step.params.aux.map((a) => a.input.name);
  const history: HistoryEntry[] = init.resume?.history.slice() ?? [];
  let best = init.resume?.best ?? null;
  let bestPsnr = -Infinity;
  for (const h of history) {
    const p = config.returnSmoothed ? h.psnrSmoothed : h.psnr;
    if (p !== undefined && p > bestPsnr) bestPsnr = p;
  }
  let saved = { params, loss: Infinity };
  let lrScale = init.resume?.lrScale ?? 1;
  let failures = 0;
  let recoveries = 0;
  let last: Float32Array = avg;
  let t = init.resume?.iteration ?? 0;
  let adamT = t;
  // The notebooks' counter: it decides which steps are checked and does not advance on a fallback.
  let backtrackCounter = t;
  const priorSeconds = history.length ? history[history.length - 1].seconds : 0;
  const start = performance.now();
  const watching = !!config.watchOnly;
  let stopReason: StopReason = config.stopper && !watching ? 'ceiling' : 'fixed';
  let watched: FitOutcome['watched'] = null;

  const baseFeeds: Record<string, HostArray> = { ...init.data, [step.names.z]: z, [step.names.noiseStd]: Float32Array.of(config.regNoise) };

  while (t < config.iterations) {
    if (hooks.signal?.aborted) {
      stopReason = 'aborted';
      break;
    }
    adamT++;
    const { stepSize, invSqrtBc2 } = adamScalars(config.adam, adamT);
    const feeds: Record<string, HostArray> = {
      ...baseFeeds,
      // A retried step (after a non-finite loss) draws other noise: the attempt is part of the key.
      ...(step.names.noiseKey ? { [step.names.noiseKey]: noiseKeys(config.noiseSeed, t, failures) } : {}),
      [step.names.stepSize]: Float32Array.of(stepSize * lrScale),
      [step.names.invSqrtBc2]: Float32Array.of(invSqrtBc2),
      [step.names.avg]: avg,
      [step.names.avgWeight]: Float32Array.of(t === 0 ? 0 : config.smoothing),
      ...config.stopper?.feeds(),
    };
    auxNames.forEach((name, k) => (feeds[name] = aux[k]));
    for (let i = 0; i < n; i++) {
      feeds[step.params.values[i].name] = params[i];
      feeds[STATE.m(i)] = m[i];
      feeds[STATE.v(i)] = v[i];
    }
    const out = await program.run(feeds);
    const loss = out.loss[0];

    if (!Number.isFinite(loss)) {
      // Divergence: go back to the last good weights, forget the moments, halve the step.
      failures++;
      recoveries++;
      if (failures > MAX_CONSECUTIVE_FAILURES) {
        stopReason = 'diverged';
        hooks.log?.(`the fit diverged ${failures} times in a row at iteration ${t + 1}; keeping the best result so far`);
        break;
      }
      params = saved.params;
      m = params.map((p) => new Float32Array(p.length));
      v = params.map((p) => new Float32Array(p.length));
      adamT = 0;
      lrScale /= 2;
      hooks.log?.(`non-finite loss at iteration ${t + 1}: restored the last good weights, learning rate × ${lrScale}`);
      continue;
    }
    failures = 0;
    t++;
    const next = params.map((_, i) => out[`${STATE.param(i)}_next`]);
    const check = config.backtracking && backtrackCounter % BACKTRACK_SKIP_EVERY !== 0;
    if (check && loss > saved.loss * BACKTRACK_FACTOR) {
      // The official notebooks' backtracking: back to the saved weights, to which the Adam step of
      // this (bad) gradient is still applied; the moments keep it too.
      recoveries++;
      params = backtrackedParams(saved.params, params, next);
    } else {
      // Without backtracking every step is saved (the weights NaN recovery returns to).
      if (check || !config.backtracking) saved = { params, loss };
      params = next;
      backtrackCounter++;
    }
    for (let i = 0; i < n; i++) {
      m[i] = out[`${STATE.m(i)}_next`];
      v[i] = out[`${STATE.v(i)}_next`];
    }
    avg = out.avg_next;
    aux = auxNames.map((name) => out[`${name}_next`]);
    const current = config.returnSmoothed ? avg : out.output;
    last = current;

    const seconds = priorSeconds + (performance.now() - start) / 1000;
    const entry: HistoryEntry = { iteration: t, loss, seconds };
    if (out.ref_se && config.referenceCount) {
      entry.psnr = psnrFromSe(out.ref_se[0], config.referenceCount);
      if (config.smoothing > 0) entry.psnrSmoothed = psnrFromSe(out.ref_se_avg[0], config.referenceCount);
      const score = config.returnSmoothed ? (entry.psnrSmoothed ?? entry.psnr) : entry.psnr;
      if (score > bestPsnr) {
        bestPsnr = score;
        best = { iteration: t, output: current };
      }
    }
    history.push(entry);

    let stopNow = false;
    if (config.stopper) {
      // Watching goes on observing after the rule fired, so the history has its statistic throughout.
      stopNow = config.stopper.observe({ iteration: t, estimate: current, outputs: out });
      if (config.stopper.statistic !== undefined) entry.stopStatistic = config.stopper.statistic;
      if (stopNow && watching) {
        if (!watched) {
          const pick = config.stopper.best() ?? { iteration: t, output: current };
          watched = { stoppedAt: t, iteration: pick.iteration, output: pick.output, reason: config.stopper.describe() };
        }
        stopNow = false;
      } else if (stopNow) stopReason = 'auto';
    }
    if (hooks.onProgress) {
      const done = t - (init.resume?.iteration ?? 0);
      const rate = done / Math.max(1e-9, (performance.now() - start) / 1000);
      hooks.onProgress({ ...entry, total: config.iterations, iterationsPerSecond: rate, etaSeconds: (config.iterations - t) / Math.max(rate, 1e-9) });
    }
    if (hooks.onSnapshot && config.snapshotEvery && t % config.snapshotEvery === 0) await hooks.onSnapshot(t, config.snapshotRaw ? out.output : current);
    if (hooks.onCheckpoint && config.checkpointEvery && t % config.checkpointEvery === 0) {
      await hooks.onCheckpoint({ iteration: t, params, m, v, z, avg, aux, lrScale, history, best });
    }
    if (stopNow) break;
  }
  if (hooks.onCheckpoint && stopReason === 'aborted') await hooks.onCheckpoint({ iteration: t, params, m, v, z, avg, aux, lrScale, history, best });
  if (t === 0 && stopReason === 'aborted') throw new AbortError('the run was aborted before the first iteration finished');

  // The stopping rule's pick, else the last iterate. The reference-best ("oracle") estimate is
  // returned separately: it is for benchmarks, a user never has it.
  const pick = watching ? null : (config.stopper?.best() ?? null);
  return {
    output: pick?.output ?? last,
    iterations: t,
    bestIteration: pick?.iteration ?? t,
    oracle: best,
    watched,
    stopReason,
    history,
    recoveries,
    seconds: priorSeconds + (performance.now() - start) / 1000,
  };
}

function psnrFromSe(se: number, count: number): number {
  return -10 * Math.log10(Math.max(se / count, 1e-12));
}
