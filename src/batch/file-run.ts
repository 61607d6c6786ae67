/**
 * One file of a batch: skipped when its journal record, hashes and output agree; otherwise
 * recorded as started, read and checked like a fitting command's input (the same modules and the
 * validator's two phases), fitted, written atomically with its report, and recorded as done. Any
 * failure of the file is recorded with its one-line message; the batch goes on.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describeError } from '../cli/errors.js';
import type { CliDeps } from '../cli/deps.js';
import { fileExists } from '../cli/files.js';
import { InputError } from '../util/errors.js';
import type { FitRunner } from './fit-file.js';
import type { Journal, JournalRecord } from './journal.js';
import { contentHash, fileSha256 } from './keys.js';
import type { PlannedFile } from './plan.js';
import type { BatchProgress, FileEvent } from './progress.js';
import type { BatchRequest } from './request.js';

export interface BatchContext {
  req: BatchRequest;
  deps: CliDeps;
  journal: Journal;
  progress: BatchProgress;
  /** Hash of the result-shaping settings (resultSettings). */
  settings: string;
  /** Where fits run: in this process, or in the pool's child processes. */
  fit: FitRunner;
}

interface FileKey {
  input: string;
  settings: string;
}

export async function runFile(ctx: BatchContext, f: PlannedFile, signal: AbortSignal): Promise<FileEvent> {
  const key: FileKey = { input: await contentHash([f.path, ...Object.values(f.companions)]), settings: ctx.settings };
  const last = ctx.journal.last.get(f.rel);
  if (await finishedBefore(last, key, f)) return { file: f.rel, status: 'skipped', output: f.output };
  try {
    if (!ctx.req.batch.force && last === undefined && (await fileExists(f.output))) {
      throw new InputError(`${f.output} already exists and was not written by this batch: add --force to overwrite it`, { code: 'OUTPUT_EXISTS' });
    }
    for (const file of [f.output, f.report]) await removeStaleTemps(path.dirname(file), path.basename(file));
    await ctx.journal.append({ event: 'start', file: f.rel, ...key });
    const event = await ctx.fit(ctx.req, f, {
      signal,
      onFraction: (fraction) => ctx.progress.fraction(f.rel, fraction),
      onLog: (message) => ctx.progress.event('log', { file: f.rel, message }),
    });
    if (event.status === 'done') {
      const outputSha256 = (await fileSha256(f.output)) ?? undefined;
      await ctx.journal.append({ event: 'done', file: f.rel, ...key, output: f.outputRel, outputSha256, seconds: event.seconds, psnr: event.psnr });
    }
    return event;
  } catch (e) {
    const d = describeError(e);
    await ctx.journal.append({ event: 'failed', file: f.rel, ...key, error: d.message, code: d.code });
    return { file: f.rel, status: 'failed', error: d.message };
  }
}

/** Done before with the same input and settings, and the output is still the file written then. */
async function finishedBefore(last: JournalRecord | undefined, key: FileKey, f: PlannedFile): Promise<boolean> {
  if (last?.event !== 'done' || last.input !== key.input || last.settings !== key.settings || last.output !== f.outputRel) return false;
  return (await fileSha256(f.output)) === last.outputSha256;
}

/** Temporary files a killed run left beside an output (".name.<pid>.<n>.tmp"). */
export async function removeStaleTemps(dir: string, name: string): Promise<void> {
  const entries = await fs.readdir(dir).catch(() => [] as string[]);
  const prefix = `.${name}.`;
  await Promise.all(entries.filter((e) => e.startsWith(prefix) && e.endsWith('.tmp')).map((e) => fs.rm(path.join(dir, e), { force: true })));
}
