/** The fit loop's configuration and hooks for a run: settings in, images (not canvas planes) out. */
import type { FitConfig, FitHooks } from '../fit/types.js';
import { learningRateFactor } from '../fit/schedule.js';
import { ADAM_DEFAULTS } from '../fit/step-graph.js';
import type { RestoreHooks } from '../options/index.js';
import type { RunSetup } from './setup.js';
import { runFingerprint, type StageStart } from './start.js';

export function fitConfigOf(run: RunSetup, hooks: RestoreHooks, stage?: StageStart): FitConfig {
  const s = run.settings;
  return {
    iterations: s.iterations,
    adam: { ...ADAM_DEFAULTS, lr: s.lr },
    lrFactor: s.lrSchedule && s.lrSchedule !== 'constant' ? learningRateFactor(s.lrSchedule, stage?.offset) : undefined,
    regNoise: s.regNoise,
    noiseSeed: run.seed + 1,
    smoothing: s.smoothing,
    backtracking: s.backtracking,
    returnSmoothed: s.returnSmoothed,
    stopper: run.stopper,
    watchOnly: s.stop === 'watch',
    referenceCount: run.problem.reference?.count,
    snapshotEvery: hooks.snapshotEvery,
    snapshotRaw: hooks.snapshotKind === 'raw',
    checkpointEvery: hooks.checkpointEvery,
    // Stage 0 of a coarse-to-fine fit hands its weights and Adam state to the full-size stage.
    handOver: stage?.index === 0,
  };
}

export function fitHooksOf(run: RunSetup, hooks: RestoreHooks, stage?: StageStart): FitHooks {
  const { onSnapshot, checkpoint } = hooks;
  const print = checkpoint ? runFingerprint(run) : '';
  return {
    onProgress: hooks.onProgress,
    signal: hooks.signal,
    log: hooks.log,
    onSnapshot: onSnapshot ? (t, planar) => onSnapshot(t, run.problem.finish(planar)) : undefined,
    onCheckpoint: checkpoint ? (d) => checkpoint.save({ ...d, version: 1, fingerprint: print, ...(stage && { stage: stage.index }) }) : undefined,
  };
}
