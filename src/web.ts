/**
 * The browser entry point: the library API with the browser platform (onnxruntime-web: WebGPU where
 * the browser offers an adapter, else WebAssembly). It imports no Node module (test/web-entry.test.ts).
 *   import { restore, fromImageData, toImageData } from 'deep-prior/web';
 * `restore` runs with onnxruntime-web's defaults (its .wasm files served next to the bundle, one
 * thread); for other settings call restoreWith(webPlatform({ wasmPaths, threads }), options, hooks).
 */
import { restoreWith } from './restore/index.js';
import type { Platform } from './runtime/engine.js';
import { webPlatform } from './runtime/platform-web.js';
import type { RestoreHooks, RestoreOptions, RestoreResult } from './options/index.js';

let defaultPlatform: Platform | null = null;

export function restore(options: RestoreOptions, hooks?: RestoreHooks): Promise<RestoreResult> {
  defaultPlatform ??= webPlatform();
  return restoreWith(defaultPlatform, options, hooks);
}

export * from './index.js';
export { webPlatform, type WebPlatformOptions } from './runtime/platform-web.js';
