/** The end of a batch: OUT/.deep-prior/summary.json, the lines a user reads, and the exit code. */
import type { CliDeps } from '../cli/deps.js';
import { writeOutputFile } from '../cli/files.js';
import { formatDuration, type ProgressMode } from '../cli/progress.js';
import type { FileEvent } from './progress.js';

export interface BatchSummary {
  task: string;
  input: string;
  output: string;
  total: number;
  done: number;
  skipped: number;
  failed: number;
  /** Files not finished because the batch was interrupted (run it again to continue). */
  unfinished: number;
  seconds: number;
  /** Mean PSNR of the fitted files that had a reference (this run's and earlier runs' alike are in the reports). */
  psnr?: { mean: number; files: number };
  failures: { file: string; error: string }[];
  files: FileEvent[];
}

export function summarize(base: Pick<BatchSummary, 'task' | 'input' | 'output' | 'total' | 'seconds'>, events: readonly FileEvent[]): BatchSummary {
  const count = (s: FileEvent['status']) => events.filter((e) => e.status === s).length;
  const withPsnr = events.filter((e) => e.psnr !== undefined && Number.isFinite(e.psnr));
  const failures = events.filter((e) => e.status === 'failed').map((e) => ({ file: e.file, error: e.error ?? '' }));
  const done = count('done');
  const skipped = count('skipped');
  return {
    ...base,
    done,
    skipped,
    failed: failures.length,
    unfinished: base.total - done - skipped - failures.length,
    ...(withPsnr.length > 0 && { psnr: { mean: withPsnr.reduce((s, e) => s + e.psnr!, 0) / withPsnr.length, files: withPsnr.length } }),
    failures,
    files: [...events].sort((a, b) => (a.file < b.file ? -1 : 1)),
  };
}

const MAX_LISTED = 20;

/** Writes the summary file and prints it; returns the exit code: 0 all finished, 1 some failed or unfinished. */
export async function reportSummary(s: BatchSummary, file: string, mode: ProgressMode, deps: CliDeps): Promise<number> {
  await writeOutputFile(file, `${JSON.stringify(s, null, 2)}\n`);
  const { files: _files, ...brief } = s;
  if (mode === 'json') deps.stdout.write(`${JSON.stringify({ type: 'summary', ...brief, summary: file })}\n`);
  else if (mode !== 'quiet') {
    const psnr = s.psnr ? `; mean PSNR ${s.psnr.mean.toFixed(2)} dB over ${s.psnr.files} file(s)` : '';
    deps.stdout.write(`batch ${s.task}: ${s.done} done, ${s.skipped} skipped, ${s.failed} failed of ${s.total} in ${formatDuration(s.seconds)}${psnr}\n`);
    deps.stdout.write(`summary: ${file}\n`);
  }
  for (const f of s.failures.slice(0, MAX_LISTED)) deps.stderr.write(`deep-prior: failed ${f.file}: ${f.error}\n`);
  if (s.failures.length > MAX_LISTED) deps.stderr.write(`deep-prior: ... and ${s.failures.length - MAX_LISTED} more failed file(s), listed in ${file}\n`);
  if (s.unfinished > 0) {
    deps.stderr.write(`deep-prior: interrupted with ${s.unfinished} file(s) unfinished: run the same command again to continue (finished files are skipped)\n`);
  }
  return s.failed > 0 || s.unfinished > 0 ? 1 : 0;
}
