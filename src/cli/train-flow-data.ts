/**
 * The images of a flow training: every image of the --data folders, minus the validation images —
 * a separate --val folder, or --hold-out N images of the last --data folder spread evenly by name.
 * Names are recorded relative to their folders' names, so a --resume on other data is refused.
 */
import path from 'node:path';
import { listImageFiles } from '../flow/dataset-node.js';
import type { TrainingData } from '../flow/train-checkpoint.js';
import { InputError } from '../util/errors.js';
import type { FlowSettings } from '../validate-flow.js';
import { canonicalPath } from './files.js';

export interface TrainingFiles {
  train: string[];
  validation: string[];
  /** The same, as recorded in checkpoints and weights. */
  names: TrainingData;
}

/** `n` of `files` spread evenly (the middle of each of n equal runs). */
export function spreadPick<T>(files: readonly T[], n: number): T[] {
  return Array.from({ length: n }, (_, i) => files[Math.floor(((i + 0.5) * files.length) / n)]);
}

const recorded = (file: string) => `${path.basename(path.dirname(file))}/${path.basename(file)}`;

export async function trainingFiles(s: Pick<FlowSettings, 'data' | 'val' | 'holdOut'>): Promise<TrainingFiles> {
  const dirs = s.data!.split(',').map((d) => d.trim());
  const lists = [];
  for (const dir of dirs) lists.push(await listImageFiles(dir, '--data'));
  let validation: string[];
  if (s.holdOut !== undefined) {
    const last = lists[lists.length - 1];
    if (s.holdOut >= last.length) {
      throw new InputError(`--hold-out ${s.holdOut} would leave no training image of ${dirs[dirs.length - 1]} (${last.length} images): hold out fewer`, {
        code: 'BAD_OPTION',
      });
    }
    validation = spreadPick(last, s.holdOut);
  } else validation = await listImageFiles(s.val!, '--val');
  const held = new Set(await Promise.all(validation.map(canonicalPath)));
  const train: string[] = [];
  for (const f of lists.flat()) if (!held.has(await canonicalPath(f))) train.push(f);
  if (!train.length) throw new InputError('--data: every image is also a validation image; give other training images', { code: 'BAD_DATA' });
  return { train, validation, names: { train: train.map(recorded), validation: validation.map(recorded) } };
}
