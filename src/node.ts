/**
 * The Node entry point: the library API with the Node platform (onnxruntime-node, sharp I/O).
 *   import { restore, readImage, writeImage } from 'deep-prior/node';
 */
import { planWith, restoreWith, searchArchitectureWith, type PlanHooks } from './restore/index.js';
import type { Plan } from './plan/types.js';
import type { SearchHooks } from './autoarch/procedure.js';
import type { SearchSummary } from './search/types.js';
import { nodePlatform } from './runtime/platform-node.js';
import { nodePlanEnvironment } from './plan/environment-node.js';
import type { RestoreHooks, RestoreOptions, RestoreResult } from './options/index.js';
import { screenWith, type ScreenHooks, type ScreenRequest, type ScreenResult } from './search/screen.js';

export function restore(options: RestoreOptions, hooks?: RestoreHooks): Promise<RestoreResult> {
  return restoreWith(nodePlatform, options, hooks, nodePlanEnvironment());
}

/** The plan of a restoration (memory, time, tiles) on this machine, without fitting. */
export function plan(options: RestoreOptions, hooks?: PlanHooks): Promise<Plan> {
  return planWith(nodePlatform, options, hooks, nodePlanEnvironment());
}

/** ISNAS-DIP's training-free screening of random cross-skip networks on ONNX Runtime for Node. */
export function screen(request: ScreenRequest, hooks?: ScreenHooks): Promise<ScreenResult> {
  return screenWith(nodePlatform, request, hooks);
}

/** ISNAS-DIP's whole search (screening, cohort fits, costs, choice) without the final fit; `arch: 'auto'` in restore() runs it first. */
export function searchArchitecture(options: RestoreOptions, hooks?: SearchHooks): Promise<SearchSummary> {
  return searchArchitectureWith(nodePlatform, options, hooks);
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
