/** Driving the app's page the way a person does: drop a picture, pick a task, set options, paint, start, stop, download. */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

const IMG = fileURLToPath(new URL('../../../docs/img/', import.meta.url));

/** Drops a file on the drop zone as a drag from the desktop would. */
export async function dropPicture(page: Page, bytes: Buffer, name: string): Promise<void> {
  await page.waitForSelector('body[data-ready]');
  await page.evaluate(
    ({ b64, name }) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], name, { type: 'image/png' }));
      document.getElementById('drop')!.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    },
    { b64: bytes.toString('base64'), name },
  );
  await page.waitForSelector('#task-section:not([hidden])');
}

/** Sets an option field of the form (the table's name, e.g. 'iterations'); '' clears it. */
export async function setOption(page: Page, key: string, value: string | boolean): Promise<void> {
  const more = page.locator('#more');
  if (!(await more.evaluate((d: HTMLDetailsElement) => d.open))) await page.click('#more summary');
  const field = page.locator(`#opt-${key}`);
  const tag = await field.evaluate((e) => `${e.tagName}:${(e as HTMLInputElement).type}`);
  if (typeof value === 'boolean') await field.setChecked(value);
  else if (tag.startsWith('SELECT')) await field.selectOption(value);
  else await field.fill(value);
}

/** Waits for the plan of the current settings (its time measured) and a usable Start button. */
export async function waitForPlan(page: Page): Promise<string> {
  await page.waitForFunction(() => document.querySelector('#plan')?.textContent?.includes('timed on this device'), null, { timeout: 120_000 });
  await page.waitForSelector('#start:not([disabled])');
  return (await page.textContent('#plan')) ?? '';
}

export async function waitForDone(page: Page): Promise<string> {
  await page.waitForFunction(() => document.querySelector('#phase')?.textContent?.startsWith('Done'), null, { timeout: 280_000 });
  return (await page.textContent('#phase')) ?? '';
}

/** The RGBA pixels a canvas shows. */
export function canvasPixels(page: Page, id: string): Promise<number[]> {
  return page.evaluate((id) => {
    const c = document.getElementById(id) as HTMLCanvasElement;
    return Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data);
  }, id);
}

/** The progress bar's value (the iteration). */
export function progressValue(page: Page): Promise<number> {
  return page.evaluate(() => (document.getElementById('progress') as HTMLProgressElement).value);
}

/** Saves what the page shows as docs/img/web-<name>.png (the README and docs use them). */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(IMG, { recursive: true });
  await page.screenshot({ path: `${IMG}web-${name}.png` });
}

/** Clicks Download and returns the file's bytes. */
export async function download(page: Page): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  const stream = await file.createReadStream();
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
