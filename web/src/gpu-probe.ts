/**
 * What this browser's WebGPU offers, asked once: whether there is an adapter at all, whether it is a
 * software one, and its buffer limits (a tensor larger than maxStorageBufferBindingSize cannot run).
 */

export interface GpuInfo {
  /** null when WebGPU can be used; else why not, in words. */
  unavailable: string | null;
  description: string;
  software: boolean;
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

interface AdapterLike {
  limits: { maxBufferSize: number; maxStorageBufferBindingSize: number };
  info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
}

const NONE: Omit<GpuInfo, 'unavailable'> = { description: '', software: false, maxBufferSize: 0, maxStorageBufferBindingSize: 0 };

export async function probeGpu(): Promise<GpuInfo> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<AdapterLike | null> } }).gpu;
  if (!gpu) return { ...NONE, unavailable: 'this browser has no WebGPU' };
  let adapter: AdapterLike | null = null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (e) {
    return { ...NONE, unavailable: `WebGPU refused to give an adapter (${(e as Error).message})` };
  }
  if (!adapter) return { ...NONE, unavailable: 'WebGPU found no GPU adapter (failed to get GPU adapter: no usable GPU or driver)' };
  const info = adapter.info ?? {};
  const parts = [info.vendor, info.architecture, info.description].filter((s) => s);
  return {
    unavailable: null,
    description: parts.join(' ') || 'a GPU',
    software: !!(info.isFallbackAdapter ?? adapter.isFallbackAdapter),
    maxBufferSize: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
  };
}
