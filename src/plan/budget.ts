/**
 * The memory budget of a run: --max-memory when given; else, on the CPU, this process's resident
 * memory plus a safe share of what the system has available; on a GPU backend no limit is known
 * (device memory is not visible through ONNX Runtime), so nothing is tiled unless asked for.
 */
import { formatBytes } from '../options/kinds.js';
import type { BackendName } from '../runtime/engine.js';
import { SAFE_MEMORY_SHARE, type PlanEnvironment } from './environment.js';

export interface MemoryBudget {
  /** Bytes the process may peak at; null = no limit known. */
  bytes: number | null;
  /** Where it comes from, for the plan's line. */
  reason: string;
}

export function memoryBudget(maxMemory: number | undefined, backend: BackendName, env: PlanEnvironment): MemoryBudget {
  if (maxMemory !== undefined) return { bytes: maxMemory, reason: 'max-memory' };
  if (backend === 'cuda' || backend === 'webgpu') return { bytes: null, reason: `no ${backend} memory limit known` };
  const available = env.availableMemory?.();
  if (available === undefined || !Number.isFinite(available)) return { bytes: null, reason: 'available memory unknown' };
  const held = env.residentBytes?.() ?? 0;
  const share = Math.round(SAFE_MEMORY_SHARE * 100);
  return { bytes: held + SAFE_MEMORY_SHARE * available, reason: `${share} % of the ${formatBytes(available)} available` };
}
