/** What a fitting command's run holds once its inputs are read, and what its end reports. */
import type { LoadedInputs } from './inputs.js';
import type { InterruptWatch } from './interrupt.js';
import type { CheckedOutputs } from './outputs.js';
import type { ProgressMode, ProgressReporter } from './progress.js';
import type { FinalMetrics, WatchedStop } from './report.js';
import type { CliRequest } from './request.js';

/** What a fitting command's run holds once its inputs are read. */
export interface CommandRun {
  r: CliRequest;
  inputs: LoadedInputs;
  outputs: CheckedOutputs;
  reporter: ProgressReporter;
  mode: ProgressMode;
  /** Stop signals during the fit. */
  interrupt: InterruptWatch;
  bitDepth: 8 | 16;
}

export interface RunMetrics {
  reference?: FinalMetrics;
  watched?: WatchedStop;
}
