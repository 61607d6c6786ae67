/** The plan of a restoration: what a fit will cost before it starts (printed, and the --report's `plan`). */
import type { CalibrationSource } from './calibration.js';

export interface PlanTiling {
  /** Tile size on the side the network fits from (super-resolution: the low-resolution input). */
  tileWidth: number;
  tileHeight: number;
  overlap: number;
  columns: number;
  rows: number;
  /** Tiles added around inpainting holes that no grid tile holds with enough context. */
  holeTiles: number;
  /** joint: one network over all tiles, every iteration a pass over each (src/tile/joint-program.ts); independent: one fit per tile. */
  mode: 'joint' | 'independent';
  /** The canvas one tile's network draws. */
  tileCanvas: { width: number; height: number };
}

export interface Plan {
  /** The image the fit sees (after --max-size) and the canvas a single fit of it would draw. */
  image: { width: number; height: number };
  canvas: { width: number; height: number };
  /** Fits the run makes (1: the whole image at once). */
  tiles: number;
  tiling: PlanTiling | null;
  /** Expected peak resident memory of the process (GPU backends: of the device, as far as modelled). */
  peakMemoryBytes: number;
  memoryBudgetBytes: number | null;
  /** Where the budget comes from ("--max-memory", "75 % of the 17.0 GB available", ...). */
  budget: string;
  /** What one fit of the whole image would need (the reason for tiling when it exceeds the budget). */
  whole: { peakMemoryBytes: number; secondsPerIteration: number };
  /** Seconds per iteration of one fit (one tile when tiled). */
  secondsPerIteration: number;
  /** Iterations each fit is expected to run, and the ceiling it cannot pass. */
  iterations: number;
  iterationsCeiling: number;
  /** Why `iterations` is what it is. */
  iterationsReason: string;
  /** All fits together (with `search`, the search's phases too). */
  totalSeconds: number;
  backend: string;
  threads: number;
  calibration: CalibrationSource;
  /** 'cpu': seconds with the cores to itself (CPU time ÷ threads); 'wall': elapsed time as measured. */
  timeClock: 'cpu' | 'wall';
  memoryCalibration: 'measured' | 'shipped';
  /**
   * The preset the fit uses; with `--preset auto` (chosenForSize) the size and machine chose it, and
   * `better` is the task's best preset with what it would take here, when that is another one.
   */
  preset: { name: string; chosenForSize: boolean; better?: { name: string; totalSeconds: number } };
  /**
   * Only when the run is planned to take long (over half an hour): the quicker run that fits in a few
   * minutes here (a cheaper preset on the whole image, or a --max-size copy, with a cheaper preset when
   * needed), the size fitted, the downscaling factor (detail finer than that many pixels is lost; 1 =
   * none) and its planned total.
   */
  quickerRun?: QuickerRun;
  /**
   * With `arch: 'auto'`: the search's phases before the fit (src/autoarch/plan.ts). The rest of the
   * plan is then the final fit's, for a typical cross-skip network (`genotype`); the chosen one's own
   * plan comes when it is chosen.
   */
  search?: SearchPlanned;
  warnings: string[];
}

export interface SearchPlanned {
  /** The network the phases and the final fit are planned for. */
  genotype: string;
  /** Screening: one untrained forward pass each at full size. */
  candidates: number;
  screenSeconds: number;
  /** Cohort: networks fitted on `cohortImage` (the image itself or its small copy), each to about `cohortIterations`. */
  members: number;
  cohortImage: { width: number; height: number };
  cohortIterations: number;
  cohortSeconds: number;
  /** Each member's steps timed at full size (none where the cohort is fitted on the image itself). */
  costSeconds: number;
  /** The three phases together. */
  seconds: number;
}

export interface QuickerRun {
  /** The --max-size to give; absent: the whole image, with `preset`. */
  maxSize?: number;
  /** A cheaper preset the preview needs to fit its time (only where --preset auto chose by size). */
  preset?: string;
  width: number;
  height: number;
  factor: number;
  totalSeconds: number;
}
