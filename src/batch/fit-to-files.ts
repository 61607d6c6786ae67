/**
 * One fit from a fitting command's request to its files, as the batch and the queue worker run it:
 * every output checked, the inputs read and checked (the validator's second phase), the fit, then
 * the output written atomically (temporary file + rename) and the report. An aborted fit writes
 * nothing: its result is not the one asked for.
 */
import type { CliDeps } from '../cli/deps.js';
import type { CommandRun, RunMetrics } from '../cli/command-run.js';
import { writeOutputImage } from '../cli/files.js';
import { readInputs } from '../cli/inputs.js';
import { checkOutputs } from '../cli/outputs.js';
import { ProgressReporter } from '../cli/progress.js';
import type { CliRequest } from '../cli/request.js';
import { outputMetadata } from '../cli/run-restore.js';
import { writeRunReport } from '../cli/run-report.js';
import type { Progress, RestoreResult } from '../options/index.js';

export interface FitToFilesHooks {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  log?: (message: string) => void;
}

export interface FitToFilesResult {
  result: RestoreResult;
  /** Absent when the fit was aborted (nothing written). */
  metrics?: RunMetrics;
}

export async function fitToFiles(r: CliRequest, deps: Pick<CliDeps, 'restore' | 'stderr' | 'version'>, hooks: FitToFilesHooks): Promise<FitToFilesResult> {
  const outputs = await checkOutputs(r);
  const inputs = await readInputs(r);
  const quiet = new ProgressReporter({ mode: 'quiet', stream: deps.stderr });
  const run: CommandRun = { r, inputs, outputs, reporter: quiet, mode: 'quiet', bitDepth: r.cli.bitDepth ?? inputs.source.bitDepth };
  const result = await deps.restore(inputs.request, hooks);
  if (result.stopReason === 'aborted') return { result };
  const warnings = await writeOutputImage(r.cli.output, result.image, { bitDepth: run.bitDepth, quality: r.cli.quality, metadata: outputMetadata(run) });
  for (const w of [...inputs.source.warnings, ...warnings]) hooks.log?.(`warning: ${w}`);
  const metrics = await writeRunReport(run, result, deps as CliDeps);
  return { result, metrics };
}
