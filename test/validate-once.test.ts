/**
 * Each option is checked exactly once per run, at the edge: the restore options' value checks and
 * the input image's checks run once for a library call and once for a CLI run (the CLI validates,
 * and the library trusts the request it is handed).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RESTORE_OPTIONS } from '../src/options/index.js';
import { randomImage, runCli, tempDir, writeRandomPng } from './helpers/cli.js';

const counts = vi.hoisted(() => ({ restoreValues: 0, inputImage: 0 }));

vi.mock('../src/options/values.js', async (load) => {
  const real = await load<typeof import('../src/options/values.js')>();
  return {
    ...real,
    checkValues: (...args: Parameters<typeof real.checkValues>) => {
      if (args[1] === RESTORE_OPTIONS) counts.restoreValues++;
      return real.checkValues(...args);
    },
  };
});
vi.mock('../src/options/images.js', async (load) => {
  const real = await load<typeof import('../src/options/images.js')>();
  return {
    ...real,
    checkInputImage: (...args: Parameters<typeof real.checkInputImage>) => {
      counts.inputImage++;
      return real.checkInputImage(...args);
    },
  };
});

const reset = () => {
  counts.restoreValues = 0;
  counts.inputImage = 0;
};

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(async () => {
  const { promises: fs } = await import('node:fs');
  await fs.rm(dir, { recursive: true, force: true });
});

describe('validation runs once per run', () => {
  it('a library call', async () => {
    const { restore } = await import('../src/node.js');
    reset();
    await restore({ task: 'denoise', image: randomImage(16, 16), iterations: 2, stop: 'fixed', channels: 4, threads: 1 });
    expect(counts).toEqual({ restoreValues: 1, inputImage: 1 });
  });
  it('a CLI run', async () => {
    const input = await writeRandomPng(path.join(dir, 'in.png'), 16, 16);
    reset();
    const r = await runCli([
      'denoise',
      input,
      '-o',
      path.join(dir, 'out.png'),
      '--iterations',
      '2',
      '--stop',
      'fixed',
      '--channels',
      '4',
      '--threads',
      '1',
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    expect(counts).toEqual({ restoreValues: 1, inputImage: 1 });
  });
});
