/** What bench/photos.ts hands to each bench/photo-fit.ts child process (as one JSON argument). */
import type { RestoreOptions } from '../src/node.js';

export interface FitArgs {
  task: RestoreOptions['task'];
  input: string;
  mask?: string;
  output: string;
  options: Partial<RestoreOptions>;
  /** Print only the plan, without fitting. */
  planOnly?: boolean;
  /** With planOnly: measure the calibration again. */
  recalibrate?: boolean;
  /**
   * Checkpoint the fit here (every few steps) and resume it from there when the file exists, so that a
   * row of hours survives its process being ended. Beside it, `<checkpoint>.json` (Carried) adds up what
   * the earlier processes spent.
   */
  checkpoint?: string;
}

/** What the processes before this one spent on a resumed row, as of their last checkpoint. */
export interface Carried {
  wallSeconds: number;
  cpuSeconds: number;
  peakRssBytes: number;
  processes: number;
}
