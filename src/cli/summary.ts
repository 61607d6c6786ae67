/** The end of a fitting command: the `done`/`aborted` event and the lines a user reads. */
import type { RestoreResult } from '../options/index.js';
import type { CliDeps } from './deps.js';
import { formatDuration } from './progress.js';
import type { CommandRun, RunMetrics } from './command-run.js';

const STOPPED = {
  auto: 'stopped automatically',
  ceiling: 'reached the iteration ceiling',
  fixed: 'fixed iteration count',
  diverged: 'diverged',
  aborted: 'aborted',
};

/** Prints the summary; returns the exit code (1 after an interruption, else 0). */
export function printSummary(run: CommandRun, result: RestoreResult, m: RunMetrics, deps: CliDeps): number {
  const { cli } = run.r;
  const summary = {
    output: cli.output,
    iterations: result.iterations,
    stopReason: result.stopReason,
    bestIteration: result.bestIteration,
    seconds: result.seconds,
    backend: result.backend,
    ...(m.reference && { psnr: m.reference.psnr, ssim: m.reference.ssim }),
    ...(m.watched && { watched: m.watched }),
    ...(cli.report !== undefined && { report: cli.report }),
    ...(cli.checkpoint !== undefined && { checkpoint: cli.checkpoint }),
  };
  if (result.stopReason === 'aborted') {
    run.reporter.event('aborted', summary);
    const ck = cli.checkpoint !== undefined ? `; checkpoint saved to ${cli.checkpoint} (run again with --resume to continue)` : '';
    deps.stderr.write(
      `deep-prior: interrupted at iteration ${result.iterations}: the best result so far (iteration ${result.bestIteration}) is in ${cli.output}${ck}\n`,
    );
    return 1;
  }
  run.reporter.event('done', summary);
  if (run.mode !== 'json' && run.mode !== 'quiet') printLines(run, result, m, deps);
  return 0;
}

function printLines(run: CommandRun, result: RestoreResult, m: RunMetrics, deps: CliDeps): void {
  const { cli } = run.r;
  const out = (line: string) => deps.stdout.write(`${line}\n`);
  const how = result.tiles ? `${result.tiles.length} tiles, ${result.iterations} iterations in all` : `${result.iterations} iterations`;
  const from = result.tiles ? '' : `; result from iteration ${result.bestIteration}`;
  out(`wrote ${cli.output}: ${how} in ${formatDuration(result.seconds)} on ${result.backend} (${STOPPED[result.stopReason]}${from})`);
  const ref = m.reference;
  if (ref)
    out(
      `PSNR ${ref.psnr.toFixed(2)} dB, SSIM ${ref.ssim === null ? 'n/a' : ref.ssim.toFixed(4)} against ${ref.path}${ref.border ? ` (border ${ref.border})` : ''}`,
    );
  const w = m.watched;
  if (w) {
    const q = w.reference ? `, PSNR ${w.reference.psnr.toFixed(2)} dB` : '';
    out(`--stop auto would have stopped at iteration ${w.stoppedAt}, returning iteration ${w.iteration}${q} (${w.reason})`);
  }
  if (result.stopReason === 'diverged')
    deps.stderr.write(`deep-prior: warning: the fit diverged; the result is from iteration ${result.bestIteration}. Try a lower --lr.\n`);
  if (cli.report !== undefined) out(`report: ${cli.report}`);
}
