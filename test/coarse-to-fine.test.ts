/** --coarse-iterations: a half-size stage, then the full-size fit from its weights; its code, sizes, resume and refusals. */
import { memoryStore } from './helpers/checkpoint-store.js';
import { describe, expect, it } from 'vitest';
import { coarseCode, makeInputCode } from '../src/fit/input-code.js';
import { addGaussianNoise, createImage } from '../src/image/index.js';
import { restore } from '../src/node.js';
import type { InitialState, RestoreOptions } from '../src/options/index.js';
import { Rng } from '../src/util/random.js';

function scene(w: number, h: number) {
  const img = createImage(w, h, 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) img.data[(y * w + x) * 3 + c] = 0.5 + 0.3 * Math.sin((x + 2 * y) / 5 + c);
  return img;
}

const image = addGaussianNoise(scene(70, 64), 25, new Rng(5));
const options: RestoreOptions = {
  task: 'denoise',
  image,
  preset: 'fast',
  coarseIterations: 4,
  iterations: 5,
  stop: 'fixed',
  threads: 1,
  seed: 2,
  lrSchedule: 'warmup',
};

describe('coarse-to-fine', () => {
  it('the coarse code is the full one averaged over 2×2 blocks, back at its mean and spread', () => {
    const full = makeInputCode('noise', [1, 4, 64, 96], new Rng(1));
    const coarse = coarseCode('noise', full, [1, 4, 64, 96], [1, 4, 32, 48], new Rng(1));
    const at = (k: number, y: number, x: number) => full[(k * 64 + y) * 96 + x];
    expect(coarse[(2 * 32 + 5) * 48 + 7]).toBeCloseTo(0.05 + 2 * ((at(2, 10, 14) + at(2, 10, 15) + at(2, 11, 14) + at(2, 11, 15)) / 4 - 0.05), 6);
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    const std = (a: Float32Array) => {
      const m = mean(a);
      return Math.sqrt(mean(a.map((v) => (v - m) ** 2)));
    };
    expect(mean(coarse)).toBeCloseTo(mean(full), 3);
    expect(std(coarse) / std(full)).toBeCloseTo(1, 1);
    // A coarse canvas larger than half the full one (the networks' minimum size) mirrors back into the code.
    expect(coarseCode('noise', full, [1, 4, 64, 96], [1, 4, 64, 64], new Rng(1)).every(Number.isFinite)).toBe(true);
  });

  it('fits half size first, then starts the full-size stage from exactly its final weights and Adam state', async () => {
    const starts: InitialState[] = [];
    const store = memoryStore();
    const r = await restore({ ...options, coarseIterations: 4 }, { onStart: (s) => void starts.push(s), checkpoint: store, checkpointEvery: 4 });
    expect(r.stages).toEqual([
      { width: 35, height: 32, iterations: 4 },
      { width: 70, height: 64, iterations: 5 },
    ]);
    expect(r.image.width).toBe(70);
    expect(r.history.map((h) => h.iteration)).toEqual([1, 2, 3, 4, 5]);
    const [coarse, fine] = starts;
    expect([coarse.stage, fine.stage]).toEqual([0, 1]);
    // The coarse canvas is the networks' minimum 64²; the full one is 96×64.
    expect(coarse.inputShape).toEqual([1, 32, 64, 64]);
    expect(fine.inputShape).toEqual([1, 32, 64, 96]);
    const single: InitialState[] = [];
    await restore({ ...options, coarseIterations: 0, iterations: 1 }, { onStart: (s) => void single.push(s) });
    // Stage 0 starts where a single fit does (same weights, its code averaged); stage 1 from stage 0's end.
    expect(coarse.params.map((p) => Array.from(p))).toEqual(single[0].params.map((p) => Array.from(p)));
    expect(Array.from(fine.z)).toEqual(Array.from(single[0].z));
    expect(Array.from(coarse.z)).toEqual(Array.from(coarseCode('noise', single[0].z, fine.inputShape, coarse.inputShape, new Rng(0))));
    const endOfCoarse = store.saves.find((d) => d.stage === 0 && d.iteration === 4)!;
    expect(fine.params.map((p) => Array.from(p))).toEqual(endOfCoarse.params.map((p) => Array.from(p)));
    expect(fine.params.map((p) => Array.from(p))).not.toEqual(coarse.params.map((p) => Array.from(p)));
    expect(endOfCoarse.adamStep).toBe(4);
  });

  it.each([2, 7])('a fit interrupted at its step %i (of 4 coarse + 5) resumes to exactly the uninterrupted result', async (at) => {
    const whole = await restore(options);
    const store = memoryStore();
    const controller = new AbortController();
    let steps = 0;
    const first = await restore(options, { checkpoint: store, signal: controller.signal, onProgress: () => ++steps === at && controller.abort() });
    expect(first.stopReason).toBe('aborted');
    expect(first.image.width).toBe(70);
    expect(store.saves.at(-1)!.stage).toBe(at <= 4 ? 0 : 1);
    const resumed = await restore(options, { checkpoint: store });
    expect(resumed.history.map((h) => h.loss)).toEqual(whole.history.map((h) => h.loss));
    expect(Array.from(resumed.image.data)).toEqual(Array.from(whole.image.data));
  });

  it('is refused with the drp preset, whose trained code has the size it was fitted at', async () => {
    await expect(restore({ task: 'denoise', image, preset: 'drp', coarseIterations: 10 })).rejects.toThrow(/coarseIterations cannot start the drp preset/);
  });
});
