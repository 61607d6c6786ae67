/**
 * The output folder checked before it is locked, so bad usage exits 2 before any file is fitted:
 * not the input folder, no result or report written over a file the batch reads (an input, a
 * mask, flash photo or reference), whatever --force says, and a folder (not a file) that takes
 * new files (created level by level and probed, as for every command's outputs).
 */
import { canonicalPath, checkOutputPath } from '../cli/files.js';
import { InputError } from '../util/errors.js';
import type { Companion, PlannedFile } from './plan.js';
import { BATCH_NAMING, type BatchRequest } from './request.js';
import type { Sources } from './sources.js';

const COMPANION_NAME: Record<Companion['key'], string> = { mask: 'mask', guide: 'flash photo', reference: 'reference' };

export async function checkBatchOutput(req: BatchRequest, sources: Sources, files: readonly PlannedFile[]): Promise<void> {
  const outDir = req.batch.output;
  if ((await canonicalPath(sources.root)) === (await canonicalPath(outDir))) {
    throw new InputError(`-o ${outDir} is the input folder: choose another output folder; deep-prior never overwrites an input`, { code: 'OUTPUT_IS_INPUT' });
  }
  await checkNoReadFileWritten(req, sources, files);
  await checkOutputFolder(outDir);
}

/**
 * Every planned output against every file the batch reads, by canonical path: -o above the input
 * folder (nest for nest/sub) can put one input's result on another input, -o a companion folder
 * a result on a reference. A batch reads each file after writing others, so none may be written.
 */
async function checkNoReadFileWritten(req: BatchRequest, sources: Sources, files: readonly PlannedFile[]): Promise<void> {
  const read = new Map<string, string>();
  for (const s of sources.files) read.set(await canonicalPath(s.path), 'an input');
  for (const key of ['mask', 'guide'] as const) {
    const file = req.values[key]; // one for every input
    if (typeof file === 'string') read.set(await canonicalPath(file), `the ${BATCH_NAMING.name(key)} file`);
  }
  for (const f of files) {
    for (const [key, file] of Object.entries(f.companions)) read.set(await canonicalPath(file), `the ${COMPANION_NAME[key as Companion['key']]} of ${f.rel}`);
  }
  for (const f of files) {
    for (const [out, kind] of [
      [f.output, 'result'],
      [f.report, 'report'],
    ]) {
      const what = read.get(await canonicalPath(out));
      if (what === undefined) continue;
      throw new InputError(
        `${BATCH_NAMING.name('output')} ${req.batch.output} would write the ${kind} of ${f.rel} over ${out}, ${what}: choose an output folder apart from the inputs; deep-prior never overwrites an input`,
        { code: 'OUTPUT_IS_INPUT' },
      );
    }
  }
}

/** -o is a folder, or nothing yet: a file there, or a place that takes no files (/proc), is refused now (the folder rule of every output). */
async function checkOutputFolder(outDir: string): Promise<void> {
  await checkOutputPath(outDir, { flag: BATCH_NAMING.name('output'), inputs: [], force: true, kind: 'folder' });
}
