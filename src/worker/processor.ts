/**
 * The fit of one queued job, run by BullMQ in a child process of the worker (a sandboxed
 * processor), so a long step never blocks the worker's lock renewals and a crash of the fit costs
 * only this process. The job is checked again here (the validator at this edge), fitted, written
 * atomically (temporary file + rename: a retried job replaces the output with the same bytes), and
 * its progress reported on the job. Bad input fails the job at once; other failures are retried.
 */
import type { SandboxedJob } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import { fitToFiles } from '../batch/fit-to-files.js';
import { fileSha256 } from '../batch/keys.js';
import { defaultDeps } from '../cli/deps.js';
import { describeError } from '../cli/errors.js';
import { toJsonLine } from '../cli/progress.js';
import { RunError } from '../util/errors.js';
import { jobRequest, type RestoreJobResult } from './job.js';

// A forked child whose worker died (SIGKILL) stops at once instead of fitting for nobody.
if (process.send) process.on('disconnect', () => process.exit(1));

const PROGRESS_EVERY_MS = 500;

export default async function processRestoreJob(job: SandboxedJob): Promise<RestoreJobResult> {
  const threads = Number(process.env.DEEP_PRIOR_WORKER_THREADS) || undefined;
  try {
    const r = jobRequest(job.data, undefined, threads);
    const deps = defaultDeps();
    let last = 0;
    const { result, metrics } = await fitToFiles(r, deps, {
      onProgress: (p) => {
        const now = Date.now();
        if (now - last < PROGRESS_EVERY_MS && p.iteration !== p.total) return;
        last = now;
        void job.updateProgress({ iteration: p.iteration, total: p.total, loss: p.loss, ...(p.psnr !== undefined && { psnr: p.psnr }) });
      },
    });
    if (!metrics) throw new RunError('the fit was interrupted before it finished');
    const sha256 = (await fileSha256(r.cli.output)) ?? '';
    // Every write is logged (the worker passes this process's output on): at-least-once delivery can be audited.
    process.stdout.write(toJsonLine({ type: 'written', job: job.id, attempt: job.attemptsMade, output: r.cli.output, sha256 }));
    return {
      output: r.cli.output,
      sha256,
      iterations: result.iterations,
      stopReason: result.stopReason,
      seconds: result.seconds,
      psnr: metrics.reference?.psnr,
    };
  } catch (e) {
    const d = describeError(e);
    if (d.exitCode === 2) throw new UnrecoverableError(d.message); // bad input: a retry would fail the same way
    throw new Error(d.message);
  }
}
