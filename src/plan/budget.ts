/**
 * The memory budget of a run: --max-memory when given; else, on the CPU, this process's resident
 * memory plus a safe share of what the system has available; on CUDA a safe share of the device's
 * free memory where the driver reports it (the step's tensors live there; the plan's memory model is
 * the calibration's, whose CUDA figures are not yet measured on a GPU, so it is a stand-in); on
 * WebGPU, or CUDA without a report, no limit is known, and nothing is tiled unless --tile-size asks.
 */
import { formatBytes } from '../options/kinds.js';
import type { BackendName } from '../runtime/engine.js';
import { SAFE_MEMORY_SHARE, type PlanEnvironment } from './environment.js';

export interface MemoryBudget {
  /** Bytes the process may peak at; null = no limit known. */
  bytes: number | null;
  /** Where it comes from, for the plan's line. */
  reason: string;
  /** The budget is the GPU's free memory: a larger --max-memory does not make room there. */
  onGpu?: true;
}

export function memoryBudget(maxMemory: number | undefined, backend: BackendName, env: PlanEnvironment): MemoryBudget {
  if (maxMemory !== undefined) return { bytes: maxMemory, reason: 'max-memory' };
  const share = Math.round(SAFE_MEMORY_SHARE * 100);
  if (backend === 'cuda') {
    const free = env.gpuFreeMemory?.();
    if (free !== undefined && free > 0)
      return { bytes: SAFE_MEMORY_SHARE * free, reason: `${share} % of the ${formatBytes(free)} free on the GPU`, onGpu: true };
  }
  if (backend === 'cuda' || backend === 'webgpu') return { bytes: null, reason: `no ${backend} memory limit known` };
  const available = env.availableMemory?.();
  if (available === undefined || !Number.isFinite(available)) return { bytes: null, reason: 'available memory unknown' };
  const held = env.residentBytes?.() ?? 0;
  return { bytes: held + SAFE_MEMORY_SHARE * available, reason: `${share} % of the ${formatBytes(available)} available` };
}
