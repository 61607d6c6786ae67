/**
 * Output path rules of every command: never overwrite an input, refuse an existing output unless
 * --force, create missing parent folders and check they take files before any work, write
 * atomically (writeImage and writeFileAtomic write a temporary file in the destination folder and
 * rename it over the target).
 */
import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { formatFromPath, writeImage, type WriteOptions } from '../image/io-node.js';
import type { Image } from '../image/image.js';
import { writeFileAtomic } from '../util/atomic-write-node.js';
import { InputError } from '../util/errors.js';
import { checkWritableDir, ensureDir } from './writable.js';

async function statOrNull(file: string): Promise<Stats | null> {
  try {
    return await fs.stat(file);
  } catch {
    return null;
  }
}

export async function fileExists(file: string): Promise<boolean> {
  return (await statOrNull(file)) !== null;
}

/**
 * The canonical absolute path of `file`, following symbolic links where the file (or, for a file
 * that does not exist yet, its nearest existing ancestor) exists.
 */
export async function canonicalPath(file: string): Promise<string> {
  const abs = path.resolve(file);
  try {
    return await fs.realpath(abs);
  } catch {
    const parent = path.dirname(abs);
    if (parent === abs) return abs;
    return path.join(await canonicalPath(parent), path.basename(abs));
  }
}

/** True when `a` and `b` name the same file: same canonical path, or the same inode (hard links, case-insensitive file systems). */
export async function samePath(a: string, b: string): Promise<boolean> {
  if ((await canonicalPath(a)) === (await canonicalPath(b))) return true;
  const [sa, sb] = await Promise.all([statOrNull(a), statOrNull(b)]);
  return sa !== null && sb !== null && sa.dev === sb.dev && sa.ino === sb.ino;
}

export interface OutputCheck {
  /** The option that named this output, for messages ('-o', '--report', ...). */
  flag: string;
  /** Files that must never be overwritten. */
  inputs: readonly string[];
  force: boolean;
  /** 'image': an image file of a known extension; 'folder': a folder of files named like `holds`; default a file. */
  kind?: 'file' | 'image' | 'folder';
  /** A folder output: the names of the files it writes there, and what they are (existing ones need --force). */
  holds?: { names: RegExp; what: string };
  /** An existing file that may be replaced without --force (a --resume replacing what its own run wrote). */
  replaceable?: (file: string) => Promise<boolean>;
  /** What to do about an existing file, when it is more than "add --force or choose another path". */
  existsHint?: string;
}

/**
 * THE check of every output path of every command, run before any work is done: not an input, not
 * an existing file unless `force` (or `replaceable`), the right kind (file, image extension or
 * folder), and writable: its folder is created and a temporary file written there and removed.
 */
export async function checkOutputPath(file: string, check: OutputCheck): Promise<void> {
  if (file.trim() === '') throw new InputError(`${check.flag}: the output path is empty; give a file name`, { code: 'BAD_OPTION' });
  await refuseInput(file, check);
  if (check.kind === 'image') formatFromPath(file);
  if (check.kind === 'folder') {
    await checkFolderContents(file, check);
    await checkWritableDir(file, check.flag);
    return;
  }
  const st = await statOrNull(file);
  if (st?.isDirectory()) throw new InputError(`${check.flag} ${file} is a directory: give a file name`, { code: 'OUTPUT_IS_DIR' });
  if (st && !check.force && !(await check.replaceable?.(file))) {
    const hint = check.existsHint ?? `add --force to overwrite it, or choose another ${check.flag} path`;
    throw new InputError(`${file} already exists: ${hint}`, { code: 'OUTPUT_EXISTS' });
  }
  await checkWritableDir(path.dirname(path.resolve(file)), check.flag);
}

/** An output on an input's path is refused, whatever --force says. */
export async function refuseInput(file: string, check: Pick<OutputCheck, 'flag' | 'inputs' | 'kind'>): Promise<void> {
  for (const input of check.inputs) {
    if (!(await samePath(file, input))) continue;
    if (check.kind === 'folder') throw new InputError(`${check.flag} ${file} is an input file: give a folder`, { code: 'OUTPUT_IS_INPUT' });
    throw new InputError(`output path is the input file (${file}): choose another ${check.flag} path; deep-prior never overwrites an input`, {
      code: 'OUTPUT_IS_INPUT',
    });
  }
}

/** A folder output: a folder (or nothing yet), holding none of the files it would write unless --force or replaceable. */
async function checkFolderContents(dir: string, check: OutputCheck): Promise<void> {
  const st = await statOrNull(dir);
  if (st === null) return;
  if (!st.isDirectory()) throw new InputError(`${check.flag} ${dir} is a file, not a folder: give a folder path`, { code: 'OUTPUT_IS_FILE' });
  if (!check.holds) return;
  await refuseHeldInputs(dir, check.holds.names, check);
  if (check.force) return;
  const { names, what } = check.holds;
  const old = (await fs.readdir(dir)).filter((f) => names.test(f));
  const kept: string[] = [];
  for (const f of old) if (!(await check.replaceable?.(path.join(dir, f)))) kept.push(f);
  if (kept.length > 0) {
    throw new InputError(
      `${check.flag} ${dir} already holds ${kept.length} ${what}(s) (${kept[0]}, ...): add --force to overwrite them, or choose an empty folder`,
      {
        code: 'OUTPUT_EXISTS',
      },
    );
  }
}

/** An input in the folder named like the files it writes would be overwritten: refused whatever --force says. */
async function refuseHeldInputs(dir: string, names: RegExp, check: OutputCheck): Promise<void> {
  const folder = await canonicalPath(dir);
  for (const input of check.inputs) {
    const file = await canonicalPath(input);
    if (path.dirname(file) !== folder || !names.test(path.basename(file))) continue;
    throw new InputError(`${check.flag} ${dir} would write over the input ${input}: choose another folder; deep-prior never overwrites an input`, {
      code: 'OUTPUT_IS_INPUT',
    });
  }
}

/** No two outputs in one file (or folder). */
export async function checkDistinct(targets: readonly { flag: string; path: string }[]): Promise<void> {
  const canonical = await Promise.all(targets.map((t) => canonicalPath(t.path)));
  for (let i = 0; i < targets.length; i++) {
    const j = canonical.indexOf(canonical[i], i + 1);
    if (j >= 0)
      throw new InputError(`${targets[i].flag} and ${targets[j].flag} name the same file (${targets[j].path}): give each its own path`, { code: 'BAD_OPTION' });
  }
}

/** Creates the folder that will hold `file` (and its parents). */
export async function ensureParentDir(file: string): Promise<void> {
  await ensureDir(path.dirname(path.resolve(file)));
}

/** Writes an image atomically, creating its folder first; returns what could not be kept (metadata). */
export async function writeOutputImage(file: string, image: Image, opts: WriteOptions = {}): Promise<string[]> {
  await ensureParentDir(file);
  return (await writeImage(file, image, opts)).warnings;
}

/** Writes a text or binary file atomically, creating its folder first. */
export async function writeOutputFile(file: string, data: string | Uint8Array): Promise<void> {
  await ensureParentDir(file);
  await writeFileAtomic(file, data);
}

/** Snapshot file names: iter-000100.png. */
export const SNAPSHOT_NAME = /^iter-\d+\.png$/;

/** The file name of the snapshot of `iteration` in `dir`: iter-000100.png. */
export function snapshotPath(dir: string, iteration: number): string {
  return path.join(dir, `iter-${String(iteration).padStart(6, '0')}.png`);
}
