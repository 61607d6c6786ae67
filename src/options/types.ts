/**
 * The library's types: what a restoration is asked (`RestoreOptions`, derived from the option table
 * so that the table stays the one source of truth, its doc comments included), and what it returns
 * and reports along the way.
 */
import type { Image } from '../image/image.js';
import type { ValueOf } from './kinds.js';
import type { TaskName } from './names.js';
import type { RESTORE_OPTIONS } from './table.js';
import type { SearchProgress, SearchSummary } from '../search/types.js';

type Table = typeof RESTORE_OPTIONS;

/** Every option of a restoration (see the doc comment of each); `task` and `image` are required. */
export type RestoreOptions = { -readonly [K in keyof Table]?: ValueOf<Table[K]['kind']> } & { task: TaskName; image: Image };

/** The scalar settings (everything but the images), which can be checked before any file is read. */
export type RestoreSettings = Omit<RestoreOptions, 'image' | 'mask' | 'guide' | 'reference'>;

export type StopReason = 'auto' | 'ceiling' | 'fixed' | 'aborted' | 'diverged';

export interface HistoryEntry {
  iteration: number;
  loss: number;
  /** PSNR of the raw output against `reference` (only with a reference). */
  psnr?: number;
  /** PSNR of the smoothed output against `reference` (only with a reference and smoothing). */
  psnrSmoothed?: number;
  /** Seconds since the fit started. */
  seconds: number;
  /** The stopping rule's statistic (blur/sharpness ratio, output variance) with --stop auto or watch. */
  stopStatistic?: number;
}

export interface Progress extends HistoryEntry {
  /** The ceiling or fixed number of iterations. */
  total: number;
  iterationsPerSecond: number;
  /** Seconds left at the current speed until the ceiling. */
  etaSeconds: number;
}

export interface RestoreResult {
  image: Image;
  iterations: number;
  stopReason: StopReason;
  /** The iteration whose output is returned. */
  bestIteration: number;
  history: HistoryEntry[];
  seconds: number;
  backend: string;
  /** Every effective setting, after presets and defaults were applied. */
  options: Record<string, unknown>;
  /** Number of backtracking or divergence recoveries during the fit. */
  recoveries: number;
  /** With a reference only: the iterate with the best reference PSNR (for benchmarks; a user never has it). */
  oracle?: { iteration: number; image: Image };
  /** With stop 'watch': where the stopping rule would have stopped, the iterate it would have returned, why. */
  watched?: { stoppedAt: number; iteration: number; image: Image; reason: string };
  /** With arch 'auto': the architecture search that chose the network (ranking, cohort, costs of each phase). */
  search?: SearchSummary;
}

export interface RestoreHooks {
  onProgress?: (p: Progress) => void;
  /** With arch 'auto': progress of the architecture search that runs before the fit (phase, k of N, ETA). */
  onSearchProgress?: (p: SearchProgress) => void;
  /** Called every `snapshotEvery` iterations with the current (smoothed) estimate. */
  onSnapshot?: (iteration: number, image: Image) => void | Promise<void>;
  snapshotEvery?: number;
  /** What onSnapshot receives: the estimate the run would return (default) or the raw network output. */
  snapshotKind?: 'estimate' | 'raw';
  signal?: AbortSignal;
  /** Where to persist state for --checkpoint / --resume (the Node entry writes files). */
  checkpoint?: CheckpointStore;
  checkpointEvery?: number;
  /** Log lines (backend choice, warnings). */
  log?: (message: string) => void;
  /**
   * Called once, before the first iteration, with the state the fit starts from: the weights (in the
   * order the network creates them, which is PyTorch's parameters() order for the skip net) and the
   * input code (NCHW). Lets a reference implementation start from the very same point (bench/fidelity).
   */
  onStart?: (state: InitialState) => void | Promise<void>;
}

/** The starting point of a fit (see RestoreHooks.onStart). */
export interface InitialState {
  params: Float32Array[];
  paramShapes: number[][];
  z: Float32Array;
  inputShape: number[];
}

/** Persistence of a fit's state, injected so the core has no file-system dependency. */
export interface CheckpointStore {
  load(): Promise<CheckpointData | null>;
  save(data: CheckpointData): Promise<void>;
}

export interface CheckpointData {
  version: 1;
  /** Fingerprint of the task, options and input image; a resume with other settings is refused. */
  fingerprint: string;
  iteration: number;
  params: Float32Array[];
  m: Float32Array[];
  v: Float32Array[];
  z: Float32Array;
  avg: Float32Array | null;
  /** Auxiliary state (Lipschitz power-iteration vectors). */
  aux?: Float32Array[];
  /** Learning-rate multiplier left by divergence recoveries (each halves it); 1 when none happened. */
  lrScale?: number;
  history: HistoryEntry[];
  best: { iteration: number; output: Float32Array } | null;
}
