/** Backend choice: clear reasons, clear errors for missing providers, never a crash. */
import { describe, expect, it } from 'vitest';
import { restore } from '../src/node.js';
import { chooseBackend, Engine, type Platform } from '../src/runtime/engine.js';
import { nodePlatform } from '../src/runtime/platform-node.js';
import { EngineError, InputError } from '../src/util/errors.js';

function fakePlatform(unavailable: Record<string, string>): Platform {
  return {
    name: 'node',
    loadOrt: () => Promise.reject(new Error('not used')),
    candidates: () => ['cuda', 'cpu', 'webgpu'],
    probe: async (b) => unavailable[b] ?? null,
    defaultThreads: () => 2,
  };
}

describe('runtime: backend choice', () => {
  it('auto picks the first working backend and says what it skipped', async () => {
    const c = await chooseBackend(fakePlatform({ cuda: 'no NVIDIA driver' }), 'auto');
    expect(c.backend).toBe('cpu');
    expect(c.reason).toMatch(/skipped: cuda: no NVIDIA driver/);
  });
  it('a requested backend that cannot run is a clear error, not a crash', async () => {
    await expect(chooseBackend(fakePlatform({ webgpu: 'no adapter' }), 'webgpu')).rejects.toThrow(EngineError);
    await expect(chooseBackend(fakePlatform({ webgpu: 'no adapter' }), 'webgpu')).rejects.toThrow(/backend "webgpu" cannot run here: no adapter/);
    await expect(chooseBackend(fakePlatform({}), 'wasm')).rejects.toThrow(InputError);
    await expect(chooseBackend(fakePlatform({}), 'tpu' as never)).rejects.toThrow(/backend "tpu" is not available in .*; use one of/);
  });
  it('in Node: CPU always works, CUDA without a driver is explained, wasm runs on onnxruntime-web', async () => {
    const engine = await Engine.create(nodePlatform, { backend: 'auto', threads: 1 });
    expect(['cpu', 'cuda']).toContain(engine.backend);
    expect(nodePlatform.candidates()).toContain('wasm');
    expect(await nodePlatform.probe('wasm')).toBeNull();
    if (!(await import('node:fs')).existsSync('/proc/driver/nvidia/version')) {
      await expect(Engine.create(nodePlatform, { backend: 'cuda' })).rejects.toThrow(/cuda.*NVIDIA/i);
    }
  });
  it('thread counts are validated at the edge, before an engine is made', async () => {
    const image = { width: 8, height: 8, channels: 1 as const, data: new Float32Array(64) };
    await expect(restore({ task: 'denoise', image, threads: 0 })).rejects.toThrow(/^threads must be a whole number from 1 to 1,024, got 0$/);
  });
});
