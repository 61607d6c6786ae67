/** The Node platform: onnxruntime-node, with CPU always, CUDA when its libraries are installed, WebGPU via Dawn. */
import { availableParallelism } from 'node:os';
import type { BackendName, OrtModule, Platform } from './engine.js';
import { toOnnx } from '../graph/onnx.js';
import { Graph } from '../graph/graph.js';
import { add } from '../graph/ops/elementwise.js';

let ortPromise: Promise<OrtModule> | null = null;

async function loadOrt(): Promise<OrtModule> {
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

/** One verdict per backend (at most four entries): probing again would only cost a session. */
const probeCache = new Map<BackendName, string | null>();

async function probe(backend: BackendName): Promise<string | null> {
  if (probeCache.has(backend)) return probeCache.get(backend)!;
  let reason: string | null = null;
  if (backend === 'wasm') reason = 'WebAssembly is the browser backend; use cpu in Node';
  else {
    try {
      const ort = await loadOrt();
      const s = await ort.InferenceSession.create(probeModel(), { executionProviders: [backend], logSeverityLevel: 4 });
      try {
        const out = await s.run({ x: new ort.Tensor('float32', Float32Array.of(1), [1]) });
        if ((out.y.data as Float32Array)[0] !== 2) reason = 'the probe graph computed a wrong result';
      } finally {
        await s.release(); // also when the run fails: the probe leaves no session behind
      }
    } catch (e) {
      const msg = (e as Error).message.split('\n')[0];
      reason =
        backend === 'cuda'
          ? `CUDA libraries are not installed or no NVIDIA GPU is present (${msg})`
          : backend === 'webgpu'
            ? `no WebGPU adapter (on a CPU-only Linux machine run scripts/setup-webgpu-lavapipe.sh) (${msg})`
            : msg;
    }
  }
  probeCache.set(backend, reason);
  return reason;
}

export const nodePlatform: Platform = {
  name: 'node',
  loadOrt,
  // 'auto' takes the first that works: CUDA, else CPU (which always works, so WebGPU, which on machines
  // without a GPU would run on a software rasteriser, is used only when asked for).
  candidates: () => ['cuda', 'cpu', 'webgpu'],
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
