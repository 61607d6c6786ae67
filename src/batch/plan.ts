/**
 * Where each input's result and companions go: the output keeps the input's relative path (its
 * extension follows --format), a per-file mask, flash photo or reference is found by a name
 * pattern, and the batch's own files live in OUT/.deep-prior/ (journal, reports, summary).
 */
import path from 'node:path';
import { InputError } from '../util/errors.js';
import type { BatchFormat } from './options.js';
import type { SourceFile } from './sources.js';

export const STATE_DIR = '.deep-prior';

const EXTENSION: Record<BatchFormat, string> = { png: '.png', jpeg: '.jpg', webp: '.webp', avif: '.avif', tiff: '.tif' };
/** Input extensions that are also output formats (kept when no --format is given). */
const WRITABLE = ['.png', '.jpg', '.jpeg', '.webp', '.avif', '.tif', '.tiff'];

export interface Companion {
  key: 'mask' | 'guide' | 'reference';
  dir: string;
  pattern: string;
}

export interface PlannedFile extends SourceFile {
  output: string;
  /** The output's path relative to the output folder. */
  outputRel: string;
  report: string;
  companions: Partial<Record<Companion['key'], string>>;
}

export function statePath(outDir: string, ...parts: string[]): string {
  return path.join(outDir, STATE_DIR, ...parts);
}

/** {name}, {ext} and {file} of a pattern, from the input's file name. */
export function expandPattern(pattern: string, rel: string): string {
  const file = path.posix.basename(rel);
  const ext = path.posix.extname(file);
  return pattern
    .replaceAll('{file}', file)
    .replaceAll('{name}', file.slice(0, file.length - ext.length))
    .replaceAll('{ext}', ext.slice(1));
}

function outputRelOf(rel: string, format: BatchFormat | undefined): string {
  const ext = path.posix.extname(rel);
  const keep = format === undefined && WRITABLE.includes(ext.toLowerCase());
  return keep ? rel : `${rel.slice(0, rel.length - ext.length)}${EXTENSION[format ?? 'png']}`;
}

/** Plans every file; two inputs that would share an output (a.jpg and a.png with --format png) are refused. */
export function planFiles(files: readonly SourceFile[], outDir: string, format: BatchFormat | undefined, companions: readonly Companion[]): PlannedFile[] {
  const byOutput = new Map<string, string>();
  const companionPaths = new Set<string>();
  const planned = files.map((f) => {
    const outputRel = outputRelOf(f.rel, format);
    const other = byOutput.get(outputRel.toLowerCase());
    if (other !== undefined) {
      throw new InputError(`${other} and ${f.rel} would both be written as ${outputRel}: rename one of them, or choose another --format`, {
        code: 'OUTPUT_CLASH',
      });
    }
    byOutput.set(outputRel.toLowerCase(), f.rel);
    const found: PlannedFile['companions'] = {};
    for (const c of companions) {
      found[c.key] = path.join(c.dir, path.posix.dirname(f.rel), expandPattern(c.pattern, f.rel));
      companionPaths.add(path.resolve(found[c.key]!));
    }
    return { ...f, output: path.join(outDir, outputRel), outputRel, report: statePath(outDir, 'reports', `${outputRel}.json`), companions: found };
  });
  // Masks kept beside their photos (x.png, x_mask.png) are companions, not inputs.
  return planned.filter((p) => !companionPaths.has(path.resolve(p.path)));
}
