/**
 * The app end to end in chromium, as a person uses it: drop a picture, choose inpaint, paint a mask,
 * start a small fit, watch the estimate and the progress change, stop (the best estimate so far is
 * kept), download the PNG — whose painted pixels changed and whose other pixels are the input's,
 * byte for byte. Screenshots of each step go to docs/img/web-*.png.
 */
import { describe, expect, inject, it } from 'vitest';
import { canvasPixels, download, dropPicture, progressValue, setOption, shot, waitForDone, waitForPlan } from './helpers/app.js';
import { useBrowser } from './helpers/browser.js';
import { pngOf, rgbOf, scene } from './helpers/pictures.js';

const e2e = inject('e2e');

describe.skipIf(!!e2e.skip)('browser app: inpaint a painted mask', () => {
  const b = useBrowser(e2e.chromium!);

  it('paints, fits, previews, stops, downloads: holes filled, the rest untouched', async () => {
    const { page } = b;
    await page.goto(e2e.url!);
    await page.waitForSelector('#offline:has-text("offline")');
    await shot(page, 'start');
    const input = await pngOf(scene(64, 48));
    await dropPicture(page, input, 'scene.png');
    await page.check('#task-inpaint');
    await expect.poll(() => page.isVisible('#mask-section')).toBe(true);
    await paintStrokes(page);
    for (const [k, v] of Object.entries({ iterations: '400', channels: '8', seed: '3' })) await setOption(page, k, v);
    expect(await waitForPlan(page)).toContain('WebAssembly');
    await page.locator('#mask-section').scrollIntoViewIfNeeded();
    await shot(page, 'mask');

    await page.click('#start');
    const first = await nextPreview(page, 0);
    const second = await nextPreview(page, first.iteration + 2);
    expect(second.pixels).not.toEqual(first.pixels);
    expect(await progressValue(page)).toBeGreaterThan(first.iteration);
    await page.locator('#run-section').scrollIntoViewIfNeeded();
    await shot(page, 'running');

    await page.click('#stop');
    const done = await waitForDone(page);
    expect(done).toMatch(/stopped after (\d+) iterations/);
    expect(Number(/after (\d+)/.exec(done)![1])).toBeLessThan(400);
    await shot(page, 'result');

    const out = await rgbOf(await download(page));
    const original = await rgbOf(input);
    const holes = await holesOf(page);
    expect([out.width, out.height]).toEqual([64, 48]);
    let changed = 0;
    for (let i = 0; i < 64 * 48; i++) {
      const same = [0, 1, 2].every((k) => out.data[3 * i + k] === original.data[3 * i + k]);
      if (!holes[i]) expect(same, `known pixel ${i} kept`).toBe(true);
      else if (!same) changed++;
    }
    const holeCount = holes.filter(Boolean).length;
    expect(holeCount).toBeGreaterThan(100);
    expect(changed / holeCount).toBeGreaterThan(0.5);
    expect(b.errors).toEqual([]);
  });
});

/** Two strokes across the disc and the bar with a 6-pixel brush. */
async function paintStrokes(page: import('playwright-core').Page): Promise<void> {
  await page.$eval('#brush-size', (e: HTMLInputElement) => {
    e.value = '6';
    e.dispatchEvent(new Event('input'));
  });
  const box = (await page.locator('#mask').boundingBox())!;
  const at = (x: number, y: number) => [box.x + ((x + 0.5) * box.width) / 64, box.y + ((y + 0.5) * box.height) / 48] as const;
  for (const [[x0, y0], [x1, y1]] of [
    [
      [8, 20],
      [54, 22],
    ],
    [
      [36, 6],
      [38, 40],
    ],
  ]) {
    await page.mouse.move(...at(x0, y0));
    await page.mouse.down();
    await page.mouse.move(...at(x1, y1), { steps: 12 });
    await page.mouse.up();
  }
}

/** Waits for a preview of at least `after`+1 and returns it. */
async function nextPreview(page: import('playwright-core').Page, after: number): Promise<{ iteration: number; pixels: number[] }> {
  const note = () => page.textContent('#preview-note').then((t) => Number(/iteration (\d+)/.exec(t ?? '')?.[1] ?? 0));
  await expect.poll(note, { timeout: 120_000, interval: 200 }).toBeGreaterThan(after);
  return { iteration: await note(), pixels: await canvasPixels(page, 'after') };
}

/** The painted pixels (the holes), as the mask canvas holds them. */
async function holesOf(page: import('playwright-core').Page): Promise<boolean[]> {
  const rgba = await canvasPixels(page, 'mask');
  return Array.from({ length: rgba.length / 4 }, (_, i) => rgba[4 * i + 3] >= 128);
}
