/**
 * A long fit in the browser: the plan offers the largest copy this device fits in a few minutes, one
 * click downscales the picture to it, and the new plan is short (no offer again). The fit is made long
 * from this device's own measured speed (iterations for about an hour), so the test holds on a slow
 * machine and a fast one alike.
 */
import { describe, expect, inject, it } from 'vitest';
import { dropPicture, setOption, shot, waitForPlan } from './helpers/app.js';
import { useBrowser } from './helpers/browser.js';
import { pngOf, scene } from './helpers/pictures.js';

const e2e = inject('e2e');

/** Seconds of a duration as the app writes it (web/src/format.ts): "850 ms", "2.4 s", "12 min 5 s", "1 h 4 min". */
export function secondsOf(text: string): number {
  const units: Record<string, number> = { ms: 1e-3, s: 1, min: 60, h: 3600 };
  let total = 0;
  for (const [, n, unit] of text.matchAll(/([\d.]+) (ms|s|min|h)\b/g)) total += Number(n) * units[unit];
  return total;
}

describe.skipIf(!!e2e.skip)('browser app: a quicker copy for a long fit', () => {
  const b = useBrowser(e2e.chromium!);

  it('offers it with its time, downscales to it on a click, and the new plan is short', async () => {
    const { page } = b;
    await page.goto(e2e.url!);
    await dropPicture(page, await pngOf(scene(480, 320)), 'scene.png');
    await setOption(page, 'preset', 'fast');
    const first = await waitForPlan(page);
    const perStep = secondsOf(/about (.+?) per iteration/.exec(first)![1]);
    expect(perStep).toBeGreaterThan(0);
    await setOption(page, 'iterations', String(Math.ceil(3600 / perStep)));
    await page.waitForSelector('#quicker', { timeout: 120_000 });
    const offer = (await page.textContent('#plan .note'))!;
    expect(offer).toMatch(/For a quicker result, fit a \d+ × \d+ copy \(at most .+\); detail finer than about [\d.]+ pixels is lost/);
    expect(secondsOf(/at most (.+?)\)/.exec(offer)![1])).toBeLessThanOrEqual(600);
    const [, w, h] = /Downscale to (\d+) × (\d+)/.exec((await page.textContent('#quicker'))!)!.map(Number);
    expect(w / h).toBeCloseTo(480 / 320, 1);
    expect(w).toBeLessThan(480);
    expect(w).toBeGreaterThanOrEqual(120);
    await page.locator('#plan').scrollIntoViewIfNeeded();
    await shot(page, 'quicker');

    await page.click('#quicker');
    await page.waitForFunction((size) => document.querySelector('#plan')?.textContent?.includes(`Picture${size}`), `${w} × ${h}`, { timeout: 60_000 });
    const second = await waitForPlan(page);
    const total = /per iteration, at most (.+?) in all/.exec(second)![1];
    expect(secondsOf(total)).toBeLessThan(30 * 60);
    expect(await page.isVisible('#quicker')).toBe(false);
    expect(b.errors).toEqual([]);
  });
});
