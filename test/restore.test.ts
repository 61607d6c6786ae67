/** restore() end to end on tiny inputs: every task runs, any size and channel layout, determinism, learning. */
import { memoryStore } from './helpers/checkpoint-store.js';
import { describe, expect, it } from 'vitest';
import { restore } from '../src/node.js';
import { createImage, psnr, addGaussianNoise, type Image } from '../src/image/index.js';
import { Rng } from '../src/util/random.js';
import { numel } from '../src/graph/graph.js';
import type { InitialState, RestoreOptions } from '../src/options/index.js';

function pattern(w: number, h: number, c: 1 | 2 | 3 | 4): Image {
  const img = createImage(w, h, c);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let k = 0; k < c; k++)
        img.data[(y * w + x) * c + k] = k === 3 || (c === 2 && k === 1) ? 0.25 + 0.5 * (x / w) : 0.5 + 0.4 * Math.sin((x + 2 * y + 3 * k) / 3);
    }
  }
  return img;
}

function halfMask(w: number, h: number): Image {
  const m = createImage(w, h, 1);
  for (let i = 0; i < w * h; i++) m.data[i] = i % 3 ? 1 : 0;
  return m;
}

const quick: Partial<RestoreOptions> = { iterations: 3, stop: 'fixed', threads: 1, backend: 'cpu' };

describe('restore', () => {
  it('handles tiny, odd-sized, grey and RGBA images (alpha kept)', async () => {
    for (const [w, h, c] of [
      [8, 8, 3],
      [17, 8, 1],
      [33, 12, 4],
      [9, 9, 2],
    ] as const) {
      const image = pattern(w, h, c);
      const r = await restore({ task: 'denoise', image, ...quick });
      expect([r.image.width, r.image.height, r.image.channels]).toEqual([w, h, c]);
      if (c === 2 || c === 4) {
        for (let i = 0; i < w * h; i++) expect(r.image.data[i * c + c - 1]).toBeCloseTo(image.data[i * c + c - 1], 6);
      }
      expect(r.iterations).toBe(3);
      expect(r.history).toHaveLength(3);
      expect(r.stopReason).toBe('fixed');
    }
  });

  it('runs every task on a small input', async () => {
    const image = pattern(20, 14, 3);
    const cases: RestoreOptions[] = [
      { task: 'inpaint', image, mask: halfMask(20, 14) },
      { task: 'reconstruct', image, mask: halfMask(20, 14) },
      { task: 'super-resolve', image, scale: 2 },
      { task: 'deblock', image },
      { task: 'impulse', image },
      { task: 'impulse', image, impulseLoss: 'l1' },
      { task: 'flash', image, guide: pattern(20, 14, 3) },
      { task: 'enhance', image, iterations: 2 },
    ];
    for (const c of cases) {
      const r = await restore({ ...quick, ...c });
      const scale = c.task === 'super-resolve' ? 2 : 1;
      expect([r.image.width, r.image.height], c.task).toEqual([20 * scale, 14 * scale]);
      expect(r.image.data.every((v) => v >= 0 && v <= 1)).toBe(true);
    }
  });

  it('keepKnown: the known pixels are the input exactly (alpha too), the holes are the fit; without it the output is the network everywhere', async () => {
    for (const c of [3, 4] as const) {
      const image = pattern(17, 11, c);
      const mask = halfMask(17, 11);
      const opts: RestoreOptions = { task: 'inpaint', image, mask, ...quick, channels: 8, seed: 2 };
      const kept = await restore({ ...opts, keepKnown: true });
      const plain = await restore(opts);
      for (let i = 0; i < 17 * 11; i++) {
        for (let k = 0; k < c; k++) {
          const v = kept.image.data[i * c + k];
          if (mask.data[i] === 1) expect(v).toBe(image.data[i * c + k]);
          else expect(v).toBe(plain.image.data[i * c + k]);
        }
      }
      // The network alone does not reproduce the known pixels after 3 steps.
      const known = Array.from({ length: 17 * 11 }, (_, i) => i).filter((i) => mask.data[i] === 1);
      expect(known.some((i) => Math.abs(plain.image.data[i * c] - image.data[i * c]) > 1e-3)).toBe(true);
    }
  });

  it('same seed, same result; another seed, another result', async () => {
    const image = pattern(16, 16, 3);
    const a = await restore({ task: 'denoise', image, seed: 7, ...quick });
    const b = await restore({ task: 'denoise', image, seed: 7, ...quick });
    const c = await restore({ task: 'denoise', image, seed: 8, ...quick });
    expect(Array.from(a.image.data)).toEqual(Array.from(b.image.data));
    expect(Array.from(a.image.data)).not.toEqual(Array.from(c.image.data));
  });

  it('onStart hands out the starting point: every weight in shape, the input code, the same for the same seed', async () => {
    const image = pattern(20, 12, 3);
    const starts: InitialState[] = [];
    const copies: number[][] = [];
    const run = (seed: number) =>
      restore(
        { task: 'denoise', image, seed, ...quick },
        {
          onStart: (s) => {
            starts.push(s);
            copies.push(Array.from(s.params[0]));
          },
        },
      );
    const r = await run(3);
    await run(3);
    await run(4);
    const [a, b, c] = starts;
    expect(a.params.map((p) => p.length)).toEqual(a.paramShapes.map(numel));
    expect(a.params.reduce((n, p) => n + p.length, 0)).toBe(r.options.parameters);
    expect(a.z.length).toBe(numel(a.inputShape));
    expect(a.inputShape.slice(0, 2)).toEqual([1, r.options.inputDepth]);
    expect(b.params.map((p) => Array.from(p))).toEqual(a.params.map((p) => Array.from(p)));
    expect(Array.from(b.z)).toEqual(Array.from(a.z));
    expect(Array.from(c.z)).not.toEqual(Array.from(a.z));
    // The state handed out stays the start: the fit does not train those arrays in place.
    expect(Array.from(a.params[0])).toEqual(copies[0]);
  });

  it('learns: the fit moves towards a noisy target and reports reference PSNR in the history', async () => {
    const clean = pattern(32, 32, 3);
    const noisy = addGaussianNoise(clean, 25, new Rng(2));
    const r = await restore({ task: 'denoise', image: noisy, reference: clean, iterations: 60, stop: 'fixed', threads: 2, smoothing: 0 });
    expect(r.history[59].loss).toBeLessThan(r.history[0].loss / 2);
    expect(r.history[59].psnr).toBeGreaterThan(r.history[0].psnr! + 3);
    expect(psnr(r.image, clean)).toBeCloseTo(r.history[59].psnr!, 1);
  });

  it('with --stop auto returns the estimate the rule picked, not merely the last iterate', async () => {
    const clean = pattern(16, 16, 3);
    const noisy = addGaussianNoise(clean, 25, new Rng(3));
    const r = await restore({ task: 'denoise', image: noisy, iterations: 130, threads: 2, stop: 'auto', stopRule: 'wmv' });
    expect(r.stopReason).toBe('ceiling');
    expect(String(r.options.stopRule)).toMatch(/variance/);
    // The window (100) is full from iteration 100 on; the pick is the minimum-variance iterate since then.
    expect(r.bestIteration).toBeGreaterThanOrEqual(100);
    expect(r.bestIteration).toBeLessThanOrEqual(130);
  });

  it('denoise stops by the discrepancy principle by default, with σ estimated from the input', async () => {
    const clean = pattern(32, 32, 3);
    const noisy = addGaussianNoise(clean, 25, new Rng(5));
    const r = await restore({ task: 'denoise', image: noisy, reference: clean, iterations: 400, threads: 2, stop: 'auto', channels: 8, seed: 1 });
    expect(String(r.options.stopRule)).toMatch(/noise level \(σ ≈ 2\d\.\d\/255, estimated from the input\)/);
    // The statistic is the smoothed loss over σ̂²: it falls to 1 where the rule stops.
    const last = r.history[r.history.length - 1];
    if (r.stopReason === 'auto') expect(last.stopStatistic!).toBeLessThanOrEqual(1);
    expect(r.history[0].stopStatistic!).toBeGreaterThan(1);
  });

  it('--stop watch runs the whole budget and reports exactly what --stop auto would have stopped at and returned', async () => {
    const clean = pattern(16, 16, 3);
    const noisy = addGaussianNoise(clean, 25, new Rng(4));
    // A 4-channel net keeps this quick; the blur/sharpness ratio settles after a few hundred iterations.
    const base: RestoreOptions = { task: 'denoise', image: noisy, threads: 1, backend: 'cpu', stopRule: 'ratio', seed: 3, channels: 4 };
    const auto = await restore({ ...base, stop: 'auto', iterations: 1000 });
    expect(auto.stopReason).toBe('auto');
    const budget = auto.iterations + 10;
    const watch = await restore({ ...base, stop: 'watch', iterations: budget });
    expect(watch.iterations).toBe(budget);
    expect(watch.stopReason).toBe('fixed');
    expect(watch.watched!.stoppedAt).toBe(auto.iterations);
    expect(watch.watched!.iteration).toBe(auto.bestIteration);
    expect(Array.from(watch.watched!.image.data)).toEqual(Array.from(auto.image.data));
    expect(watch.watched!.reason).toMatch(/settled/);
  });

  it("--preset controlled is the spectral-bias paper's decoder, and only where that paper defines it", async () => {
    const image = pattern(32, 32, 3);
    const r = await restore({ task: 'denoise', image, preset: 'controlled', channels: 8, ...quick, iterations: 2 });
    expect(r.options).toMatchObject({ arch: 'decoder', input: 'fourier', lr: 0.001, lipschitz: 1.4, regNoise: 0 });
    expect(r.options.network).toMatch(/gaussian up, mean-only norm/);
    await expect(restore({ task: 'super-resolve', image, scale: 2, preset: 'controlled', ...quick })).rejects.toThrow(
      /^preset controlled is not defined for super-resolve \(it is for denoise, inpaint, deblock\)/,
    );
  });

  it('--channels sets the width of every network', async () => {
    const image = pattern(32, 32, 3);
    const widths = async (arch: RestoreOptions['arch'], channels?: number) =>
      (await restore({ task: 'denoise', image, arch, channels, ...quick, iterations: 1 })).options;
    const skip8 = await widths('skip', 8);
    expect(skip8.network).toMatch(/down 8\/8\/8\/8\/8 up 8\/8\/8\/8\/8/);
    expect(skip8.parameters as number).toBeLessThan((await widths('skip')).parameters as number);
    expect((await widths('decoder', 16)).network).toMatch(/× 16 channels/);
    expect((await widths('resnet', 8)).network).toMatch(/× 8 channels/);
    const unet = await widths('unet', 4);
    expect(unet.parameters as number).toBeLessThan((await widths('unet', 8)).parameters as number);
  });

  it('every task stops by itself by default, by its own rule; a rule that does not fit the task is refused', async () => {
    const image = pattern(16, 16, 3);
    const r = await restore({ task: 'denoise', image, iterations: 2, threads: 1 });
    expect(r.options.stop).toBe('auto');
    expect(r.stopReason).toBe('ceiling'); // the rule's warm-up outlasts 2 iterations
    const inpaint = await restore({ task: 'inpaint', image, mask: halfMask(16, 16), iterations: 3, threads: 1 });
    expect(inpaint.stopReason).toBe('ceiling');
    expect(inpaint.options.stopRule).toMatch(/^the estimate was still moving \(drift over the last half of the run/);
    await expect(restore({ task: 'inpaint', image, mask: halfMask(16, 16), stopRule: 'discrepancy', iterations: 2 })).rejects.toThrow(
      /^stopRule discrepancy does not apply to inpaint: use change, wmv or ratio \(default change\)/,
    );
  });

  it('--stop auto stops a converging inpainting fit early, and --stop watch reports the same stop and image', async () => {
    // A flat grey image with a third of its pixels missing: the fit converges within a few hundred steps.
    const image = createImage(16, 16, 3);
    image.data.fill(0.5);
    const base: RestoreOptions = { task: 'inpaint', image, mask: halfMask(16, 16), channels: 4, regNoise: 0, seed: 1, threads: 1, backend: 'cpu' };
    const auto = await restore({ ...base, iterations: 1000 });
    expect(auto.stopReason).toBe('auto');
    expect(auto.iterations).toBeLessThan(500);
    expect(auto.bestIteration).toBe(auto.iterations);
    expect(auto.options.stopRule).toMatch(/^the estimate stopped moving .* at iteration \d+$/);
    expect(psnr(auto.image, image)).toBeGreaterThan(40);
    const budget = auto.iterations + 50;
    const watch = await restore({ ...base, stop: 'watch', iterations: budget });
    expect(watch.iterations).toBe(budget);
    expect(watch.watched!.stoppedAt).toBe(auto.iterations);
    expect(watch.watched!.iteration).toBe(auto.iterations);
    expect(Array.from(watch.watched!.image.data)).toEqual(Array.from(auto.image.data));
    expect(watch.watched!.reason).toMatch(/stopped moving/);
  });

  it('honours an AbortSignal and returns the estimate so far', async () => {
    const controller = new AbortController();
    const r = await restore(
      { task: 'denoise', image: pattern(16, 16, 3), iterations: 1000, stop: 'fixed', threads: 1 },
      { signal: controller.signal, onProgress: (p) => p.iteration === 4 && controller.abort() },
    );
    expect(r.stopReason).toBe('aborted');
    expect(r.iterations).toBe(4);
  });

  it.each(['fast', 'controlled'] as const)(
    'a resumed fit (%s preset) ends exactly where the uninterrupted one does, through the checkpoint file format',
    async (preset) => {
      // fast: reg-noise keyed by the step; controlled: the Lipschitz power-iteration state is saved.
      const options: RestoreOptions = {
        task: 'denoise',
        preset,
        image: addGaussianNoise(pattern(16, 16, 3), 25, new Rng(3)),
        iterations: 8,
        stop: 'fixed',
        threads: 1,
        seed: 4,
      };
      const whole = await restore(options);
      const store = memoryStore();
      const controller = new AbortController();
      const first = await restore(options, { checkpoint: store, signal: controller.signal, onProgress: (p) => p.iteration === 3 && controller.abort() });
      expect(first.iterations).toBe(3);
      expect(store.data).not.toBeNull();
      const resumed = await restore(options, { checkpoint: store });
      expect(resumed.history.map((h) => h.iteration)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(resumed.history.map((h) => h.loss)).toEqual(whole.history.map((h) => h.loss));
      expect(Array.from(resumed.image.data)).toEqual(Array.from(whole.image.data));
    },
  );
});
