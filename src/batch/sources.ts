/**
 * The files of a batch: every image file under a folder (recursively), or those a glob matches
 * (`*`, `?`, `**` and `{a,b}`; quote it so the shell leaves it alone), each with its path relative
 * to the root, which its output keeps. Sorted, so every run walks them in the same order.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError } from '../util/errors.js';

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp', '.avif', '.tif', '.tiff', '.bmp'];

export interface SourceFile {
  /** The path as the batch reads it. */
  path: string;
  /** Relative to the root, with '/' separators: the output keeps it. */
  rel: string;
}

export interface Sources {
  root: string;
  files: SourceFile[];
}

const isImageName = (name: string) => IMAGE_EXTENSIONS.includes(path.extname(name).toLowerCase());

/** The inputs named by `spec` (a folder or a glob); folders in `exclude` (the output) are never entered. */
export async function findSources(spec: string, exclude: readonly string[] = []): Promise<Sources> {
  const glob = /[*?{]/.test(spec);
  const root = glob ? globRoot(spec) : spec;
  const st = await fs.stat(root).catch(() => null);
  if (!st) throw new InputError(`${root}: no such folder; give a folder of images or a quoted glob such as 'scans/**/*.png'`, { code: 'FILE_NOT_FOUND' });
  if (!st.isDirectory())
    throw new InputError(`${spec} is a file: give a folder of images or a quoted glob (the fitting commands take one file)`, { code: 'NOT_A_FOLDER' });
  const skip = exclude.map((d) => path.resolve(d));
  const all = await walk(root, '', skip);
  const match = glob ? globMatcher(path.relative(root, spec).split(path.sep).join('/')) : isImageName;
  const files = all.filter((rel) => match(rel)).map((rel) => ({ rel, path: path.join(root, rel) }));
  if (files.length === 0) throw new InputError(`${spec} holds no image files (${IMAGE_EXTENSIONS.join(', ')})`, { code: 'NO_INPUTS' });
  return { root, files };
}

/** The folder above the first path segment holding a wildcard. */
function globRoot(spec: string): string {
  const parts = spec.split(/[\\/]/);
  const i = parts.findIndex((p) => /[*?{]/.test(p));
  const root = parts.slice(0, i).join('/');
  return root === '' ? (spec.startsWith('/') ? '/' : '.') : root;
}

async function walk(root: string, rel: string, skip: readonly string[]): Promise<string[]> {
  const dir = path.join(root, rel);
  if (skip.includes(path.resolve(dir)) && rel !== '') return [];
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (e.name.startsWith('.')) continue; // hidden files: temporary outputs, the batch's own folder
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await walk(root, child, skip)));
    else if (e.isFile() || e.isSymbolicLink()) out.push(child);
  }
  return out;
}

/** A glob (relative, '/'-separated) → a test of relative paths. */
export function globMatcher(glob: string): (rel: string) => boolean {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '{') re += '(?:';
    else if (ch === '}') re += ')';
    else if (ch === ',' && re.lastIndexOf('(?:') > re.lastIndexOf(')')) re += '|';
    else re += ch.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  const regex = new RegExp(`^${re}$`);
  return (rel) => regex.test(rel);
}
