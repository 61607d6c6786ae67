/**
 * The Node entry point: the library API with the Node platform (onnxruntime-node, sharp I/O).
 *   import { restore, readImage, writeImage } from 'deep-prior/node';
 */
import { restoreWith } from './restore.js';
import { nodePlatform } from './runtime/platform-node.js';
import type { RestoreHooks, RestoreOptions, RestoreResult } from './options.js';

export function restore(options: RestoreOptions, hooks?: RestoreHooks): Promise<RestoreResult> {
  return restoreWith(nodePlatform, options, hooks);
}

export * from './index.js';
export { readImage, writeImage, decodeImage, encodeImage, resizeImage, jpegRoundTrip } from './image/io-node.js';
export { overlayText } from './image/text-node.js';
export { nodePlatform } from './runtime/platform-node.js';
export { listImageFiles, loadTrainingImages } from './flow/dataset-node.js';
export { readWeightsFile, writeWeightsFile } from './flow/weights-node.js';
