/**
 * Fit state kept on the device (WebGPU in the browser) between steps: the bookkeeping of who owns
 * which buffer. A simulated device wraps onnxruntime-node's CPU provider: outputs asked for as
 * 'gpu-buffer' come back as tensors whose data can only be downloaded, which count as allocated until
 * disposed and which refuse to be fed once disposed. The same CPU kernels compute both paths, so a
 * fit with its state "on the device" must give the very same numbers as the host path, and leave
 * nothing allocated. (The real WebGPU path runs in chromium: test/web/webgpu.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { restoreWith } from '../src/restore/index.js';
import { createImage, type Image } from '../src/image/index.js';
import type { OrtModule, OrtSession, OrtTensor, Platform } from '../src/runtime/engine.js';
import { nodePlatform } from '../src/runtime/platform-node.js';
import { DeviceArray } from '../src/runtime/device-array.js';
import { StepPolicy } from '../src/fit/policy.js';
import type { RestoreOptions } from '../src/options/index.js';

const downloads = { count: 0 };

class FakeGpuTensor {
  readonly location = 'gpu-buffer';
  disposed = false;
  constructor(
    readonly host: OrtTensor,
    private readonly live: Set<FakeGpuTensor>,
  ) {
    live.add(this);
  }
  get dims(): readonly number[] {
    return this.host.dims;
  }
  get data(): unknown {
    throw new Error('the data of a gpu-buffer tensor must be downloaded');
  }
  async getData(): Promise<unknown> {
    if (this.disposed) throw new Error('download of a disposed tensor');
    downloads.count++;
    return (this.host.data as Float32Array).slice();
  }
  dispose(): void {
    if (this.disposed) throw new Error('double dispose');
    this.disposed = true;
    this.live.delete(this);
  }
}

/** onnxruntime-node with preferredOutputLocation honoured the way onnxruntime-web's WebGPU does. */
function simulatedDevice(live: Set<FakeGpuTensor>, fedFromDevice: { count: number }): Platform {
  const wrapSession = (s: OrtSession, onDevice: Set<string>): OrtSession => ({
    inputNames: s.inputNames,
    outputNames: s.outputNames,
    release: () => s.release(),
    run: async (feeds) => {
      const hostFeeds: Record<string, OrtTensor> = {};
      for (const [k, t] of Object.entries(feeds)) {
        if (t instanceof FakeGpuTensor) {
          if (t.disposed) throw new Error(`input ${k} was disposed`);
          fedFromDevice.count++;
        }
        hostFeeds[k] = t instanceof FakeGpuTensor ? t.host : t;
      }
      const out = await s.run(hostFeeds);
      return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, onDevice.has(k) ? (new FakeGpuTensor(t, live) as unknown as OrtTensor) : t]));
    },
  });
  return {
    ...nodePlatform,
    keepsOnDevice: () => true,
    loadOrt: async (backend) => {
      const ort = await nodePlatform.loadOrt(backend);
      const module: OrtModule = {
        Tensor: ort.Tensor,
        InferenceSession: {
          create: async (model, options) => {
            const where = (options?.preferredOutputLocation ?? {}) as Record<string, string>;
            const onDevice = new Set(Object.keys(where).filter((k) => where[k] === 'gpu-buffer'));
            const { preferredOutputLocation: _, ...rest } = options ?? {};
            return wrapSession(await ort.InferenceSession.create(model, rest), onDevice);
          },
        },
      };
      return module;
    },
  };
}

function pattern(w: number, h: number): Image {
  const img = createImage(w, h, 3);
  for (let i = 0; i < img.data.length; i++) img.data[i] = 0.5 + 0.4 * Math.sin(i / 7);
  return img;
}

describe('fit state on the device', () => {
  const cases: [string, Partial<RestoreOptions>][] = [
    ['denoise (backtracking preset, reg-noise, smoothing)', { task: 'denoise' }],
    ['enhance (Lipschitz aux state)', { task: 'enhance' }],
  ];
  for (const [name, extra] of cases) {
    it(`${name}: the same numbers as on the host, every buffer freed, state never copied back`, async () => {
      const opts = { image: pattern(16, 16), iterations: 4, stop: 'fixed', seed: 3, channels: 8, backend: 'cpu', threads: 1, ...extra } as RestoreOptions;
      const host = await restoreWith(nodePlatform, opts);
      const live = new Set<FakeGpuTensor>();
      const fed = { count: 0 };
      downloads.count = 0;
      const device = await restoreWith(simulatedDevice(live, fed), opts);
      expect(device.recoveries).toBe(0);
      expect(downloads.count).toBe(0);
      expect(device.history.map((h) => h.loss)).toEqual(host.history.map((h) => h.loss));
      expect(Array.from(device.image.data)).toEqual(Array.from(host.image.data));
      expect(live.size).toBe(0);
      // Steps 2–4 take every weight and both moments from the device (3 arrays per parameter tensor).
      expect(fed.count).toBeGreaterThanOrEqual(3 * 3 * 3);
    });
  }

  it('an abort with a checkpoint downloads the state, and frees it afterwards', async () => {
    const live = new Set<FakeGpuTensor>();
    const controller = new AbortController();
    const saved: { params: Float32Array[] }[] = [];
    const opts = { task: 'denoise', image: pattern(16, 16), iterations: 50, stop: 'fixed', channels: 8, backend: 'cpu', threads: 1 } as RestoreOptions;
    const r = await restoreWith(simulatedDevice(live, { count: 0 }), opts, {
      signal: controller.signal,
      onProgress: (p) => p.iteration === 3 && controller.abort(),
      checkpoint: { load: async () => null, save: async (d) => void saved.push(d) },
    });
    expect(r.stopReason).toBe('aborted');
    expect(saved).toHaveLength(1);
    expect(saved[0].params.every((p) => p instanceof Float32Array && p.every(Number.isFinite))).toBe(true);
    expect(live.size).toBe(0);
  });
});

describe('the step policy with device weights', () => {
  const device = (live: Set<FakeGpuTensor>, ...v: number[]) => {
    const t = new FakeGpuTensor({ data: Float32Array.from(v), dims: [v.length] }, live);
    return new DeviceArray(t, v.length);
  };

  it('backtracks from device copies (saved + next − current) and keeps its saved copy alive until disposed', async () => {
    const live = new Set<FakeGpuTensor>();
    const p0 = device(live, 1, 2);
    const policy = new StepPolicy(true, [p0], 1);
    p0.release(); // the state's reference goes; the policy's saved copy stays
    expect(p0.released).toBe(false);
    const p1 = device(live, 10, 20);
    const next1 = await policy.onFinite(1, [p1], [device(live, 11, 21)]);
    expect(p0.released).toBe(true); // the policy saved p1 instead
    // A 5 dB jump (×10^0.5 = 3.16): back to the saved p1 plus the bad step's update.
    const current = next1[0] as DeviceArray;
    const back = await policy.onFinite(10, [current], [device(live, 11.5, 20.5)]);
    expect(Array.from(back[0] as Float32Array)).toEqual([10.5, 19.5]);
    p1.release(); // the caller's reference; the policy still holds p1
    expect(p1.released).toBe(false);
    policy.dispose();
    expect(p1.released).toBe(true);
  });

  it('a released device array refuses to be fed', () => {
    const a = device(new Set());
    a.release();
    expect(() => a.tensor).toThrow(/used after it was released/);
  });
});
