/**
 * Debian's chromium driven by playwright-core (no browser download): headless, a fresh profile per
 * launch, no background traffic of its own (so the no-upload check sees only the page's requests).
 * WebGPU: chromium's SwiftShader adapter (--enable-unsafe-webgpu), no GPU needed; otherwise the GPU
 * is off, as on a machine without one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

const FLAGS = ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors seen so far. */
  errors: string[];
  close(): Promise<void>;
}

export async function openBrowser(executablePath: string, opts: { webgpu?: boolean; viewport?: { width: number; height: number } } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'deep-prior-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [...FLAGS, ...(opts.webgpu ? ['--enable-unsafe-webgpu'] : ['--disable-gpu'])],
    viewport: opts.viewport ?? { width: 1280, height: 860 },
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  return {
    context,
    page,
    errors,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * One browser for a describe block: launched before its tests, closed after them. The returned
 * object is the Browser itself once launched (its fields read through to it).
 */
export function useBrowser(executablePath: string, opts: { webgpu?: boolean; viewport?: { width: number; height: number } } = {}): Browser {
  let open: Browser | undefined;
  beforeAll(async () => {
    open = await openBrowser(executablePath, opts);
  });
  afterAll(() => open?.close());
  const current = (): Browser => {
    if (!open) throw new Error('useBrowser: the browser is used before its beforeAll ran');
    return open;
  };
  return {
    get context() {
      return current().context;
    },
    get page() {
      return current().page;
    },
    get errors() {
      return current().errors;
    },
    close: () => current().close(),
  };
}
