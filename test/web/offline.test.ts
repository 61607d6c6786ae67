/**
 * Nothing leaves the machine, and the app works without a network: every request the page, its
 * workers and its service worker make goes to the app's own origin and is a GET (no upload); after
 * the first load the server can go away entirely and the app still loads and fits a picture.
 */
import { preview } from 'vite';
import { describe, expect, inject, it } from 'vitest';
import { dropPicture, setOption, waitForDone, waitForPlan } from './helpers/app.js';
import { useBrowser } from './helpers/browser.js';
import { E2E_BUILD, VITE_CONFIG } from './helpers/paths.js';
import { pngOf, scene } from './helpers/pictures.js';

const e2e = inject('e2e');

describe.skipIf(!!e2e.skip)('browser app: private and offline', () => {
  const b = useBrowser(e2e.chromium!);

  it('requests only its own origin, uploads nothing, and runs with the server gone', async () => {
    // Its own server, so that the test can shut it down.
    const server = await preview({ configFile: VITE_CONFIG, build: { outDir: E2E_BUILD }, preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
    const url = server.resolvedUrls!.local[0];
    const requests: { url: string; method: string }[] = [];
    b.context.on('request', (r) => requests.push({ url: r.url(), method: r.method() }));
    const { page } = b;
    await page.goto(url);
    await page.waitForSelector('#offline:has-text("Ready to work offline")');
    await tinyFit(page);
    const origin = new URL(url).origin;
    const foreign = requests.filter((r) => !r.url.startsWith(`${origin}/`) && !/^(data|blob):/.test(r.url));
    expect(foreign).toEqual([]);
    expect(requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(requests.some((r) => r.url.endsWith('.wasm'))).toBe(true);

    expect(b.errors).toEqual([]);

    await server.close();
    // The host is gone: a request that the cache does not hold fails (and the console says so).
    expect(
      await page.evaluate(() =>
        fetch('./not-cached.txt').then(
          () => 'answered',
          () => 'failed',
        ),
      ),
    ).toBe('failed');
    b.errors.length = 0;
    await page.reload();
    await tinyFit(page);
    expect(b.errors).toEqual([]);
  });
});

async function tinyFit(page: import('playwright-core').Page): Promise<void> {
  await dropPicture(page, await pngOf(scene(24, 16)), 'tiny.png');
  await page.check('#task-denoise');
  for (const [k, v] of Object.entries({ iterations: '3', stop: 'fixed', channels: '4' })) await setOption(page, k, v);
  await waitForPlan(page);
  await page.click('#start');
  expect(await waitForDone(page)).toContain('after 3 iterations');
}
