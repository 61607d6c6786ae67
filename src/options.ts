/**
 * The one commented source of truth for what a restoration can be asked to do. The CLI's flags,
 * the library's `restore()` and the browser app all map onto `RestoreOptions`; `validate.ts`
 * checks a value of it once, at the edge, and everything inside trusts it.
 */
import type { Image } from './image/image.js';
import type { BackendRequest } from './runtime/engine.js';

export type TaskName = 'denoise' | 'inpaint' | 'super-resolve' | 'deblock' | 'impulse' | 'reconstruct' | 'flash' | 'enhance';
export const TASKS: readonly TaskName[] = ['denoise', 'inpaint', 'super-resolve', 'deblock', 'impulse', 'reconstruct', 'flash', 'enhance'];

/** 'paper' = the official notebook settings; 'fast' = tuned for a good result on a laptop CPU in minutes. */
/**
 * fast: minutes on a laptop CPU; paper: the DIP notebooks' settings; controlled: Shi et al.'s
 * spectral-bias-controlled decoder (denoise, deblock, inpaint), which does not decay late in the fit.
 */
export type Preset = 'fast' | 'paper' | 'controlled';

/**
 * 'auto' stops when a ground-truth-free criterion says the fit has peaked (iterations is then a
 * ceiling); 'fixed' runs exactly `iterations` steps, as the papers do.
 */
/**
 * auto: stop when the stopping rule says the fit has peaked (--iterations is the ceiling);
 * fixed: run exactly --iterations; watch: run exactly --iterations and report where auto would have
 * stopped and what it would have returned (for studying the rule; costs nothing extra).
 */
export type StopMode = 'auto' | 'fixed' | 'watch';

export type ArchName = 'skip' | 'skip-depth6' | 'unet' | 'resnet' | 'decoder';
export const ARCHS: readonly ArchName[] = ['skip', 'skip-depth6', 'unet', 'resnet', 'decoder'];

/** How the data term treats salt-and-pepper pixels: detected and masked out, or a robust L1 loss. */
export type ImpulseLoss = 'mask' | 'l1';

export interface RestoreOptions {
  /** What to restore. */
  task: TaskName;
  /** The damaged image (grey, grey+alpha, RGB or RGBA; alpha is carried through untouched or resized). */
  image: Image;
  /** inpaint / reconstruct: one channel, 1 = known pixel, 0 = to fill. Same size as `image`. */
  mask?: Image;
  /** flash: the flash photo of the same scene, used as the network input. */
  guide?: Image;
  /** super-resolve: the upscaling factor. */
  scale?: 2 | 4 | 8;
  /** Default: 'fast' (CPU-friendly); 'paper' reproduces the official settings. */
  preset?: Preset;
  /** Number of optimisation steps (the ceiling when stop = 'auto'). Default: from the preset. */
  iterations?: number;
  /** Default 'auto': denoise stops by its rule; tasks without one run the preset's budget (see StopMode). */
  stop?: StopMode;
  /**
   * The ground-truth-free rule behind stop = 'auto': 'discrepancy' (stop when the fit's residual reaches
   * the noise level estimated from the input; default for denoise), 'wmv' (running variance of the
   * outputs, returns the estimate at its minimum; default for deblock) or 'ratio' (Shi et al.'s
   * blur/sharpness ratio).
   */
  stopRule?: StopRule;
  /** Network architecture. Default: from the preset. */
  arch?: ArchName;
  /** Adam learning rate. Default: from the preset (0.01 in most notebooks). */
  lr?: number;
  /** Std of the Gaussian perturbation added to the input code at every step (DIP's reg_noise_std). */
  regNoise?: number;
  /** Weight of an isotropic total-variation term added to the data term (0 = off). */
  tv?: number;
  /** impulse: how outliers are handled. Default 'mask'. */
  impulseLoss?: ImpulseLoss;
  /** Weight of the exponential moving average of outputs (0.99 in the notebooks; 0 = off). */
  smoothing?: number;
  /** Seed of every random choice (weights, input code, reg-noise). Same seed + backend = same result. */
  seed?: number;
  /** Compute backend. Default 'auto'. */
  backend?: BackendRequest;
  /** CPU threads for the engine. Default: all cores (at most 16). */
  threads?: number;
  /** A clean image, only to report PSNR/SSIM while running (never used by the fit). */
  reference?: Image;
  /** Border pixels ignored by the reported PSNR (SR convention: the scale). Default 0. */
  referenceBorder?: number;
  /** Lipschitz bound λ for every conv (spectral-bias control); 0 = off; default from the task (enhance: 1). */
  lipschitz?: number;
  /**
   * Upsampling of the decoder path for any architecture: 'gaussian' is the spectral-bias paper's fixed
   * Gaussian transposed conv (σ per stage from the paper). Default: from the preset.
   */
  upsample?: 'nearest' | 'bilinear' | 'gaussian';
  /**
   * Width of the network: the channels of every level (skip, decoder, resnet; unet: of the first level,
   * doubling below). Fewer channels = faster and a weaker prior. Default: from the preset (paper 128, fast 48).
   */
  channels?: number;
}

export type StopRule = 'discrepancy' | 'wmv' | 'ratio';

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
}

export interface RestoreHooks {
  onProgress?: (p: Progress) => void;
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
