/**
 * A picture larger than the browser can fit at once: the plan says why, offers the tiles that fit
 * (with their time here), and one click asks for them, after which the plan is tiled and can start.
 * And a tiled fit itself, on a small picture in tiles asked for by hand: progress names the tile, the
 * result is the whole picture. Screenshot docs/img/web-tiles.png.
 */
import { describe, expect, inject, it } from 'vitest';
import { download, dropPicture, setOption, shot, waitForDone, waitForPlan } from './helpers/app.js';
import { useBrowser } from './helpers/browser.js';
import { pngOf, rgbOf, scene } from './helpers/pictures.js';

const e2e = inject('e2e');

describe.skipIf(!!e2e.skip)('browser app: tiles for a picture too large for the device', () => {
  const b = useBrowser(e2e.chromium!);

  it('offers the tiles that fit with their time; one click asks for them and the tiled plan can start', async () => {
    const { page } = b;
    await page.goto(e2e.url!);
    // 1600 × 1200 needs about 4 GB on WebAssembly, over the 3.75 GB it addresses (web/src/backend-choice.ts).
    await dropPicture(page, await pngOf(scene(1600, 1200)), 'large.png');
    await page.waitForSelector('#tiles', { timeout: 120_000 });
    const warning = (await page.textContent('#plan .warning'))!;
    expect(warning).toMatch(/Too large for this device: the fit needs more memory than WebAssembly can address/);
    const [, n, w, h] = /fit it in (\d+) tiles of (\d+) × (\d+), one after another \(at most .+ here\), blended/.exec(warning)!.map(Number);
    expect(n).toBeGreaterThan(1);
    expect(Math.max(w, h)).toBeLessThan(1600);
    expect(await page.isVisible('#downscale')).toBe(true);
    await page.locator('#plan').scrollIntoViewIfNeeded();
    await shot(page, 'tiles');

    await page.click('#tiles');
    const plan = await waitForPlan(page);
    expect(plan).toContain(`Tiles${n} tiles of ${w} × ${h}, fitted one after another`);
    expect(plan).toContain('Picture1600 × 1200');
    expect(await page.isVisible('#plan .warning')).toBe(false);
    expect(await page.inputValue('#opt-tileSize')).toMatch(/^\d+$/);
    expect(b.errors).toEqual([]);
  });

  it('fits the tiles one after another and returns the whole picture', async () => {
    const { page } = b;
    await page.goto(e2e.url!);
    await dropPicture(page, await pngOf(scene(192, 160)), 'small.png');
    for (const [k, v] of Object.entries({ tileSize: '96', iterations: '2', channels: '8', preset: 'fast' })) await setOption(page, k, v);
    // 96² tiles overlapping by at least 32: 3 columns over 192, 2 rows over 160.
    expect(await waitForPlan(page)).toContain('Tiles6 tiles of 96 × 96');
    await page.click('#start');
    expect(await waitForDone(page)).toMatch(/^Done: .+ after 12 iterations/);
    expect(await page.textContent('#progress-line')).toMatch(/^Tile 6 of 6 · Iteration 2 of at most 2 · /);
    const result = await rgbOf(await download(page));
    expect([result.width, result.height]).toEqual([192, 160]);
    expect(b.errors).toEqual([]);
  });
});
