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

/** onnxruntime-web's WebAssembly build addresses 4 GiB; leave room for the runtime and the page. */
export const WASM_MEMORY_BYTES = 3 * 1024 ** 3;

export function gpuBufferLimit(gpu: GpuInfo): number {
  return Math.min(gpu.maxBufferSize, gpu.maxStorageBufferBindingSize);
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
  const ratios: number[] = [];
  const problems: string[] = [];
  const check = (need: number, have: number, what: string) => {
    if (need <= have) return;
    problems.push(`${what}: it needs about ${formatBytes(need)}, the limit is ${formatBytes(have)}`);
    ratios.push(have / need);
  };
  if (pick.backend === 'webgpu') check(plan.largestTensorBytes, gpuBufferLimit(gpu), "the largest tensor is over this GPU's buffer limit");
  else check(plan.peakBytes, memoryBytes, 'the fit needs more memory than WebAssembly can address');
  if (!problems.length) return { fits: true, problems };
  return { fits: false, problems, downscaleTo: scaledSize(plan.input, Math.min(...ratios)) };
}

/** The size whose pixel count is `ratio` of the current one, with 5 % to spare. */
function scaledSize(size: { width: number; height: number }, ratio: number): { width: number; height: number } {
  const s = Math.sqrt(ratio) * 0.95;
  return { width: Math.max(MIN_SIDE, Math.floor(size.width * s)), height: Math.max(MIN_SIDE, Math.floor(size.height * s)) };
}
