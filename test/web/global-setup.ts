/**
 * Builds the browser app once per test run (into out/web-e2e) and serves it with `vite preview`
 * (the same headers as `npm run preview:web`); the tests get its address through inject('e2e').
 * Without chromium the tests are skipped with a printed reason, or the run fails (CI, DEEP_PRIOR_E2E).
 */
import { build, preview } from 'vite';
import type { TestProject } from 'vitest/node';
import { e2eGate } from './helpers/gate.js';
import { E2E_BUILD as OUT, VITE_CONFIG as CONFIG } from './helpers/paths.js';

export interface E2eContext {
  skip?: string;
  url?: string;
  chromium?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: E2eContext;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const gate = e2eGate();
  if ('skip' in gate) {
    console.warn(`[skip] browser app tests: ${gate.skip}`);
    project.provide('e2e', { skip: gate.skip });
    return undefined;
  }
  await productionBuild();
  const server = await preview({ configFile: CONFIG, build: { outDir: OUT }, preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
  project.provide('e2e', { url: server.resolvedUrls!.local[0], chromium: gate.chromium });
  return () => server.close();
}

/** vite build as `npm run build:web` does it: vitest's NODE_ENV=test would make it a development build. */
async function productionBuild(): Promise<void> {
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: CONFIG, build: { outDir: OUT }, logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = before;
  }
}
