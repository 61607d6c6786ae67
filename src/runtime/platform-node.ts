/**
 * The Node platform: onnxruntime-node, with CPU always, CUDA when its provider (deep-prior setup
 * cuda) and NVIDIA's libraries are installed, WebGPU via Dawn. 'auto' takes CUDA, else WebGPU on a
 * real GPU (not a software rasteriser), else CPU; each skipped one is explained in a few words.
 */
import { availableParallelism } from 'node:os';
import type { BackendName, OrtModule, Platform } from './engine.js';
import { toOnnx } from '../graph/onnx.js';
import { Graph } from '../graph/graph.js';
import { add } from '../graph/ops/elementwise.js';
import { missingCudaProvider, nodeHost, nvidiaDriverVersion, ortBinaryDir, webGpuSoftwareOnly, type HostEnv } from './host-gpu.js';

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

/** Runs the probe graph on `backend`; null when it works, else ONNX Runtime's first line. */
export async function sessionProbe(backend: BackendName): Promise<string | null> {
  try {
    const ort = await loadOrt();
    const s = await ort.InferenceSession.create(probeModel(), { executionProviders: [backend], logSeverityLevel: 4 });
    const out = await s.run({ x: new ort.Tensor('float32', Float32Array.of(1), [1]) });
    await s.release();
    return (out.y.data as Float32Array)[0] === 2 ? null : 'the probe graph computed a wrong result';
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
}

/** Why CUDA cannot run here, in a few words (the cheap checks first), or null. */
export async function cudaUnavailable(host: HostEnv, probe: () => Promise<string | null>): Promise<string | null> {
  if (!host.env.DEEP_PRIOR_TRY_CUDA && (await nvidiaDriverVersion(host)) === null) return 'no NVIDIA driver';
  if (host.platform === 'linux' && (await missingCudaProvider(host, ortBinaryDir(host))).length > 0) {
    return 'its ONNX Runtime provider is not installed (deep-prior setup cuda)';
  }
  const why = await probe();
  return why && `did not start (${why.slice(0, 120)}; deep-prior setup cuda --check tells why)`;
}

const probeCache = new Map<BackendName, Promise<string | null>>();

function probe(backend: BackendName): Promise<string | null> {
  let reason = probeCache.get(backend);
  if (!reason) {
    reason =
      backend === 'wasm'
        ? Promise.resolve('WebAssembly is the browser backend; use cpu in Node')
        : backend === 'cuda'
          ? cudaUnavailable(nodeHost, () => sessionProbe('cuda'))
          : sessionProbe(backend).then((why) => why && (backend === 'webgpu' ? `no WebGPU adapter (${why})` : why));
    probeCache.set(backend, reason);
  }
  return reason;
}

export const nodePlatform: Platform = {
  name: 'node',
  loadOrt,
  candidates: () => ['cuda', 'webgpu', 'cpu'],
  probe,
  // WebGPU runs on lavapipe or SwiftShader where there is no GPU: slower than the CPU provider, so 'auto' passes it over.
  autoSkip: async (b) => (b === 'webgpu' ? webGpuSoftwareOnly(nodeHost) : null),
  defaultThreads: () => Math.max(1, Math.min(availableParallelism(), 16)),
};
