/** The fit loop's inputs, configuration, hooks and outcome. */
import type { CheckpointData, HistoryEntry, Progress, StopReason } from '../options/index.js';
import type { Stopper } from '../stop/stopper.js';
import type { AdamOptions } from './step-graph.js';

/** What a checkpoint holds of the loop's own state (the record adds history and best). */
export type CheckpointPayload = Omit<CheckpointData, 'fingerprint' | 'version' | 'history' | 'best'>;

export interface FitConfig {
  iterations: number;
  adam: AdamOptions;
  /** The factor on the learning rate of the step with this index (src/fit/schedule.ts); absent = 1. */
  lrFactor?: (step: number) => number;
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
  /** Hand the final state back (FitOutcome.final): a staged fit's first stage; copied off the device, so only when asked. */
  handOver?: boolean;
}

export interface FitInit {
  params: Float32Array[];
  /** Initial auxiliary state (Lipschitz power-iteration vectors), in step.params.aux order. */
  aux?: Float32Array[];
  z: Float32Array;
  data: Record<string, Float32Array>;
  /** A checkpoint to continue from. */
  resume?: CheckpointData;
  /** The optimiser state to continue with (a later stage of a staged fit), instead of fresh moments. */
  moments?: OptimizerState;
  /** Seconds already spent on the result before this fit (earlier stages); the history's clock starts there. */
  priorSeconds?: number;
}

/** Adam's moments (empty for frozen parameters), its step count and the learning-rate scale of recoveries. */
export interface OptimizerState {
  m: Float32Array[];
  v: Float32Array[];
  adamStep: number;
  lrScale: number;
}

export interface FitHooks {
  onProgress?: ((p: Progress) => void) | ((p: Progress) => Promise<void>);
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
  /** With FitConfig.handOver: the loop's state at the end, on the host (a later stage continues from it). */
  final?: CheckpointPayload;
}
