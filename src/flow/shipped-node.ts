/**
 * The weights shipped in the package (weights/, listed in package.json "files"): one file per
 * command and scale. deep-prior never downloads anything; --weights FILE replaces them.
 */
import { fileURLToPath } from 'node:url';
import { InputError } from '../util/errors.js';
import type { FlowModelKind } from './config.js';
import type { LoadedFlow } from './inference.js';
import { readWeightsFile } from './weights-node.js';

/** src/flow/ and dist/flow/ are both two levels below the package root. */
const WEIGHTS_DIR = new URL('../../weights/', import.meta.url);

export function shippedWeightsPath(kind: FlowModelKind, scale: 2 | 4): string {
  return fileURLToPath(new URL(`${kind}-x${scale}.hcflow`, WEIGHTS_DIR));
}

/**
 * The weights of `file`, or the shipped ones for (kind, scale); refused in one line when missing,
 * broken, of another format version, or holding another model than the command needs.
 */
export async function loadFlowModel(file: string | undefined, kind: FlowModelKind, scale: 2 | 4): Promise<LoadedFlow> {
  const path = file ?? shippedWeightsPath(kind, scale);
  let weights: LoadedFlow['weights'];
  try {
    weights = await readWeightsFile(path);
  } catch (e) {
    if (file === undefined && (e as InputError).code === 'FILE_NOT_FOUND') {
      throw new InputError(`the shipped ${kind} ×${scale} weights (${path}) are missing from this installation: reinstall deep-prior or give --weights FILE`, {
        code: 'FILE_NOT_FOUND',
        cause: e,
      });
    }
    throw e;
  }
  const model = weights.manifest.model;
  if (model.kind !== kind || model.scale !== scale) {
    throw new InputError(`--weights ${path} holds a ×${model.scale} ${model.kind} model; this needs a ×${scale} ${kind} model`, { code: 'BAD_WEIGHTS' });
  }
  return { weights, name: path };
}
