/**
 * Which backend a fit runs on, and whether it fits the device — decided before the fit, with the
 * reason in words. WebGPU when there is a hardware adapter whose buffers hold the largest tensor;
 * WebAssembly otherwise (and always possible). A plan too large for the backend gets a downscale
 * offer: the size at which its largest tensor and its peak memory, both about proportional to the
 * pixel count, come under the limits.
 */
import { MIN_SIDE } from '../../src/index.js';
import { formatBytes } from './format.js';
import type { GpuInfo } from './gpu-probe.js';
import type { FitPlan } from './plan-estimate.js';
import type { BackendPick } from './protocol.js';

export type BackendSetting = 'auto' | 'webgpu' | 'wasm';

/** onnxruntime-web's WebAssembly build addresses 4 GiB (wasm32); a little stays for the page's own copies. */
export const WASM_MEMORY_BYTES = 3.75 * 1024 ** 3;
/**
 * What onnxruntime-web 1.30's WebAssembly backend needs beyond the step's tensors, measured in Node
 * (peak RSS over the baseline, denoise fast preset, 3,952 operations): about 1.85 GB at 64² and at 256²
 * alike — the session holds ≈ 470 KB per operation — and ≈ 1.1× the liveness estimate on top.
 */
export const WASM_BYTES_PER_NODE = 480 * 1024;
export const WASM_TENSOR_FACTOR = 1.25;

/** Bytes a fit needs on WebAssembly: the runtime's share per operation, and the step's tensors with a margin. */
export function wasmNeed(plan: FitPlan): { fixed: number; total: number } {
  const fixed = plan.nodesPerStep * WASM_BYTES_PER_NODE;
  return { fixed, total: fixed + WASM_TENSOR_FACTOR * plan.peakBytes };
}

export function gpuBufferLimit(gpu: GpuInfo): number {
  return Math.min(gpu.maxBufferSize, gpu.maxStorageBufferBindingSize);
}

/** The form's backend setting (absent: auto). */
export function backendSetting(settings: Record<string, unknown>): BackendSetting {
  return (settings.backend as BackendSetting | undefined) ?? 'auto';
}

export function pickBackend(setting: BackendSetting, gpu: GpuInfo, plan: FitPlan | null): BackendPick {
  if (setting === 'wasm') return { backend: 'wasm', reason: 'WebAssembly, as chosen in the settings' };
  if (gpu.unavailable) {
    const asked = setting === 'webgpu' ? 'WebGPU was asked for, but ' : '';
    return { backend: 'wasm', reason: `${asked}${gpu.unavailable}: WebAssembly runs the fit on the processor` };
  }
  if (setting === 'webgpu') return { backend: 'webgpu', reason: `WebGPU, as chosen in the settings (${gpu.description})` };
  if (gpu.software) return { backend: 'wasm', reason: `the only WebGPU adapter is a software one (${gpu.description}): WebAssembly is faster` };
  const limit = gpuBufferLimit(gpu);
  if (plan && plan.largestTensorBytes > limit) {
    return { backend: 'wasm', reason: `the largest tensor (${formatBytes(plan.largestTensorBytes)}) is over this GPU's buffer limit (${formatBytes(limit)})` };
  }
  return { backend: 'webgpu', reason: `WebGPU on ${gpu.description} (buffers up to ${formatBytes(limit)})` };
}

export interface Verdict {
  fits: boolean;
  /** Why it does not fit, in words. */
  problems: string[];
  /** An input size that would fit (same aspect ratio). */
  downscaleTo?: { width: number; height: number };
}

export function verdictOf(plan: FitPlan, pick: BackendPick, gpu: GpuInfo, memoryBytes = WASM_MEMORY_BYTES): Verdict {
  if (pick.backend === 'webgpu') {
    const limit = gpuBufferLimit(gpu);
    if (plan.largestTensorBytes <= limit) return { fits: true, problems: [] };
    const problem = `the largest tensor is over this GPU's buffer limit: it needs about ${formatBytes(plan.largestTensorBytes)}, the limit is ${formatBytes(limit)}`;
    return { fits: false, problems: [problem], downscaleTo: scaledSize(plan.input, limit / plan.largestTensorBytes) };
  }
  const need = wasmNeed(plan);
  if (need.total <= memoryBytes) return { fits: true, problems: [] };
  const problem = `the fit needs more memory than WebAssembly can address: about ${formatBytes(need.total)}, the limit is ${formatBytes(memoryBytes)}`;
  // Only the tensors shrink with the picture; the runtime's share per operation stays.
  const room = memoryBytes - need.fixed;
  if (room <= 0) return { fits: false, problems: [`${problem}; at any size (use fewer channels)`] };
  return { fits: false, problems: [problem], downscaleTo: scaledSize(plan.input, room / (need.total - need.fixed)) };
}

/** The size whose pixel count is `ratio` of the current one, with 5 % to spare. */
function scaledSize(size: { width: number; height: number }, ratio: number): { width: number; height: number } {
  const s = Math.sqrt(ratio) * 0.95;
  return { width: Math.max(MIN_SIDE, Math.floor(size.width * s)), height: Math.max(MIN_SIDE, Math.floor(size.height * s)) };
}

/** A plan judged as the app judges one: on the backend picked for it, does it fit (web/src/tiles.ts' candidates). */
export function judgeOnPick(setting: BackendSetting, gpu: GpuInfo, memoryBytes = WASM_MEMORY_BYTES) {
  return (plan: FitPlan) => {
    const pick = pickBackend(setting, gpu, plan);
    return { fits: verdictOf(plan, pick, gpu, memoryBytes).fits, backend: pick.backend };
  };
}
