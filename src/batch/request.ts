/**
 * A batch command line → a checked batch request: the flags become typed values through the same
 * option tables as the fitting commands, the batch's own options pass their table's checks, and
 * the restore settings pass the validator's first phase once up front (so bad usage exits 2 before
 * any file is touched) and again for each file, with that file's mask, flash photo and reference.
 * What holds for every file (--format with its options, the companion folders) is checked here once.
 */
import { promises as fs } from 'node:fs';
import { availableParallelism } from 'node:os';
import { LOSSY_FORMATS, SIXTEEN_BIT_FORMATS } from '../image/io-node.js';
import { listOr } from '../options/kinds.js';
import { RESTORE_OPTIONS, flagNaming, type Naming, type TaskName, type ValueOf } from '../options/index.js';
import { checkCombinations, checkValues } from '../options/values.js';
import { CLI_OPTIONS } from '../cli/cli-options.js';
import { valuesFromFlags } from '../cli/flags.js';
import type { CliRequest, CliValues, ImagePaths } from '../cli/request.js';
import { InputError } from '../util/errors.js';
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

const COMPANION_NAMES: Record<Companion['key'], string> = { mask: 'masks', guide: 'flash photos', reference: 'references' };

export async function parseBatchRequest(task: TaskName, input: string, flags: Record<string, unknown>, cores = availableParallelism()): Promise<BatchRequest> {
  const batch = valuesFromFlags(flags, BATCH_CLI_OPTIONS) as BatchValues;
  const values = valuesFromFlags(flags, RESTORE_OPTIONS);
  checkValues(batch, BATCH_CLI_OPTIONS, BATCH_NAMING);
  checkCombinations({ ...values, ...batch }, BATCH_CLI_OPTIONS, BATCH_NAMING);
  checkFormatOptions(batch);
  const companions = companionsOf(batch, input);
  const concurrency = batch.concurrency ?? 1;
  const threads = (values.threads as number | undefined) ?? Math.max(1, Math.floor(cores / concurrency));
  const req: BatchRequest = { task, input, values, batch, companions, threads, concurrency };
  settingsFor(req, Object.fromEntries(companions.map((c) => [c.key, '(per file)'])));
  await checkCompanionDirs(batch);
  return req;
}

/**
 * --format with an option it can never honour, refused once rather than for every file: the rules
 * the fitting commands apply to -o's extension (src/cli/outputs.ts), for the format given here.
 */
function checkFormatOptions(b: BatchValues): void {
  const format = b.format;
  if (format === undefined) return;
  const name = (key: string) => BATCH_NAMING.name(key);
  if (b.bitDepth === 16 && !SIXTEEN_BIT_FORMATS.includes(format)) {
    throw new InputError(`${name('bitDepth')} 16 needs ${name('format')} ${listOr(SIXTEEN_BIT_FORMATS)}; ${name('format')} ${format} is written 8-bit`, {
      code: 'BAD_OPTION',
      option: 'bitDepth',
    });
  }
  if (b.quality !== undefined && !LOSSY_FORMATS.includes(format)) {
    throw new InputError(`${name('quality')} applies to ${name('format')} ${listOr(LOSSY_FORMATS)}; ${name('format')} ${format} is lossless`, {
      code: 'BAD_OPTION',
      option: 'quality',
    });
  }
}

/** The companion folders given exist: a missing one would otherwise fail every file, one by one. */
async function checkCompanionDirs(b: BatchValues): Promise<void> {
  for (const [key, dirKey] of COMPANION_KEYS) {
    const dir = b[dirKey];
    if (dir === undefined) continue;
    const st = await fs.stat(dir).catch(() => null);
    const flag = BATCH_NAMING.name(dirKey);
    if (st === null)
      throw new InputError(`${flag} ${dir}: no such folder; give the folder of the ${COMPANION_NAMES[key]}`, { code: 'FILE_NOT_FOUND', option: dirKey });
    if (!st.isDirectory()) {
      throw new InputError(`${flag} ${dir} is a file, not a folder: give the folder of the ${COMPANION_NAMES[key]}`, { code: 'NOT_A_FOLDER', option: dirKey });
    }
  }
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
    return validateSettings({ ...req.values, ...paths, task: req.task, threads: req.threads }, companionNaming(req));
  } catch (e) {
    // "inpaint needs --mask FILE or --mask-color COLOR": a batch also takes --mask-dir.
    if (e instanceof Error && /needs --mask FILE/.test(e.message)) e.message += ' (or --mask-dir DIR, a mask per file)';
    if (e instanceof Error && /needs --guide/.test(e.message)) e.message += ' (or --guide-dir DIR, a flash photo per file)';
    throw e;
  }
}

/**
 * BATCH_NAMING, but a per-file companion is named by the option that brought it (its folder, else
 * its pattern): "--mask-dir only applies to inpaint", not "--mask", which the user never gave.
 */
function companionNaming(req: BatchRequest): Naming {
  const by = new Map<string, string>();
  for (const [key, dirKey, patternKey] of COMPANION_KEYS) {
    if (req.companions.some((c) => c.key === key)) by.set(key, req.batch[dirKey] !== undefined ? dirKey : patternKey);
  }
  const keyOf = (key: string) => by.get(key) ?? key;
  return { name: (key) => BATCH_NAMING.name(keyOf(key)), withValue: (key) => BATCH_NAMING.withValue(keyOf(key)) };
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
