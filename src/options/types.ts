/**
 * The library's types: what a restoration is asked (`RestoreOptions`, derived from the option table
 * so that the table stays the one source of truth, its doc comments included), and what it returns
 * and reports along the way.
 */
import type { Image } from '../image/image.js';
import type { Plan } from '../plan/types.js';
import type { Naming } from './naming.js';
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
  /** Tiled runs: the tile (index into RestoreResult.tiles) this iteration belongs to; iterations count per tile. */
  tile?: number;
}

export interface Progress extends HistoryEntry {
  /** The ceiling or fixed number of iterations. */
  total: number;
  iterationsPerSecond: number;
  /** Seconds left at the current speed until the ceiling. */
  etaSeconds: number;
  /** Tiled runs: how many tiles there are (`tile` is the one being fitted, 0-based). */
  tileCount?: number;
  /** Tiled runs: seconds left for all tiles (this one to its ceiling, the rest at the plan's iterations and this speed). */
  overallEtaSeconds?: number;
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
  /** The plan made before the fit (memory, time, tiles). */
  plan?: Plan;
  /** Tiled runs: each tile's rectangle (input side) and how its fit went; `iterations`, `seconds` and `recoveries` above are their sums. */
  tiles?: TileSummary[];
  /** A coarse-to-fine fit: each stage's image size and iterations (the history is the last stage's). */
  stages?: { width: number; height: number; iterations: number }[];
  /** With maxSize: the size actually fitted and what that costs. */
  preview?: { width: number; height: number; factor: number; note: string };
  /** With arch 'auto': the architecture search that chose the network (ranking, cohort, costs of each phase). */
  search?: SearchSummary;
}

export interface TileSummary {
  index: number;
  x: number;
  y: number;
  width: number;
  height: number;
  iterations: number;
  stopReason: StopReason;
  bestIteration: number;
  seconds: number;
  /** Restored from a checkpoint: not fitted again by this run. */
  resumed?: boolean;
}

export interface RestoreHooks {
  /**
   * After every iteration. A returned promise is awaited before the next one: a browser worker yields
   * there (a timer), so that a message asking it to stop is received while the fit runs.
   */
  onProgress?: ((p: Progress) => void) | ((p: Progress) => Promise<void>);
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
   * Called before the first iteration (once per stage of a coarse-to-fine fit) with the state the fit starts from: the weights (in the
   * order the network creates them, which is PyTorch's parameters() order for the skip net) and the
   * input code (NCHW). Lets a reference implementation start from the very same point (bench/fidelity).
   */
  onStart?: (state: InitialState) => void | Promise<void>;
  /** Called once, before anything is fitted, with the plan (also logged and returned as `plan`). */
  onPlan?: (plan: Plan) => void;
  /** How messages name options (the CLI: by their flags). Default: library names. */
  naming?: Naming;
}

/** The starting point of a fit (see RestoreHooks.onStart). */
export interface InitialState {
  params: Float32Array[];
  paramShapes: number[][];
  z: Float32Array;
  inputShape: number[];
  /** In a coarse-to-fine fit: which stage starts here (0 at half size, 1 at full size from stage 0's weights). */
  stage?: number;
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
  /** The input code; empty = the one the seed draws (checkpoint files leave it out: the fingerprint pins the seed). */
  z: Float32Array;
  avg: Float32Array | null;
  /** Auxiliary state (Lipschitz power-iteration vectors). */
  aux?: Float32Array[];
  /** Learning-rate multiplier left by divergence recoveries (each halves it); 1 when none happened. */
  lrScale?: number;
  /** Adam's step count (behind `iteration` after a recovery, ahead of it in a later stage); absent = `iteration`. */
  adamStep?: number;
  /** Which stage of a staged fit (coarse-to-fine) saved it: 0 the first; absent = a single fit. */
  stage?: number;
  history: HistoryEntry[];
  best: { iteration: number; output: Float32Array } | null;
  /** Tiled runs: the finished tiles, and which tile the fit state above belongs to. */
  tiles?: TiledCheckpoint;
}

export interface TiledCheckpoint {
  /** Fingerprint of the whole request and its layout. */
  fingerprint: string;
  layout: { tileWidth: number; tileHeight: number; overlap: number };
  /** The tile whose fit state the checkpoint holds; −1 between tiles (the fit state is empty). */
  current: number;
  done: FinishedTile[];
}

/** A finished tile kept in a checkpoint: its summary and its output (interleaved, its rectangle's size on the output side). */
export interface FinishedTile extends Omit<TileSummary, 'resumed'> {
  recoveries: number;
  pixels: Float32Array;
}
