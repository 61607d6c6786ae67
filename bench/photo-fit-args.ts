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
}
