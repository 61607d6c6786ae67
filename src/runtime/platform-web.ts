/**
 * The browser platform: onnxruntime-web with WebGPU where the browser offers an adapter, WebAssembly
 * otherwise. Also runs in Node (WebAssembly only), which the conformance tests use.
 */
import type { BackendName, OrtModule, Platform } from './engine.js';

export interface WebPlatformOptions {
  /** Where onnxruntime-web's .wasm files are served from (default: next to the bundle). */
  wasmPaths?: string;
  /** WebAssembly threads (needs cross-origin isolation in browsers). */
  threads?: number;
  /**
   * Imports the onnxruntime-web build to run (default 'onnxruntime-web/webgpu': WebGPU and WebAssembly).
   * The Node platform passes the package's plain WebAssembly build.
   */
  loadModule?: () => Promise<unknown>;
}

interface OrtWebModule extends OrtModule {
  env: { wasm: { numThreads?: number; wasmPaths?: string; proxy?: boolean }; logLevel?: string };
}

export function webPlatform(options: WebPlatformOptions = {}): Platform {
  let ortPromise: Promise<OrtWebModule> | null = null;
  const loadOrt = () => {
    ortPromise ??= (options.loadModule ?? (() => import('onnxruntime-web/webgpu')))().then((m) => {
      const ort = ((m as { default?: unknown }).default ?? m) as OrtWebModule;
      if (options.wasmPaths) ort.env.wasm.wasmPaths = options.wasmPaths;
      ort.env.wasm.numThreads = options.threads ?? 1;
      ort.env.logLevel = 'error';
      return ort;
    });
    return ortPromise;
  };
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } }).navigator?.gpu;
  return {
    name: 'browser',
    loadOrt,
    candidates: (): BackendName[] => ['webgpu', 'wasm'],
    probe: async (b) => {
      if (b === 'wasm') return typeof WebAssembly === 'object' ? null : 'WebAssembly is not available';
      if (b === 'webgpu') {
        if (!gpu) return 'this browser has no WebGPU (navigator.gpu is missing)';
        return (await gpu.requestAdapter()) ? null : 'WebGPU offers no adapter on this device';
      }
      return `${b} is not available in the browser`;
    },
    defaultThreads: () => options.threads ?? 1,
  };
}
