/**
 * The fit of one batch file, wherever it runs: in the batch's own process (--concurrency 1) or in
 * a child process of the pool (fit-pool.ts). ONNX Runtime for Node runs a step synchronously on
 * the JavaScript thread, so parallel fits need processes of their own.
 */
import type { CliDeps } from '../cli/deps.js';
import { fitToFiles } from './fit-to-files.js';
import type { PlannedFile } from './plan.js';
import type { FileEvent } from './progress.js';
import { fileRequest, type BatchRequest } from './request.js';

export interface FitHooks {
  signal: AbortSignal;
  /** The fraction of the fit's iterations done. */
  onFraction: (f: number) => void;
  onLog: (message: string) => void;
}

/** Fits one file; the event is 'done' or 'interrupted' (errors are thrown). */
export type FitRunner = (req: BatchRequest, f: PlannedFile, hooks: FitHooks) => Promise<FileEvent>;

export async function fitFile(req: BatchRequest, f: PlannedFile, deps: Pick<CliDeps, 'restore' | 'stderr' | 'version'>, hooks: FitHooks): Promise<FileEvent> {
  const { metrics, result } = await fitToFiles(fileRequest(req, f), deps, {
    signal: hooks.signal,
    onProgress: (p) => hooks.onFraction(p.iteration / p.total),
    log: hooks.onLog,
  });
  if (!metrics) return { file: f.rel, status: 'interrupted' };
  return { file: f.rel, status: 'done', output: f.output, seconds: result.seconds, psnr: metrics.reference?.psnr };
}

/** Fits in this process, through the injected restore. */
export function inProcess(deps: Pick<CliDeps, 'restore' | 'stderr' | 'version'>): FitRunner {
  return (req, f, hooks) => fitFile(req, f, deps, hooks);
}
