/**
 * WebGPU in the browser, on chromium's SwiftShader adapter (--enable-unsafe-webgpu; no GPU needed):
 * the conformance check of the PyTorch fixture's skip-net step (loss, output, every gradient), a fit
 * whose weights and Adam moments stay in GPU buffers giving exactly what the copy-every-step path
 * gives (and what the CPU provider gives, to float32 rounding), and the app: it says why it prefers WebAssembly on a software adapter and runs on WebGPU
 * when asked.
 */
import type { Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { restoreWith } from '../../src/restore/index.js';
import { nodePlatform } from '../../src/runtime/platform-node.js';
import { loadSkipFixture, relErr } from '../helpers/fixture.js';
import { dropPicture, setOption, waitForDone, waitForPlan } from './helpers/app.js';
import { useBrowser } from './helpers/browser.js';
import { REPO, VITE_CONFIG } from './helpers/paths.js';
import { pngOf, scene } from './helpers/pictures.js';
import { FIT, fitPicture } from './pages/fit-case.js';

const e2e = inject('e2e');
const fx = loadSkipFixture();

type Fit = { backend: string; losses: number[]; image: number[]; secondsPerStep: number };
interface Checks {
  fixtureStep(b: string): Promise<{ loss: number; out: number[]; grads: number[] }>;
  fitSteps(b: string, keep: boolean, side: number, iterations: number): Promise<Fit>;
}
type Win = { deepPriorTest: Checks };
const SIDE = 16;
const STEPS = 3;

const fixtureStep = (page: Page) => page.evaluate(() => (window as unknown as Win).deepPriorTest.fixtureStep('webgpu'));
const fitSteps = (page: Page, keep: boolean) =>
  page.evaluate(([keep, side, steps]) => (window as unknown as Win).deepPriorTest.fitSteps('webgpu', keep, side, steps), [keep, SIDE, STEPS] as const);

describe.skipIf(!!e2e.skip)('WebGPU in chromium (SwiftShader)', () => {
  const b = useBrowser(e2e.chromium!, { webgpu: true });
  let dev: ViteDevServer;
  beforeAll(async () => {
    dev = await createServer({ configFile: VITE_CONFIG, root: REPO, server: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
    await dev.listen();
    await b.page.goto(`${dev.resolvedUrls!.local[0]}test/web/pages/webgpu.html`);
    await b.page.waitForFunction(() => 'deepPriorTest' in window, null, { timeout: 120_000 });
  });
  afterAll(() => dev?.close());

  it('has an adapter: SwiftShader, 1 GiB buffers', async () => {
    const info = await b.page.evaluate(async () => {
      type Adapter = { info: { architecture: string }; limits: { maxStorageBufferBindingSize: number } };
      const a = await (navigator as Navigator & { gpu: { requestAdapter(): Promise<Adapter | null> } }).gpu.requestAdapter();
      return a && { arch: a.info.architecture, max: a.limits.maxStorageBufferBindingSize };
    });
    expect(info?.arch).toBe('swiftshader');
    expect(info!.max).toBeGreaterThanOrEqual(2 ** 30);
  });

  it('skip-net step matches PyTorch: loss and output to 1e-4, first-step gradients to 1e-3', async () => {
    const r = await fixtureStep(b.page);
    expect(Math.abs(r.loss - fx.json.loss) / fx.json.loss).toBeLessThan(1e-4);
    expect(relErr(r.out, fx.array('output'))).toBeLessThan(1e-4);
    const err = relErr(r.grads, fx.array('grads'));
    console.log(`WebGPU (SwiftShader) first-step gradients vs PyTorch: ${err.toExponential(2)} relative`);
    expect(err).toBeLessThan(1e-3);
  });

  it('weights and moments kept in GPU buffers: the same fit as copying them every step, and as the CPU provider', async () => {
    const resident = await fitSteps(b.page, true);
    const copied = await fitSteps(b.page, false);
    expect(resident.backend).toBe('webgpu');
    expect(resident.losses).toEqual(copied.losses);
    expect(resident.image).toEqual(copied.image);
    const cpu = await restoreWith(nodePlatform, { task: 'denoise', image: fitPicture(SIDE), ...FIT, iterations: STEPS, backend: 'cpu', threads: 1 });
    const cpuLosses = cpu.history.map((h) => h.loss);
    console.log(`losses on WebGPU ${resident.losses.join(', ')}; on the CPU provider ${cpuLosses.join(', ')}`);
    // Step 2 already depends on step 1's gradients and Adam update; later steps drift apart as Adam's
    // first, sign-like updates amplify float32 differences.
    for (const i of [0, 1]) expect(Math.abs(resident.losses[i] - cpuLosses[i]) / cpuLosses[i]).toBeLessThan(1e-4);
    expect(relErr(resident.losses, cpuLosses)).toBeLessThan(1e-2);
    console.log(
      `${SIDE}² denoise step on SwiftShader: ${(resident.secondsPerStep * 1000).toFixed(0)} ms kept on the GPU, ${(copied.secondsPerStep * 1000).toFixed(0)} ms copied`,
    );
  });

  it('the app: prefers WebAssembly on a software adapter and says why; runs on WebGPU when asked', async () => {
    const { page } = b;
    await page.goto(e2e.url!);
    await dropPicture(page, await pngOf(scene(24, 16)), 'tiny.png');
    await page.check('#task-denoise');
    for (const [k, v] of Object.entries({ iterations: '3', stop: 'fixed', channels: '4' })) await setOption(page, k, v);
    expect(await waitForPlan(page)).toMatch(/WebAssembly — the only WebGPU adapter is a software one/);
    await setOption(page, 'backend', 'webgpu');
    await page.waitForFunction(() => document.querySelector('#plan')?.textContent?.includes('WebGPU, as chosen'));
    await waitForPlan(page);
    await page.click('#start');
    expect(await waitForDone(page)).toContain('after 3 iterations');
    expect(await page.textContent('#backend')).toMatch(/^Running on WebGPU/);
    expect(b.errors.filter((e) => !e.includes('No available adapters'))).toEqual([]);
  });
});
