/**
 * `deep-prior batch`: the inputs found and planned → the output folder checked, locked and its
 * journal opened → up to --concurrency files fitted at once (each through runFile; in child processes when
 * more than one, since a step of ONNX Runtime for Node holds the JavaScript thread) → the summary. Ctrl-C
 * stops the running fits after their current step and starts no new file; a rerun continues.
 */
import type { CliDeps } from '../cli/deps.js';
import { progressMode } from '../cli/run-restore.js';
import { inProcess } from './fit-file.js';
import { FitPool } from './fit-pool.js';
import { runFile, type BatchContext } from './file-run.js';
import { Journal } from './journal.js';
import { settingsHash } from './keys.js';
import { lockFolder } from './lock.js';
import { checkBatchOutput } from './outputs.js';
import { planFiles, statePath, type PlannedFile } from './plan.js';
import { BatchProgress, type FileEvent } from './progress.js';
import { resultSettings, type BatchRequest } from './request.js';
import { findSources } from './sources.js';
import { reportSummary, summarize } from './summary.js';

export async function runBatch(req: BatchRequest, deps: CliDeps): Promise<number> {
  const outDir = req.batch.output;
  const sources = await findSources(req.input, [outDir]);
  const files = planFiles(sources.files, outDir, req.batch.format, req.companions);
  await checkBatchOutput(req, sources, files);
  const release = await lockFolder(statePath(outDir, 'lock'), outDir);
  const journal = await Journal.open(statePath(outDir, 'journal.jsonl'));
  try {
    const mode = progressMode(req.batch, deps);
    const progress = new BatchProgress(mode, mode === 'json' ? deps.stdout : deps.stderr, deps.now, files.length);
    progress.log(`batch ${req.task}: ${files.length} file(s) from ${req.input} → ${outDir} (${req.concurrency} at a time, ${req.threads} thread(s) each)`);
    const pool = req.concurrency > 1 ? new FitPool() : undefined;
    const fit = pool?.run ?? inProcess(deps);
    const ctx: BatchContext = { req, deps, journal, progress, settings: settingsHash(resultSettings(req, req.batch.format)), fit };
    const events = await fitAll(ctx, files).finally(() => pool?.close());
    progress.finish();
    const summary = summarize({ task: req.task, input: req.input, output: outDir, total: files.length, seconds: progress.elapsedSeconds() }, events);
    return await reportSummary(summary, statePath(outDir, 'summary.json'), mode, deps);
  } finally {
    await journal.close();
    await release();
  }
}

/** --concurrency loops taking the next file; an interruption aborts the running fits and starts no more. */
async function fitAll(ctx: BatchContext, files: readonly PlannedFile[]): Promise<FileEvent[]> {
  const running = new Set<AbortController>();
  let stopping = false;
  const uninstall = ctx.deps.onInterrupt(() => {
    stopping = true;
    for (const c of running) c.abort();
    ctx.progress.log('interrupted: stopping the running fits after their current step (their files are redone next time)');
  });
  const events: FileEvent[] = [];
  let next = 0;
  const loop = async () => {
    while (!stopping && next < files.length) {
      const f = files[next++];
      const controller = new AbortController();
      running.add(controller);
      try {
        const e = await runFile(ctx, f, controller.signal);
        if (e.status !== 'interrupted') events.push(e);
        ctx.progress.finished(e);
      } finally {
        running.delete(controller);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(ctx.req.concurrency, files.length) }, loop));
  } finally {
    uninstall();
  }
  return events;
}
