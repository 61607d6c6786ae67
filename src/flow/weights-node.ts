/** Reading and writing HCFlow weights files in Node (atomic writes). */
import { promises as fs } from 'node:fs';
import { writeFileAtomic } from '../util/atomic-write-node.js';
import { InputError, oneLine } from '../util/errors.js';
import { decodeWeights, encodeWeights, type FlowWeights } from './weights.js';

export async function readWeightsFile(file: string): Promise<FlowWeights> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`--weights ${file}: no such file; check the path or train a model first`, { code: 'FILE_NOT_FOUND', cause: e });
    if (code === 'EISDIR') throw new InputError(`--weights ${file} is a folder: give the weights file inside it`, { code: 'NOT_A_FILE', cause: e });
    throw new InputError(`--weights ${file} cannot be read: ${oneLine(e)}`, { code: 'FILE_NOT_READABLE', cause: e });
  }
  return decodeWeights(bytes, file);
}

export async function writeWeightsFile(file: string, weights: FlowWeights): Promise<void> {
  await writeFileAtomic(file, encodeWeights(weights));
}
