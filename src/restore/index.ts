/**
 * restore(): the validated request fitted by the single-fit pipeline (single.ts). Platform-neutral:
 * the ONNX Runtime flavour and anything file-related are injected, so the same function runs in
 * Node (src/node.ts) and in the browser. A request the caller already validated is not checked again.
 */
import type { RestoreHooks, RestoreOptions, RestoreResult } from '../options/index.js';
import type { Platform } from '../runtime/engine.js';
import { validateRestoreOptions } from '../validate.js';
import { restoreSingle } from './single.js';

export function restoreWith(platform: Platform, options: RestoreOptions, hooks: RestoreHooks = {}): Promise<RestoreResult> {
  return restoreSingle(platform, validateRestoreOptions(options), hooks);
}

export { effectiveSettings } from '../tasks/settings.js';
