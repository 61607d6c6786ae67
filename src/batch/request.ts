/**
 * A batch command line → a checked batch request: the flags become typed values through the same
 * option tables as the fitting commands, the batch's own options pass their table's checks, and
 * the restore settings pass the validator's first phase once up front (so bad usage exits 2 before
 * any file is touched) and again for each file, with that file's mask, flash photo and reference.
 */
import { availableParallelism } from 'node:os';
import { RESTORE_OPTIONS, flagNaming, type TaskName, type ValueOf } from '../options/index.js';
import { checkCombinations, checkValues } from '../options/values.js';
import { CLI_OPTIONS } from '../cli/cli-options.js';
import { valuesFromFlags } from '../cli/flags.js';
import type { CliRequest, CliValues, ImagePaths } from '../cli/request.js';
import { validateSettings, type ValidSettings } from '../validate.js';
import { BATCH_CLI_OPTIONS, BATCH_OPTIONS, type BatchFormat } from './options.js';
import type { Companion, PlannedFile } from './plan.js';

/** Messages of the batch command name options by their flags. */
export const BATCH_NAMING = flagNaming([RESTORE_OPTIONS, BATCH_OPTIONS, CLI_OPTIONS]);

type BatchTable = typeof BATCH_OPTIONS;
export type BatchValues = { -readonly [K in keyof BatchTable]?: ValueOf<BatchTable[K]['kind']> } & { output: string } & Pick<
    CliValues,
    'bitDepth' | 'stripMetadata' | 'quality' | 'force' | 'quiet' | 'json' | 'debug'
  >;

export interface BatchRequest {
  task: TaskName;
  input: string;
  /** The restore values as given (typed), without the per-file images. */
  values: Record<string, unknown>;
  batch: BatchValues;
  companions: Companion[];
  /** Threads of each fit: --threads, else the machine's cores shared by --concurrency. */
  threads: number;
  concurrency: number;
}

const COMPANION_KEYS = [
  ['mask', 'maskDir', 'maskPattern'],
  ['guide', 'guideDir', 'guidePattern'],
  ['reference', 'referenceDir', 'referencePattern'],
] as const;

export function parseBatchRequest(task: TaskName, input: string, flags: Record<string, unknown>, cores = availableParallelism()): BatchRequest {
  const batch = valuesFromFlags(flags, BATCH_CLI_OPTIONS) as BatchValues;
  const values = valuesFromFlags(flags, RESTORE_OPTIONS);
  checkValues(batch, BATCH_CLI_OPTIONS, BATCH_NAMING);
  checkCombinations({ ...values, ...batch }, BATCH_CLI_OPTIONS, BATCH_NAMING);
  const companions = companionsOf(batch, input);
  const concurrency = batch.concurrency ?? 1;
  const threads = (values.threads as number | undefined) ?? Math.max(1, Math.floor(cores / concurrency));
  const req: BatchRequest = { task, input, values, batch, companions, threads, concurrency };
  settingsFor(req, Object.fromEntries(companions.map((c) => [c.key, '(per file)'])));
  return req;
}

/** Where each per-file companion is found: the folder option, else (a pattern alone) beside the inputs. */
function companionsOf(b: BatchValues, input: string): Companion[] {
  const out: Companion[] = [];
  for (const [key, dirKey, patternKey] of COMPANION_KEYS) {
    const dir = b[dirKey];
    const pattern = b[patternKey];
    if (dir === undefined && (pattern === undefined || key === 'reference')) continue;
    out.push({ key, dir: dir ?? globFreeRoot(input), pattern: pattern ?? String(BATCH_OPTIONS[patternKey].default) });
  }
  return out;
}

function globFreeRoot(input: string): string {
  const parts = input.split(/[\\/]/);
  const i = parts.findIndex((p) => /[*?{]/.test(p));
  return i < 0 ? input : parts.slice(0, i).join('/') || '.';
}

/** The validator's first phase for one file (its companions given as paths). */
export function settingsFor(req: BatchRequest, paths: ImagePaths): ValidSettings {
  try {
    return validateSettings({ ...req.values, ...paths, task: req.task, threads: req.threads }, BATCH_NAMING);
  } catch (e) {
    // "inpaint needs --mask FILE or --mask-color COLOR": a batch also takes --mask-dir.
    if (e instanceof Error && /needs --mask FILE/.test(e.message)) e.message += ' (or --mask-dir DIR, a mask per file)';
    if (e instanceof Error && /needs --guide/.test(e.message)) e.message += ' (or --guide-dir DIR, a flash photo per file)';
    throw e;
  }
}

/** One file's request in the fitting commands' form, so their reading, checks and report are reused. */
export function fileRequest(req: BatchRequest, f: PlannedFile): CliRequest {
  const paths: ImagePaths = {};
  for (const key of ['mask', 'guide'] as const) {
    const p = f.companions[key] ?? (req.values[key] as string | undefined);
    if (p !== undefined) paths[key] = p;
  }
  if (f.companions.reference !== undefined) paths.reference = f.companions.reference;
  const b = req.batch;
  const cli: CliValues = { output: f.output, report: f.report, force: true, bitDepth: b.bitDepth, quality: b.quality, stripMetadata: b.stripMetadata };
  return { task: req.task, input: f.path, settings: settingsFor(req, paths), paths, cli, flags: {}, notes: [] };
}

/** The settings that shape a result (threads change only rounding; they are left out). */
export function resultSettings(req: BatchRequest, format: BatchFormat | undefined): Record<string, unknown> {
  const { threads: _t, ...values } = req.values;
  const b = req.batch;
  return { task: req.task, values, companions: req.companions.map((c) => c.key), format, bitDepth: b.bitDepth, quality: b.quality, strip: !!b.stripMetadata };
}
