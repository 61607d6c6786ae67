/**
 * Flat memory over many fits: every ONNX Runtime session is released and every tensor disposed
 * (the engine's live counters return to zero after each fit, also when a fit fails or is aborted),
 * caches stay bounded, and the process's resident memory does not keep growing over 60 tiny fits.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import { cachedPlanCount, fft2 } from '../src/image/fft.js';
import { restore } from '../src/node.js';
import { liveEngineObjects } from '../src/runtime/engine.js';
import { randomImage } from './helpers/cli.js';

// A full garbage collection before each reading: without it the RSS carries whatever garbage the last
// collection left (it rose 2–3 MB a fit until V8 collected, then fell back), which on a busy machine
// can come late enough to look like a leak. What survives a collection is what a leak would keep.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const tiny = (seed: number) =>
  ({
    task: 'denoise',
    image: randomImage(16 + (seed % 3) * 8, 16, 3, seed),
    iterations: 2,
    stop: 'fixed',
    arch: 'decoder',
    channels: 2,
    backend: 'cpu',
    threads: 1,
    seed,
  }) as const;

it('sessions and tensors return to zero after each fit, a failed one and an aborted one', async () => {
  await restore(tiny(1));
  expect(liveEngineObjects()).toEqual({ programs: 0, tensors: 0 });
  const failing = restore(tiny(2), {
    onStart: () => {
      throw new Error('hook failed');
    },
  });
  await expect(failing).rejects.toThrow('hook failed');
  expect(liveEngineObjects()).toEqual({ programs: 0, tensors: 0 });
  const controller = new AbortController();
  const aborted = await restore(tiny(3), { signal: controller.signal, onProgress: () => controller.abort() });
  expect(aborted.stopReason).toBe('aborted');
  expect(liveEngineObjects()).toEqual({ programs: 0, tensors: 0 });
});

it('resident memory stays flat over 60 fits', async () => {
  const rss: number[] = [];
  for (let i = 0; i < 60; i++) {
    await restore(tiny(i));
    expect(liveEngineObjects().programs).toBe(0);
    collectGarbage();
    rss.push(process.memoryUsage().rss / 2 ** 20);
  }
  // The first fits grow the heap and ONNX Runtime's allocators to their working size; after that a
  // leak of a session (MBs) or of the step's buffers per fit would add up to far over this bound.
  // Medians, not maxima: one late spike is not a leak; a leak moves the whole window.
  const early = median(rss.slice(10, 25));
  const late = median(rss.slice(45));
  expect(late, `RSS ${early.toFixed(0)} MB at fits 10-25, ${late.toFixed(0)} MB at fits 45-60`).toBeLessThan(early * 1.1 + 8);
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

it('the FFT plan cache is bounded whatever the number of image sizes', () => {
  for (let n = 3; n < 80; n++) fft2(new Float64Array(n * 2), new Float64Array(n * 2), n, 2);
  expect(cachedPlanCount()).toBeLessThanOrEqual(32);
});
