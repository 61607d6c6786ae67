/**
 * The Node platform: onnxruntime-node, with CPU always, CUDA when its libraries are installed, WebGPU via
 * Dawn; WebAssembly sessions go to onnxruntime-web (one thread), so the browsers' fallback backend can be
 * run and compared here. It loads the package's plain WebAssembly build, not the WebGPU one browsers get
 * from webPlatform(): the same kernels, but measured on a busy 2-core machine the WebGPU build took
 * 12.6 s instead of 2.4 s to create a small fit's session and 423 ms instead of 208 ms per step of the
 * fixture net, and the next onnxruntime-node session then waited minutes for V8's background
 * compilation of its larger binary (Node drains background tasks whenever its event loop idles).
 */
import { availableParallelism } from 'node:os';
import type { BackendName, OrtModule, Platform } from './engine.js';
import { webPlatform } from './platform-web.js';
import { toOnnx } from '../graph/onnx.js';
import { Graph } from '../graph/graph.js';
import { add } from '../graph/ops/elementwise.js';

let ortPromise: Promise<OrtModule> | null = null;
const web = webPlatform({ loadModule: () => import('onnxruntime-web') });

async function loadOrt(backend: BackendName): Promise<OrtModule> {
  if (backend === 'wasm') return web.loadOrt(backend);
  ortPromise ??= import('onnxruntime-node').then((m) => ((m as { default?: unknown }).default ?? m) as unknown as OrtModule);
  return ortPromise;
}

/** A one-node graph used to check that a provider really initialises (an adapter exists, libraries load). */
function probeModel(): Uint8Array {
  const g = new Graph('probe');
  const x = g.input('x', [1]);
  g.output(add(x, 1), 'y');
  return toOnnx(g);
}

const probeCache = new Map<BackendName, string | null>();

async function probe(backend: BackendName): Promise<string | null> {
  if (probeCache.has(backend)) return probeCache.get(backend)!;
  let reason: string | null = null;
  try {
    const ort = await loadOrt(backend);
    const s = await ort.InferenceSession.create(probeModel(), { executionProviders: [backend], logSeverityLevel: 4 });
    const out = await s.run({ x: new ort.Tensor('float32', Float32Array.of(1), [1]) });
    if ((out.y.data as Float32Array)[0] !== 2) reason = 'the probe graph computed a wrong result';
    await s.release();
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    reason =
      backend === 'cuda'
        ? `CUDA libraries are not installed or no NVIDIA GPU is present (${msg})`
        : backend === 'webgpu'
          ? `no WebGPU adapter (on a CPU-only Linux machine run scripts/setup-webgpu-lavapipe.sh) (${msg})`
          : backend === 'wasm'
            ? `onnxruntime-web could not start (${msg})`
            : msg;
  }
  probeCache.set(backend, reason);
  return reason;
}

export const nodePlatform: Platform = {
  name: 'node',
  loadOrt,
  // 'auto' takes the first that works: CUDA, else CPU (which always works, so WebGPU, which on machines
  // without a GPU would run on a software rasteriser, and WebAssembly, slower than CPU, are used only
  // when asked for).
  candidates: () => ['cuda', 'cpu', 'webgpu', 'wasm'],
  probe: async (b) => {
    if (b === 'cuda' && !process.env.DEEP_PRIOR_TRY_CUDA && !(await cudaLikelyPresent())) {
      return 'no NVIDIA driver found (set DEEP_PRIOR_TRY_CUDA=1 to try anyway)';
    }
    return probe(b);
  },
  defaultThreads: () => Math.max(1, Math.min(availableParallelism(), 16)),
};

async function cudaLikelyPresent(): Promise<boolean> {
  const { existsSync } = await import('node:fs');
  return existsSync('/proc/driver/nvidia/version');
}
