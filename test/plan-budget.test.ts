/** The memory budget a plan sizes tiles by: where it comes from on each backend, and the GPU's free memory as nvidia-smi reports it. */
import { describe, expect, it } from 'vitest';
import { memoryBudget } from '../src/plan/budget.js';
import { SAFE_MEMORY_SHARE } from '../src/plan/environment.js';
import { parseGpuFree } from '../src/plan/environment-node.js';
import { CLI_NAMING } from '../src/cli/flags.js';
import { createImage } from '../src/image/image.js';
import { planWith } from '../src/restore/index.js';
import type { Platform } from '../src/runtime/engine.js';
import { nodePlatform } from '../src/runtime/platform-node.js';
import { InputError } from '../src/util/errors.js';

const GB = 2 ** 30;

describe('memory budget', () => {
  const env = { availableMemory: () => 8 * GB, residentBytes: () => 0.5 * GB, gpuFreeMemory: () => 20 * GB };

  it('--max-memory wins on every backend', () => {
    for (const backend of ['cpu', 'cuda', 'webgpu'] as const) expect(memoryBudget(3 * GB, backend, env)).toEqual({ bytes: 3 * GB, reason: 'max-memory' });
  });

  it('on the CPU: what the process holds plus a safe share of the available memory; unknown available memory is no limit', () => {
    const b = memoryBudget(undefined, 'cpu', env);
    expect(b.bytes).toBe(0.5 * GB + SAFE_MEMORY_SHARE * 8 * GB);
    expect(b.reason).toBe('75 % of the 8.0 GB available');
    expect(memoryBudget(undefined, 'cpu', { residentBytes: () => GB }).bytes).toBeNull();
  });

  it('on CUDA: a safe share of the free device memory where the driver reports it, else none; on WebGPU none', () => {
    const b = memoryBudget(undefined, 'cuda', env);
    expect(b.bytes).toBe(SAFE_MEMORY_SHARE * 20 * GB);
    expect(b.reason).toBe('75 % of the 20.0 GB free on the GPU');
    expect(b.onGpu).toBe(true);
    expect(memoryBudget(undefined, 'cuda', { ...env, gpuFreeMemory: () => undefined })).toEqual({ bytes: null, reason: 'no cuda memory limit known' });
    expect(memoryBudget(undefined, 'webgpu', env).bytes).toBeNull();
  });

  it('a GPU too full for the smallest tile: the refusal says to free GPU memory or run on the processor, not to raise --max-memory alone', async () => {
    // A platform that reports CUDA as present (none here); the shipped calibration, nothing cached.
    const cuda: Platform = { ...nodePlatform, candidates: () => ['cuda', 'cpu'], probe: async () => null };
    const request = { task: 'denoise' as const, image: createImage(512, 512, 3), backend: 'cuda' as const };
    const full = { residentBytes: () => 0, gpuFreeMemory: () => 64 * 2 ** 20 };
    const refused = await planWith(cuda, request, { naming: CLI_NAMING }, full).catch((e: InputError) => e);
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as InputError).message).toMatch(
      /not even the smallest tile \(96×96 pixels\) fits in the 48 MB this run may use \(75 % of the 64 MB free on the GPU\): .*free memory on the GPU .*--backend cpu \(--max-memory \d+M overrides the GPU's reading\)/,
    );
    expect((refused as InputError).option).toBe('backend');
    // On the processor the same shortfall asks for a larger --max-memory.
    const small = await planWith(nodePlatform, { ...request, backend: 'cpu', maxMemory: 64 * 2 ** 20 }, { naming: CLI_NAMING }, full).catch(
      (e: InputError) => e,
    );
    expect((small as InputError).message).toMatch(/give --max-memory \d+M or more$/);
  });

  it("reads nvidia-smi's free MiB of the first GPU; anything else is no report", () => {
    expect(parseGpuFree('81037\n')).toBe(81037 * 2 ** 20);
    expect(parseGpuFree('  1200 \n 40000\n')).toBe(1200 * 2 ** 20);
    expect(parseGpuFree("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.")).toBeUndefined();
    expect(parseGpuFree('[N/A]')).toBeUndefined();
    expect(parseGpuFree('')).toBeUndefined();
  });
});
