/** The default preset by image size and machine, the time model behind it, and the line the log prints. */
import { describe, expect, it } from 'vitest';
import { createImage } from '../src/image/index.js';
import { forwardMacs } from '../src/nets/cost.js';
import { network } from '../src/nets/index.js';
import type { RestoreOptions } from '../src/options/index.js';
import { effectiveSettings, presetSettings } from '../src/tasks/settings.js';
import { CPU_COST, ceilingSeconds, TIME_BUDGET_SECONDS } from '../src/tasks/size-preset.js';

const denoise = (w: number, h: number, extra: Partial<RestoreOptions> = {}): RestoreOptions => ({ task: 'denoise', image: createImage(w, h, 3), ...extra });
const cpu2 = { backend: 'cpu' as const, threads: 2 };

describe('the time model', () => {
  it('counts the multiply-accumulates of every convolution (a one-level skip net by hand)', () => {
    const net = network('skip', { skip: { channelsDown: [4], channelsUp: [4], channelsSkip: [2], pad: 'zero' } }, 3);
    // 8×8 input of 3 channels: skip 1×1 3→2 at 8², down 3×3 3→4 at 4², deep 3×3 4→4 at 4², up 3×3 (2+4)→4 at 8², 1×1 4→4 at 8², out 1×1 4→3 at 8².
    const expected = 64 * 2 * 3 + 16 * 4 * 27 + 16 * 4 * 36 + 64 * 4 * 54 + 64 * 4 * 4 + 64 * 3 * 4;
    expect(forwardMacs(net, [1, 3, 8, 8])).toBe(expected);
  });

  it('grows with the pixels and shrinks with the threads', () => {
    const s = presetSettings(denoise(256, 256), 'fast');
    const small = ceilingSeconds(s, denoise(256, 256), cpu2);
    expect(ceilingSeconds(s, denoise(512, 512), cpu2) / small).toBeCloseTo(4, 1);
    expect(ceilingSeconds(s, denoise(256, 256), { backend: 'cpu', threads: 4 }) / small).toBeCloseTo(0.5, 6);
    // The drp preset's frozen weights have no weight gradients: one convolution pass of three less.
    const drp = presetSettings(denoise(256, 256), 'drp');
    const allTrained = { ...drp, trainable: undefined };
    const pass = (forwardMacs(network(drp.arch, drp.net, 3), [1, drp.inputDepth, 256, 256]) * drp.iterations) / CPU_COST.macsPerSecond / 2;
    expect(ceilingSeconds(allTrained, denoise(256, 256), cpu2) - ceilingSeconds(drp, denoise(256, 256), cpu2)).toBeCloseTo(pass, 6);
  });
});

describe('the default preset', () => {
  it('is fast up to a megapixel and the cheapest for a larger photo on the CPU, fast again on a much faster backend', () => {
    expect(effectiveSettings(denoise(256, 256), cpu2)).toMatchObject({ preset: 'fast', presetBySize: true });
    expect(effectiveSettings(denoise(1024, 768), cpu2)).toMatchObject({ preset: 'fast', presetBySize: true });
    const photo = effectiveSettings(denoise(2048, 1536), cpu2);
    expect(photo.preset).not.toBe('fast');
    expect(ceilingSeconds(presetSettings(denoise(2048, 1536), 'fast'), denoise(2048, 1536), cpu2)).toBeGreaterThan(TIME_BUDGET_SECONDS);
    expect(ceilingSeconds(photo, denoise(2048, 1536), cpu2)).toBeLessThanOrEqual(TIME_BUDGET_SECONDS);
    expect(effectiveSettings(denoise(2048, 1536), { backend: 'cuda', threads: 2 }).preset).toBe('fast');
  });

  it('follows an explicit preset and the options that change the cost', () => {
    expect(effectiveSettings(denoise(1024, 768, { preset: 'fast' }), cpu2)).toMatchObject({ preset: 'fast' });
    expect(effectiveSettings(denoise(1024, 768, { preset: 'fast' }), cpu2).presetBySize).toBeUndefined();
    // A much wider net makes even a crop too slow for fast.
    expect(effectiveSettings(denoise(512, 512, { channels: 256 }), cpu2).preset).not.toBe('fast');
    // Tasks without a cheaper preset keep fast at any size.
    expect(effectiveSettings({ task: 'inpaint', image: createImage(1024, 768, 3), mask: createImage(1024, 768, 1) }, cpu2).preset).toBe('fast');
  });
});
