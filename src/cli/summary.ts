/** The end of a fitting command: the `done`/`aborted` event and the lines a user reads. */
import type { RestoreResult } from '../options/index.js';
import type { CliDeps } from './deps.js';
import { formatDuration } from './progress.js';
import { commandLine, resumeArgs } from './resume.js';
import type { CommandRun, RunMetrics } from './command-run.js';

const STOPPED = {
  auto: 'stopped automatically',
  ceiling: 'reached the iteration ceiling',
  fixed: 'fixed iteration count',
  diverged: 'diverged',
  aborted: 'aborted',
};

/** Prints the summary; returns the exit code (the signal's after an interruption: 130 INT, 143 TERM, 129 HUP; else 0). */
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
    ...(result.search && { arch: result.search.chosen, searchSeconds: result.search.seconds }),
    ...(cli.report !== undefined && { report: cli.report }),
    ...((cli.checkpoint !== undefined || result.stopReason === 'aborted') && { checkpoint: run.outputs.checkpoint.file }),
  };
  if (result.stopReason === 'aborted') return printInterrupted(run, result, summary, deps);
  run.reporter.event('done', summary);
  if (run.mode !== 'json' && run.mode !== 'quiet') printLines(run, result, m, deps);
  return 0;
}

/** Where the best result and the checkpoint are, and the command that continues the run. */
function printInterrupted(run: CommandRun, result: RestoreResult, summary: Record<string, unknown>, deps: CliDeps): number {
  const { cli } = run.r;
  const ckpt = run.outputs.checkpoint.file;
  const argv = [...deps.invocation(), ...resumeArgs(run.r, ckpt, result.search?.chosen)];
  const command = commandLine(argv);
  run.reporter.event('aborted', { ...summary, resume: { argv, command } });
  const where = cli.checkpoint === undefined ? ' (next to the output, as no --checkpoint was given)' : '';
  deps.stderr.write(
    `deep-prior: interrupted at iteration ${result.iterations}: the best result so far (iteration ${result.bestIteration}) is in ${cli.output}; checkpoint saved to ${ckpt}${where}\n` +
      `deep-prior: to continue, run: ${command}\n`,
  );
  return run.interrupt?.exitCode ?? 1;
}

function printLines(run: CommandRun, result: RestoreResult, m: RunMetrics, deps: CliDeps): void {
  const { cli } = run.r;
  const out = (line: string) => deps.stdout.write(`${line}\n`);
  const how = result.tiles ? `${result.tiles.length} tiles, ${result.iterations} iterations in all` : `${result.iterations} iterations`;
  const from = result.tiles ? '' : `; result from iteration ${result.bestIteration}`;
  out(`wrote ${cli.output}: ${how} in ${formatDuration(result.seconds)} on ${result.backend} (${STOPPED[result.stopReason]}${from})`);
  const s = result.search;
  if (s) out(`network ${s.chosen}, chosen by a search of ${s.candidates} networks in ${formatDuration(s.seconds)} (--arch ${s.chosen} skips the search)`);
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
