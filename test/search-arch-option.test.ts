/** --arch takes a genotype (or auto) on every fitting command: parsed and checked once, at the edge, into a cross-skip net. */
import { describe, expect, it } from 'vitest';
import { parseRequest } from '../src/cli/request.js';
import { createImage } from '../src/image/image.js';
import { network } from '../src/nets/index.js';
import { CROSS_SKIP_CHANNELS } from '../src/nets/cross-skip.js';
import type { TASKS } from '../src/options/index.js';
import { officialName, parseGenotype, printGenotype } from '../src/search/genotype.js';
import { effectiveSettings } from '../src/tasks/settings.js';
import { InputError } from '../src/util/errors.js';
import { validateRestoreOptions } from '../src/validate.js';

const request = (flags: Record<string, unknown>, task: (typeof TASKS)[number] = 'denoise') => parseRequest(task, 'in.png', { output: 'out.png', ...flags }, 2);

function cliError(flags: Record<string, unknown>): string {
  try {
    request(flags);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    const message = (e as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error(`expected ${JSON.stringify(flags)} to be refused`);
}

describe('--arch with a genotype', () => {
  it('round-trips through the CLI validator: printed and official forms come out canonical, names and auto stay', () => {
    expect(request({ arch: 'xs1_147_0a3f0c1' }).settings.arch).toBe('xs1_147_0a3f0c1');
    expect(request({ arch: '  xs1_147_0A3F0C1 ' }).settings.arch).toBe('xs1_147_0a3f0c1');
    const g = parseGenotype('xs1_53_11b02ae');
    expect(request({ arch: officialName(g) }).settings.arch).toBe(printGenotype(g));
    expect(request({ arch: 'unet' }).settings.arch).toBe('unet');
    expect(request({ arch: 'auto' }).settings.arch).toBe('auto');
    expect(request({ arch: 'xs1_3_0000000', scale: '4' }, 'super-resolve').settings.arch).toBe('xs1_3_0000000');
    expect(request({ arch: 'xs1_3_0000000', mask: 'm.png' }, 'inpaint').settings.arch).toBe('xs1_3_0000000');
  });

  it('bad strings are refused with one line naming what is wrong', () => {
    expect(cliError({ arch: 'xs1_400_0a3f0c1' })).toMatch(/^--arch must be .*genotype.*\(this genotype: cell 400 is outside 0–323\), got "xs1_400_0a3f0c1"$/);
    expect(cliError({ arch: 'xs1_250_0a3f0c1' })).toMatch(/cell 250 \(pixel shuffle → identity, ReLU\) cannot be built/);
    expect(cliError({ arch: 'xs1_147_2000000' })).toMatch(/skip field 2000000 has more than 25 bits/);
    expect(cliError({ arch: 'xs2_147_0a3f0c1' })).toMatch(/version xs2 is unknown/);
    expect(cliError({ arch: 'xs1_147_0a3f' })).toMatch(/expected xs1_<cell 0–323>_<7 hex digits of skips>/);
    expect(cliError({ arch: 'skipp' })).toBe(
      '--arch must be skip, skip-depth6, unet, resnet, decoder, auto or a cross-skip genotype such as xs1_147_0a3f0c1, got "skipp"',
    );
  });

  it('the search options need --arch auto; a genotype takes no --upsample and a width divisible by 16', () => {
    expect(cliError({ candidates: '10' })).toBe('--candidates only applies to --arch auto (the architecture search)');
    expect(cliError({ arch: 'skip', prefer: 'speed' })).toBe('--prefer only applies to --arch auto (the architecture search)');
    expect(cliError({ arch: 'auto', candidates: '4', cohort: '5' })).toMatch(/^--cohort 5 is more than the 4 screened/);
    expect(cliError({ arch: 'auto', metrics: 'psd-db-strip-mse,psd-nope' })).toMatch(/^--metrics must be .*metric "psd-nope" is unknown/);
    expect(cliError({ arch: 'xs1_147_0a3f0c1', upsample: 'nearest' })).toMatch(/^--upsample does not apply to cross-skip networks/);
    expect(cliError({ arch: 'auto', channels: '24' })).toMatch(/^--channels must be a multiple of 16 for cross-skip networks/);
    expect(cliError({ arch: 'xs1_147_0a3f0c1_w64', channels: '32' })).toBe(
      '--channels 32 differs from the width of --arch xs1_147_0a3f0c1_w64 (64): give one of them',
    );
    expect(cliError({ widthVariants: '2' })).toBe('--width-variants only applies to --arch auto (the architecture search)');
    const ok = request({ arch: 'auto', candidates: '8', cohort: '3', metrics: 'psd-db-strip-mse, random', prefer: 'speed', cohortIterations: '50' });
    expect(ok.settings).toMatchObject({ candidates: 8, cohort: 3, metrics: ['psd-db-strip-mse', 'random'], prefer: 'speed', cohortIterations: 50 });
  });

  it('becomes the cross-skip net of that genotype with an input code of the image’s channels; the width follows --channels', () => {
    for (const channels of [1, 3] as const) {
      const o = validateRestoreOptions({ task: 'denoise', image: createImage(64, 64, channels), arch: 'xs1_147_0a3f0c1', preset: 'paper' });
      const s = effectiveSettings(o);
      expect(s).toMatchObject({ arch: 'cross-skip', input: 'noise', inputDepth: channels, lr: 0.01, regNoise: 1 / 30 });
      expect(s.net.crossSkip?.genotype).toEqual(parseGenotype('xs1_147_0a3f0c1'));
      expect(network(s.arch, s.net, channels).description).toContain(`xs1_147_0a3f0c1 × ${CROSS_SKIP_CHANNELS} channels`);
    }
    const narrow = effectiveSettings(validateRestoreOptions({ task: 'denoise', image: createImage(64, 64, 3), arch: 'xs1_147_0a3f0c1', channels: 32 }));
    expect(network(narrow.arch, narrow.net, 3).description).toContain('× 32 channels');
    // A genotype that carries its width: the same network, with or without an agreeing --channels.
    for (const extra of [{}, { channels: 32 }]) {
      const own = effectiveSettings(validateRestoreOptions({ task: 'denoise', image: createImage(64, 64, 3), arch: 'xs1_147_0a3f0c1_w32', ...extra }));
      expect(network(own.arch, own.net, 3).description).toContain('xs1_147_0a3f0c1_w32 × 32 channels');
      expect(own.net.crossSkip?.channels).toBe(32);
    }
  });
});
