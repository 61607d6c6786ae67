/**
 * The browser app computes what the library computes: a denoise with the same seed and settings on
 * WebAssembly in chromium (the app, its worker, onnxruntime-web) and in Node (restoreWith on the same
 * onnxruntime-web build) gives the same 8-bit pixels, up to one level where float32 rounding falls
 * on a quantisation boundary.
 */
import { describe, expect, inject, it } from 'vitest';
import { createImage } from '../../src/image/index.js';
import { quantize8 } from '../../src/image/quantize.js';
import { restoreWith } from '../../src/restore/index.js';
import { webPlatform } from '../../src/runtime/platform-web.js';
import { download, dropPicture, setOption, waitForDone, waitForPlan } from './helpers/app.js';
import { useBrowser, type Browser } from './helpers/browser.js';
import { noisy, pngOf, rgbOf, scene } from './helpers/pictures.js';

const e2e = inject('e2e');
const SETTINGS = { iterations: 12, stop: 'fixed', seed: 11, channels: 8, backend: 'wasm', threads: 1 } as const;

describe.skipIf(!!e2e.skip)('browser app: the same fit as the library', () => {
  const b = useBrowser(e2e.chromium!);

  it('denoise on WebAssembly: chromium and Node give the same pixels for the same seed', async () => {
    const png = await pngOf(noisy(scene(40, 32), 25, 5));
    const inBrowser = await rgbOf(await fitInBrowser(b, png));
    const decoded = await rgbOf(png);
    const image = createImage(
      40,
      32,
      3,
      Float32Array.from(decoded.data, (v) => v / 255),
    );
    const inNode = quantize8((await restoreWith(webPlatform(), { task: 'denoise', image, ...SETTINGS })).image.data);
    let maxDiff = 0;
    let differing = 0;
    for (let i = 0; i < inNode.length; i++) {
      const d = Math.abs(inNode[i] - inBrowser.data[i]);
      maxDiff = Math.max(maxDiff, d);
      if (d) differing++;
    }
    console.log(`browser vs Node: ${differing} of ${inNode.length} values differ, by at most ${maxDiff}`);
    expect(maxDiff).toBeLessThanOrEqual(1);
    expect(differing / inNode.length).toBeLessThan(0.01);
    // Not merely both unchanged: the fit moved the picture.
    expect(inNode.some((v, i) => Math.abs(v - decoded.data[i]) > 8)).toBe(true);
  });
});

async function fitInBrowser(b: Browser, png: Buffer): Promise<Buffer> {
  const { page } = b;
  await page.goto(e2e.url!);
  await dropPicture(page, png, 'noisy.png');
  await page.check('#task-denoise');
  for (const [k, v] of Object.entries(SETTINGS)) await setOption(page, k, String(v));
  await waitForPlan(page);
  await page.click('#start');
  await waitForDone(page);
  expect(b.errors).toEqual([]);
  return download(page);
}
