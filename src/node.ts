/**
 * The Node entry point: the library API with the Node platform (onnxruntime-node, sharp I/O).
 *   import { restore, readImage, writeImage } from 'deep-prior/node';
 */
import { restoreWith } from './restore/index.js';
import { nodePlatform } from './runtime/platform-node.js';
import type { RestoreHooks, RestoreOptions, RestoreResult } from './options/index.js';
import { screenWith, type ScreenHooks, type ScreenRequest, type ScreenResult } from './search/screen.js';

export function restore(options: RestoreOptions, hooks?: RestoreHooks): Promise<RestoreResult> {
  return restoreWith(nodePlatform, options, hooks);
}

/** ISNAS-DIP's training-free screening of random cross-skip networks on ONNX Runtime for Node. */
export function screen(request: ScreenRequest, hooks?: ScreenHooks): Promise<ScreenResult> {
  return screenWith(nodePlatform, request, hooks);
}

export * from './index.js';
export {
  readImage,
  writeImage,
  decodeImage,
  encodeImage,
  encodeImageFile,
  formatFromPath,
  resizeImage,
  jpegRoundTrip,
  LOSSY_FORMATS,
  DEFAULT_QUALITY,
  type ImageFile,
  type ReadOptions,
  type WriteOptions,
  type WriteResult,
  type EncodedImage,
  type OutputFormat,
} from './image/io-node.js';
export { overlayText } from './image/text-node.js';
export { nodePlatform } from './runtime/platform-node.js';
export { listImageFiles, loadTrainingImages } from './flow/dataset-node.js';
export { readWeightsFile, writeWeightsFile } from './flow/weights-node.js';
export { loadFlowModel, shippedWeightsPath } from './flow/shipped-node.js';
