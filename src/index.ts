/**
 * The platform-neutral library API (browser-safe). Node users import 'deep-prior/node', which adds
 * `restore` bound to onnxruntime-node and file I/O; browser code imports 'deep-prior/web', which adds
 * `restore` bound to onnxruntime-web (or calls `restoreWith(webPlatform(options), ...)`).
 */
export * from './options/index.js';
export { restoreWith, planWith, searchArchitectureWith, effectiveSettings, type PlanHooks } from './restore/index.js';
export type { Plan, PlanTiling } from './plan/types.js';
export type { PlanEnvironment, CalibrationCache } from './plan/environment.js';
export { planLines } from './plan/format.js';
export { validateRestoreOptions, validateSettings, validateImages, isValidated, type ValidRequest, type ValidSettings } from './validate.js';
export * from './image/index.js';
export * from './search/index.js';
export * from './autoarch/index.js';
export { crossSkipNetwork } from './nets/index.js';
export { Engine, chooseBackend, type Platform, type BackendName, type BackendRequest } from './runtime/engine.js';
export { DeepPriorError, InputError, RunError, EngineError, AbortError } from './util/errors.js';
export { Rng } from './util/random.js';
export * from './flow/index.js';
