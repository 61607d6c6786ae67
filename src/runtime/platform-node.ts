/**
 * The Node platform: onnxruntime-node, with CPU always, CUDA when its provider (deep-prior setup
 * cuda) and NVIDIA's libraries are installed, WebGPU via Dawn. 'auto' takes CUDA, else WebGPU on a
 * real GPU (not a software rasteriser), else CPU; each skipped one is explained in a few words.
 * WebAssembly sessions go to onnxruntime-web (one thread), so the browsers' fallback backend can be
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
import { missingCudaProvider, nodeHost, nvidiaDriverVersion, ortBinaryDir, webGpuSoftwareOnly, type HostEnv } from './host-gpu.js';

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

/** Runs the probe graph on `backend`; null when it works, else ONNX Runtime's first line. */
export async function sessionProbe(backend: BackendName): Promise<string | null> {
  try {
    const ort = await loadOrt(backend);
    const s = await ort.InferenceSession.create(probeModel(), { executionProviders: [backend], logSeverityLevel: 4 });
    try {
      const out = await s.run({ x: new ort.Tensor('float32', Float32Array.of(1), [1]) });
      return (out.y.data as Float32Array)[0] === 2 ? null : 'the probe graph computed a wrong result';
    } finally {
      await s.release(); // also when the run fails: the probe leaves no session behind
    }
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
        ? sessionProbe('wasm').then((why) => why && `onnxruntime-web could not start (${why})`)
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
  // WebAssembly is slower than the CPU provider: used only when asked for.
  candidates: () => ['cuda', 'webgpu', 'cpu', 'wasm'],
  probe,
  // WebGPU runs on lavapipe or SwiftShader where there is no GPU: slower than the CPU provider, so 'auto' passes it over.
  autoSkip: async (b) => (b === 'webgpu' ? webGpuSoftwareOnly(nodeHost) : null),
  defaultThreads: () => Math.max(1, Math.min(availableParallelism(), 16)),
  processUsage: () => {
    const u = process.cpuUsage();
    return { cpuSeconds: (u.user + u.system) / 1e6, residentBytes: process.memoryUsage.rss() };
  },
};
