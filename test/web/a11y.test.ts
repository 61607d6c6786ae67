/**
 * Accessibility and layout: axe-core finds no serious or critical violation on the empty page, with a
 * picture, a mask task and every setting open, and with a result; the app works from the keyboard
 * alone (open, choose a task, paint the mask, start, stop) with a visible focus; it fits a laptop
 * and a tablet screen without sideways scrolling.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { canvasPixels, dropPicture, setOption, shot, waitForDone, waitForPlan } from './helpers/app.js';
import { useBrowser } from './helpers/browser.js';
import { pngOf, scene } from './helpers/pictures.js';

const e2e = inject('e2e');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Finding {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

async function seriousViolations(page: Page): Promise<Finding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    type Violation = Omit<Finding, 'nodes'> & { nodes: { target: string[] }[] };
    const axe = (window as unknown as { axe: { run(d: Document, o: object): Promise<{ violations: Violation[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
}

const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

describe.skipIf(!!e2e.skip)('browser app: accessible and responsive', () => {
  const b = useBrowser(e2e.chromium!, { viewport: { width: 1366, height: 768 } });

  it('axe: no serious violations on the empty page, with a mask task and all settings, and with a result', async () => {
    const { page } = b;
    await page.goto(e2e.url!);
    await page.waitForSelector('body[data-ready]');
    expect(await seriousViolations(page)).toEqual([]);
    await dropPicture(page, await pngOf(scene(32, 24)), 'scene.png');
    await page.check('#task-inpaint');
    for (const [k, v] of Object.entries({ iterations: '3', stop: 'fixed', channels: '4', maskColor: '#ff0000' })) await setOption(page, k, v);
    await page.waitForSelector('#plan .problem, #plan dl');
    expect(await seriousViolations(page)).toEqual([]);
    await setOption(page, 'maskColor', '');
    await page.focus('#mask');
    await page.keyboard.press('Space');
    await waitForPlan(page);
    await page.click('#start');
    await waitForDone(page);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await noSidewaysScroll(page)).toBe(true);
    // The check itself sees violations: a button without a name is one.
    await page.evaluate(() => document.querySelector('.buttons')!.append(document.createElement('button')));
    expect((await seriousViolations(page)).map((v) => v.id)).toContain('button-name');
  });

  it('works from the keyboard alone, with a visible focus', async () => {
    const { page } = b;
    await page.goto(e2e.url!);
    await page.waitForSelector('body[data-ready]');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to the app');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('file');
    await dropPicture(page, await pngOf(scene(32, 24)), 'scene.png');
    await page.focus('#task-denoise');
    await page.keyboard.press('ArrowDown');
    expect(await page.isChecked('#task-inpaint')).toBe(true);
    await expect.poll(() => page.isVisible('#mask-section')).toBe(true);
    await page.focus('#mask');
    for (const key of ['ArrowRight', 'ArrowRight', 'Space', 'ArrowDown', 'Space']) await page.keyboard.press(key);
    const alpha = (await canvasPixels(page, 'mask')).filter((_, i) => i % 4 === 3 && _ >= 128);
    expect(alpha.length).toBeGreaterThan(0);
    for (const [k, v] of Object.entries({ iterations: '500', channels: '4' })) await setOption(page, k, v);
    await waitForPlan(page);
    await page.focus('#start');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#stop:not([disabled])');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('stop');
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).not.toBe('none');
    await page.keyboard.press('Enter');
    expect(await waitForDone(page)).toContain('stopped');
  });

  it('fits a tablet in portrait and a laptop screen', async () => {
    const { page } = b;
    for (const [name, viewport] of [
      ['tablet', { width: 768, height: 1024 }],
      ['laptop', { width: 1280, height: 720 }],
    ] as const) {
      await page.setViewportSize(viewport);
      await page.goto(e2e.url!);
      await dropPicture(page, await pngOf(scene(64, 48)), 'scene.png');
      await page.check('#task-inpaint');
      await page.waitForSelector('#plan dl, #plan .problem');
      expect(await noSidewaysScroll(page), name).toBe(true);
      const stage = (await page.locator('#before').boundingBox())!;
      expect(stage.width, name).toBeGreaterThan(200);
      expect(stage.x + stage.width, name).toBeLessThanOrEqual(viewport.width);
      if (name === 'tablet') await shot(page, 'tablet');
    }
  });
});
