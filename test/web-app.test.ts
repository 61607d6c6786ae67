/**
 * The browser app's decisions that need no browser: which backend and why, whether a fit fits the
 * device and the downscale that makes it fit, the quicker copy of a long fit, the step graph's footprint, the progress batching and
 * the gate of the browser tests.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { add, conv2d, Graph, mul } from '../src/graph/index.js';
import { createImage } from '../src/image/index.js';
import { validateRestoreOptions } from '../src/validate.js';
import { judgeOnPick, pickBackend, verdictOf, wasmNeed } from '../web/src/backend-choice.js';
import type { GpuInfo } from '../web/src/gpu-probe.js';
import { graphFootprint, planFit, type FitPlan } from '../web/src/plan-estimate.js';
import { PREVIEW_SECONDS } from '../src/plan/quicker-run.js';
import type { DeviceSpeed } from '../web/src/calibrate.js';
import { ProgressBatch } from '../web/src/progress-batch.js';
import { fitSeconds, LONG_RUN_SECONDS, quickerCopy } from '../web/src/quicker.js';
import { tileOffer } from '../web/src/tiles.js';
import { validRequest } from '../web/src/request.js';
import type { BackendPick } from '../web/src/protocol.js';
import type { RestoreOptions } from '../src/options/index.js';
import { planWith } from '../src/restore/index.js';
import { nodePlatform } from '../src/runtime/platform-node.js';
import { e2eGate } from './web/helpers/gate.js';

const GPU: GpuInfo = { unavailable: null, description: 'acme g1', software: false, maxBufferSize: 2 ** 28, maxStorageBufferBindingSize: 2 ** 27 };
// One preset at every size (left to `auto`, the size would choose a different network for the downscaled copy).
const plan = (w: number, h: number) => planFit(validateRestoreOptions({ task: 'denoise', image: createImage(w, h, 3), channels: 16, preset: 'fast' }));

describe('backend choice', () => {
  it('WebGPU on a hardware adapter; WebAssembly without one, on a software one, or when a tensor is over the buffer limit — each with its reason', async () => {
    const p = await plan(64, 48);
    expect(pickBackend('auto', GPU, p)).toMatchObject({ backend: 'webgpu', reason: expect.stringContaining('acme g1') });
    expect(pickBackend('auto', { ...GPU, unavailable: 'WebGPU found no GPU adapter' }, p)).toMatchObject({
      backend: 'wasm',
      reason: expect.stringContaining('no GPU adapter'),
    });
    expect(pickBackend('auto', { ...GPU, software: true }, p).reason).toMatch(/software/);
    const small = { ...GPU, maxStorageBufferBindingSize: p.largestTensorBytes - 1 };
    expect(pickBackend('auto', small, p)).toMatchObject({ backend: 'wasm', reason: expect.stringContaining('buffer limit') });
    expect(pickBackend('webgpu', { ...GPU, unavailable: 'this browser has no WebGPU' }, p).reason).toMatch(
      /^WebGPU was asked for, but this browser has no WebGPU/,
    );
    expect(pickBackend('wasm', GPU, p).backend).toBe('wasm');
  });

  it('too large for the device: says why and offers a size that, planned again, fits', async () => {
    const big = await plan(600, 400);
    const need = wasmNeed(big);
    const budget = need.fixed + (need.total - need.fixed) / 3;
    const v = verdictOf(big, { backend: 'wasm', reason: '' }, GPU, budget);
    expect(v.fits).toBe(false);
    expect(v.problems[0]).toMatch(/more memory than WebAssembly can address/);
    const { width, height } = v.downscaleTo!;
    expect(width / height).toBeCloseTo(600 / 400, 1);
    expect(verdictOf(await plan(width, height), { backend: 'wasm', reason: '' }, GPU, budget).fits).toBe(true);
    // The runtime's share per operation does not shrink with the picture: below it, no size helps.
    const hopeless = verdictOf(big, { backend: 'wasm', reason: '' }, GPU, need.fixed / 2);
    expect(hopeless.downscaleTo).toBeUndefined();
    expect(hopeless.problems[0]).toMatch(/fewer channels/);
    const onGpu = verdictOf(big, { backend: 'webgpu', reason: '' }, { ...GPU, maxStorageBufferBindingSize: big.largestTensorBytes / 2 });
    expect(onGpu.fits).toBe(false);
    expect(
      verdictOf(
        await plan(onGpu.downscaleTo!.width, onGpu.downscaleTo!.height),
        { backend: 'webgpu', reason: '' },
        { ...GPU, maxStorageBufferBindingSize: big.largestTensorBytes / 2 },
      ).fits,
    ).toBe(true);
  });
});

describe('step graph footprint', () => {
  it('peak live bytes, largest tensor, multiply-adds, nodes and bytes written of a small graph, counted by hand', () => {
    const g = new Graph();
    const x = g.input('x', [1, 2, 8, 8]);
    const w = g.input('w', [4, 2, 3, 3]);
    const y = conv2d(x, w, null, { pads: 1 }); // 4·8·8 floats = 1024 B
    const z = mul(add(y, 1), 2);
    g.output(z, 'z');
    const f = graphFootprint(g);
    const inputs = (2 * 64 + 4 * 18) * 4 + 2 * 4; // x, w and the two scalar constants
    // Conv out (1024) live while Add writes (1024); then Add's out and Mul's out; then the output Identity.
    expect(f.peakBytes).toBe(inputs + 2 * 1024);
    expect(f.largestTensorBytes).toBe(1024);
    expect(f.macsPerStep).toBe(4 * 64 * 2 * 9);
    expect(f.nodesPerStep).toBe(4);
    expect(f.bytesPerStep).toBe(4 * 1024);
  });

  it('grows with the picture: about four times the peak for twice the side', async () => {
    const [a, b] = [await plan(128, 128), await plan(256, 256)];
    expect(b.parameters).toBe(a.parameters);
    expect(b.peakBytes / a.peakBytes).toBeGreaterThan(3.5);
    expect(b.peakBytes / a.peakBytes).toBeLessThan(4.1);
    expect(b.macsPerStep / a.macsPerStep).toBeCloseTo(4, 1);
  });
});

describe('a quicker copy for a long fit', () => {
  const request = (w: number, h: number) => validateRestoreOptions({ task: 'denoise', image: createImage(w, h, 3), channels: 16, preset: 'fast' });
  // A device whose only cost is arithmetic, at a rate that makes the 600×400 fit take `seconds` to its ceiling.
  const deviceFor = (p: FitPlan, seconds: number): DeviceSpeed => ({
    secondsPerNode: 0,
    bytesPerSecond: Number.POSITIVE_INFINITY,
    macsPerSecond: (p.macsPerStep * p.iterations) / seconds,
  });

  it('offers the largest copy that the device fits within the preview time, planned again at its size', async () => {
    const full = await planFit(request(600, 400));
    const speed = deviceFor(full, 2400);
    const q = (await quickerCopy(request(600, 400), full, speed))!;
    expect(q).toMatchObject({ maxSize: 256, width: 256, height: 171 });
    expect(q.factor).toBeCloseTo(600 / 256, 5);
    const again = fitSeconds(speed, await planFit(request(q.width, q.height)));
    expect(q.totalSeconds).toBeCloseTo(again, 6);
    expect(again).toBeLessThanOrEqual(PREVIEW_SECONDS);
    // The next larger size tried would not have fitted.
    expect(fitSeconds(speed, await planFit(request(384, 256)))).toBeGreaterThan(PREVIEW_SECONDS);
  });

  it('none for a fit that is not long, nor where even a quarter of the long side would take too long', async () => {
    const full = await planFit(request(600, 400));
    expect(await quickerCopy(request(600, 400), full, deviceFor(full, LONG_RUN_SECONDS - 1))).toBeNull();
    expect(await quickerCopy(request(600, 400), full, deviceFor(full, 20 * PREVIEW_SECONDS * 4 ** 2))).toBeNull();
  });
});

describe('tiles for a picture too large for the device', () => {
  const WASM: BackendPick = { backend: 'wasm', reason: '' };
  const request = (w: number, h: number, extra: Partial<RestoreOptions> = {}) =>
    validateRestoreOptions({ task: 'denoise', image: createImage(w, h, 3), channels: 16, preset: 'fast', tiling: 'independent', ...extra });
  const onWasm = (fits: (p: FitPlan) => boolean) => (p: FitPlan) => ({ fits: fits(p), backend: 'wasm' as const });
  // A WebAssembly memory that holds the runtime's share and about a third of the whole picture's tensors.
  const memoryFor = (p: FitPlan) => wasmNeed(p).fixed + 0.3 * (wasmNeed(p).total - wasmNeed(p).fixed);

  it('offers the largest tile side that fits, laid out as the library will fit it; the next side would not fit', async () => {
    const whole = await planFit(request(600, 400));
    const memory = memoryFor(whole);
    const fits = (p: FitPlan) => verdictOf(p, WASM, GPU, memory).fits;
    expect(fits(whole)).toBe(false);
    const offer = (await tileOffer(request(600, 400), onWasm(fits)))!;
    expect(offer.backend).toBe('wasm');
    expect(offer.plan.tiles).toBeGreaterThan(1);
    expect(fits(offer.plan)).toBe(true);
    expect(Math.max(offer.plan.tile!.width, offer.plan.tile!.height)).toBeLessThanOrEqual(offer.tileSize);
    expect(fits(await planFit(request(600, 400, { tileSize: offer.tileSize + 32 })))).toBe(false);
    // The library's own plan of the request lays out the same tiles.
    const library = await planWith(nodePlatform, request(600, 400, { tileSize: offer.tileSize }), {}, {});
    expect([library.tiles, library.tiling!.tileWidth, library.tiling!.tileHeight]).toEqual([offer.plan.tiles, offer.plan.tile!.width, offer.plan.tile!.height]);
    // The plan's memory and step are one tile's; its time counts every tile.
    expect(offer.plan.peakBytes).toBeLessThan(whole.peakBytes / 2);
    const speed: DeviceSpeed = { secondsPerNode: 0, bytesPerSecond: Number.POSITIVE_INFINITY, macsPerSecond: 1e9 };
    expect(fitSeconds(speed, offer.plan)).toBeCloseTo((offer.plan.macsPerStep / 1e9) * offer.plan.iterations * offer.plan.tiles, 6);
  });

  it('counts the tiles around inpainting holes as the library does, and offers none where not even the smallest tile fits', async () => {
    const mask = createImage(600, 400, 1).data.fill(1);
    for (let y = 150; y < 250; y++) for (let x = 250; x < 350; x++) mask[y * 600 + x] = 0;
    const inpaint = request(600, 400, { task: 'inpaint', mask: { width: 600, height: 400, channels: 1, data: mask } });
    const memory = memoryFor(await planFit(inpaint));
    const offer = (await tileOffer(
      inpaint,
      onWasm((p) => verdictOf(p, WASM, GPU, memory).fits),
    ))!;
    const library = await planWith(nodePlatform, { ...inpaint, tileSize: offer.tileSize }, {}, {});
    expect(library.tiling!.holeTiles).toBeGreaterThan(0);
    expect(offer.plan.tiles).toBe(library.tiles);
    const whole = await planFit(request(600, 400));
    expect(
      await tileOffer(
        request(600, 400),
        onWasm((p) => verdictOf(p, WASM, GPU, wasmNeed(whole).fixed / 2).fits),
      ),
    ).toBeNull();
  });

  it('judges each tile side on the backend its own plan gets: tiles under the GPU buffer limit run on WebGPU', async () => {
    const whole = await planFit(request(600, 400));
    // A GPU whose buffers hold a sixth of the whole picture's largest tensor; a WebAssembly memory too small for any tile.
    const gpu: GpuInfo = { ...GPU, maxBufferSize: whole.largestTensorBytes / 6, maxStorageBufferBindingSize: whole.largestTensorBytes / 6 };
    const memory = wasmNeed(whole).fixed;
    expect(pickBackend('auto', gpu, whole).backend).toBe('wasm');
    expect(verdictOf(whole, pickBackend('auto', gpu, whole), gpu, memory).fits).toBe(false);
    const offer = (await tileOffer(request(600, 400), judgeOnPick('auto', gpu, memory)))!;
    expect(offer.backend).toBe('webgpu');
    expect(offer.plan.largestTensorBytes).toBeLessThanOrEqual(gpu.maxStorageBufferBindingSize);
    expect(offer.plan.tiles).toBeGreaterThan(1);
    // The whole picture's own backend (WebAssembly, as the old offer judged it) fits no tile here.
    expect(
      await tileOffer(
        request(600, 400),
        onWasm((p) => verdictOf(p, WASM, gpu, memory).fits),
      ),
    ).toBeNull();
    // The next side would be over the buffer limit, and on WebAssembly too.
    const next = await planFit(request(600, 400, { tileSize: offer.tileSize + 32 }));
    expect(judgeOnPick('auto', gpu, memory)(next).fits).toBe(false);
  });

  it('never offers a side below what the tile-size field accepts (×8 super-resolution: tiles of 12 low-resolution pixels exist)', async () => {
    const sr = validateRestoreOptions({ task: 'super-resolve', scale: 8, image: createImage(64, 48, 3), channels: 16, preset: 'fast', tiling: 'independent' });
    const offer = (await tileOffer(
      sr,
      onWasm((p) => p.tile !== null && Math.max(p.tile.width, p.tile.height) <= 16),
    ))!;
    expect(offer.tileSize).toBe(16);
    expect(offer.plan.tile).toEqual({ width: 16, height: 16 });
  });

  it('the request takes the worker threads where the form leaves them open, and keeps the form value', () => {
    const images = { image: createImage(64, 48, 3) };
    expect(validRequest({ task: 'denoise' }, images, 'wasm', 4).threads).toBe(4);
    expect(validRequest({ task: 'denoise', threads: 2 }, images, 'wasm', 4).threads).toBe(2);
    expect(validRequest({ task: 'denoise', tiling: 'joint' }, images, 'wasm', 1).tiling).toBe('independent');
  });

  it('every tile keeps the preset the whole picture chose by its size', async () => {
    const open = (extra: Partial<RestoreOptions> = {}) => validateRestoreOptions({ task: 'denoise', image: createImage(1600, 1200, 3), ...extra });
    const whole = await planFit(open());
    const alone = await planFit(validateRestoreOptions({ task: 'denoise', image: createImage(512, 512, 3) }));
    expect(whole.preset).not.toBe(alone.preset);
    const tiled = await planFit(open({ tileSize: 512 }));
    expect([tiled.preset, tiled.tile]).toEqual([whole.preset, { width: 512, height: 512 }]);
    expect(tiled.parameters).toBe(whole.parameters);
  });
});

describe('progress batching', () => {
  afterEach(() => vi.useRealTimers());
  it('passes entries on at most every interval, none lost, the latest last', () => {
    vi.useFakeTimers();
    const sent: number[][] = [];
    const batch = new ProgressBatch((entries, latest) => {
      expect(latest).toBe(entries.at(-1));
      sent.push(entries.map((e) => e.iteration));
    }, 100);
    const p = (iteration: number) => ({ iteration, loss: 1, seconds: 0, total: 10, iterationsPerSecond: 1, etaSeconds: 1 });
    for (let t = 1; t <= 10; t++) {
      batch.add(p(t));
      vi.advanceTimersByTime(30);
    }
    batch.flush();
    expect(sent.flat()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(sent.length).toBeLessThanOrEqual(5);
  });
});

describe('the browser tests gate', () => {
  it('runs with chromium; without it skips with the reason, or fails where CI or DEEP_PRIOR_E2E is set', () => {
    const there = join(mkdtempSync(join(tmpdir(), 'gate-')), 'chromium');
    writeFileSync(there, '');
    expect(e2eGate({ DEEP_PRIOR_CHROMIUM: there })).toEqual({ chromium: there });
    const missing = { DEEP_PRIOR_CHROMIUM: '/nonexistent/chromium' };
    expect(e2eGate(missing)).toEqual({ skip: expect.stringContaining('install-chromium.sh') });
    expect(() => e2eGate({ ...missing, CI: 'true' })).toThrow(/must run here/);
    expect(() => e2eGate({ ...missing, DEEP_PRIOR_E2E: '1' })).toThrow(/must run here/);
    expect(e2eGate({ ...missing, DEEP_PRIOR_E2E: '0' })).toHaveProperty('skip');
  });
});
