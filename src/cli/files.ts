/**
 * Output path rules of every command: never overwrite an input, refuse an existing output unless
 * --force, create missing parent folders, write atomically (writeImage and writeFileAtomic write a
 * temporary file in the destination folder and rename it over the target).
 */
import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { formatFromPath, writeImage, type WriteOptions } from '../image/io-node.js';
import type { Image } from '../image/image.js';
import { writeFileAtomic } from '../util/atomic-write-node.js';
import { InputError, oneLine } from '../util/errors.js';

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
  /** Check that the extension is one writeImage knows (image outputs only). */
  image?: boolean;
}

/**
 * Checks an output path before any work is done: not an input (exit 2 "output path is the input
 * file"), not an existing file unless `force`, not a directory, and a known image extension.
 */
export async function checkOutputPath(file: string, check: OutputCheck): Promise<void> {
  if (file.trim() === '') throw new InputError(`${check.flag}: the output path is empty; give a file name`, { code: 'BAD_OPTION' });
  for (const input of check.inputs) {
    if (await samePath(file, input)) {
      throw new InputError(`output path is the input file (${file}): choose another ${check.flag} path; deep-prior never overwrites an input`, {
        code: 'OUTPUT_IS_INPUT',
      });
    }
  }
  if (check.image) formatFromPath(file);
  const st = await statOrNull(file);
  if (st?.isDirectory()) throw new InputError(`${check.flag} ${file} is a directory: give a file name`, { code: 'OUTPUT_IS_DIR' });
  if (st && !check.force) {
    throw new InputError(`${file} already exists: add --force to overwrite it, or choose another ${check.flag} path`, { code: 'OUTPUT_EXISTS' });
  }
}

/** Creates the folder that will hold `file` (and its parents). */
export async function ensureParentDir(file: string): Promise<void> {
  await ensureDir(path.dirname(path.resolve(file)));
}

export async function ensureDir(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR')
      throw new InputError(`cannot create the folder ${dir}: a file is in the way`, { code: 'OUTPUT_DIR_MISSING', cause: e });
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new InputError(`cannot create the folder ${dir}: permission denied; choose another output folder`, { code: 'OUTPUT_NOT_WRITABLE', cause: e });
    }
    throw new InputError(`cannot create the folder ${dir}: ${oneLine(e)}`, { code: 'OUTPUT_DIR_MISSING', cause: e });
  }
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

/** The file name of the snapshot of `iteration` in `dir`: iter-000100.png. */
export function snapshotPath(dir: string, iteration: number): string {
  return path.join(dir, `iter-${String(iteration).padStart(6, '0')}.png`);
}

/**
 * Checks a --snapshots folder: not a file, not an input, and (without --force) holding no
 * snapshots from an earlier run, which the new ones would silently mix with.
 */
export async function checkSnapshotDir(dir: string, inputs: readonly string[], force: boolean): Promise<void> {
  for (const input of inputs) {
    if (await samePath(dir, input)) throw new InputError(`--snapshots ${dir} is an input file: give a folder`, { code: 'OUTPUT_IS_INPUT' });
  }
  const st = await statOrNull(dir);
  if (st === null) return;
  if (!st.isDirectory()) throw new InputError(`--snapshots ${dir} is a file, not a folder: give a folder path`, { code: 'OUTPUT_IS_FILE' });
  if (force) return;
  const old = (await fs.readdir(dir)).filter((f) => /^iter-\d+\.png$/.test(f));
  if (old.length > 0) {
    throw new InputError(`--snapshots ${dir} already holds ${old.length} snapshot(s): add --force to overwrite them, or choose an empty folder`, {
      code: 'OUTPUT_EXISTS',
    });
  }
}
