import { describe, expect, it } from 'vitest';
import { createImage, type Image } from '../src/image/image.js';
import type { RestoreOptions } from '../src/options/index.js';
import { InputError } from '../src/util/errors.js';
import { CLI_NAMING } from '../src/cli/flags.js';
import { validateImages, validateRestoreOptions, validateSettings } from '../src/validate.js';

const img = (w: number, h: number, c: 1 | 2 | 3 | 4 = 3, v = 0.5): Image => {
  const i = createImage(w, h, c);
  i.data.fill(v);
  return i;
};
const ones = (w: number, h: number) => img(w, h, 1, 1);

/** The message of the InputError thrown by validating `o`, asserting it is one line and exit code 2. */
function errorOf(o: unknown): string {
  try {
    validateRestoreOptions(o as RestoreOptions);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).exitCode).toBe(2);
    const msg = (e as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error('expected an InputError');
}

const base = (extra: Partial<RestoreOptions> = {}): RestoreOptions => ({ task: 'denoise', image: img(32, 32), ...extra });

describe('validateRestoreOptions', () => {
  it('accepts a minimal request and returns a normalised copy', () => {
    const o = { ...base(), iterations: undefined, lr: 0.01 };
    const v = validateRestoreOptions(o);
    expect(v).not.toBe(o);
    expect(v).toEqual({ task: 'denoise', image: o.image, lr: 0.01 });
    expect('iterations' in v).toBe(false);
    expect(v.image).toBe(o.image); // images are shared, not copied
  });

  it('accepts every valid setting', () => {
    const v = validateRestoreOptions(
      base({
        preset: 'paper',
        iterations: 1_000_000,
        stop: 'fixed',
        arch: 'unet',
        lr: 1,
        regNoise: 1,
        tv: 1e-7,
        smoothing: 0.99,
        seed: 0xffffffff,
        backend: 'wasm',
        threads: 1024,
        lipschitz: 2,
        reference: img(32, 32),
        referenceBorder: 3,
      }),
    );
    expect(v.threads).toBe(1024);
  });

  it('rejects unknown tasks and a missing task', () => {
    expect(errorOf(base({ task: 'deblur' as never }))).toMatch(/unknown task "deblur": use denoise, inpaint, .* or enhance/);
    expect(errorOf({ image: img(32, 32) })).toMatch(/task is missing/);
  });

  it('rejects unknown option keys (typos from JavaScript callers)', () => {
    expect(errorOf({ ...base(), iteration: 100 })).toMatch(/unknown option "iteration"/);
  });

  it('requires a non-empty, well-formed image', () => {
    expect(errorOf({ task: 'denoise' })).toMatch(/^image is missing/);
    expect(errorOf({ task: 'denoise', image: { width: 0, height: 10, channels: 3, data: new Float32Array(0) } })).toMatch(/empty \(0×10\)/);
    expect(errorOf({ task: 'denoise', image: { width: 10, height: 10, channels: 5, data: new Float32Array(500) } })).toMatch(/1 to 4 channels/);
    expect(errorOf({ task: 'denoise', image: { width: 10, height: 10, channels: 3, data: new Float32Array(5) } })).toMatch(/needs 300 values, got 5/);
    expect(errorOf({ task: 'denoise', image: { width: 10, height: 10, channels: 3, data: [] } })).toMatch(/Float32Array/);
    const nan = img(10, 10);
    nan.data[7] = NaN;
    expect(errorOf(base({ image: nan }))).toMatch(/non-finite value \(NaN\) at index 7/);
  });

  it('requires at least 8 pixels on each side', () => {
    expect(errorOf(base({ image: img(7, 100) }))).toBe('image is 7×100, too small: it needs at least 8 pixels on each side');
    expect(() => validateRestoreOptions(base({ image: img(8, 8) }))).not.toThrow();
  });

  describe('masks', () => {
    it('are required for inpaint and reconstruct', () => {
      expect(errorOf({ task: 'inpaint', image: img(32, 32) })).toBe('inpaint needs mask or maskColor');
      expect(errorOf({ task: 'reconstruct', image: img(32, 32) })).toBe('reconstruct needs mask');
    });
    it('must have the image size', () => {
      expect(errorOf({ task: 'inpaint', image: img(512, 512), mask: ones(320, 200) })).toMatch(/^mask is 320×200 but the image is 512×512/);
    });
    it('must have one channel with values in [0, 1] and some known pixels', () => {
      expect(errorOf({ task: 'inpaint', image: img(32, 32), mask: img(32, 32, 3) })).toMatch(/mask must have 1 channel/);
      expect(errorOf({ task: 'inpaint', image: img(32, 32), mask: img(32, 32, 1, 2) })).toMatch(/mask values must be between 0 and 1/);
      expect(errorOf({ task: 'inpaint', image: img(32, 32), mask: img(32, 32, 1, 0) })).toMatch(/every pixel as missing.*maskInvert/);
      expect(validateRestoreOptions({ task: 'reconstruct', image: img(32, 32), mask: ones(32, 32) }).mask).toBeDefined();
    });
    it('are refused by tasks that do not use one', () => {
      expect(errorOf(base({ mask: ones(32, 32) }))).toMatch(/mask only applies to inpaint or reconstruct, not to denoise/);
    });
  });

  describe('flash guide', () => {
    it('is required and must have the image size', () => {
      expect(errorOf({ task: 'flash', image: img(32, 32) })).toBe('flash needs guide');
      expect(errorOf({ task: 'flash', image: img(32, 32), guide: img(32, 16) })).toMatch(/guide is 32×16 but the image is 32×32/);
      expect(() => validateRestoreOptions({ task: 'flash', image: img(32, 32), guide: img(32, 32) })).not.toThrow();
      expect(errorOf(base({ guide: img(32, 32) }))).toMatch(/guide only applies to flash/);
    });
  });

  describe('super-resolve scale', () => {
    it('must be 2, 4 or 8 and is required', () => {
      expect(errorOf({ task: 'super-resolve', image: img(32, 32), scale: 3 as never })).toBe('scale must be 2, 4 or 8, got 3');
      expect(errorOf({ task: 'super-resolve', image: img(32, 32) })).toBe('super-resolve needs scale');
      for (const scale of [2, 4, 8] as const) expect(validateRestoreOptions({ task: 'super-resolve', image: img(32, 32), scale }).scale).toBe(scale);
    });
    it('is refused by other tasks', () => {
      expect(errorOf(base({ scale: 2 }))).toMatch(/scale only applies to super-resolve, not to denoise/);
    });
  });

  describe('numeric settings', () => {
    const cases: [Partial<RestoreOptions>, RegExp][] = [
      [{ iterations: 0 }, /^iterations must be a whole number from 1 to 1,000,000, got 0$/],
      [{ iterations: 1_000_001 }, /iterations .* got 1000001/],
      [{ iterations: 2.5 }, /iterations .* got 2\.5/],
      [{ iterations: NaN }, /iterations .* got NaN/],
      [{ iterations: '100' as never }, /iterations .* got "100"/],
      [{ lr: 0 }, /^lr must be a number greater than 0 and at most 1/],
      [{ lr: 1.5 }, /lr .* got 1\.5/],
      [{ lr: -0.01 }, /lr/],
      [{ regNoise: -0.1 }, /^regNoise must be a number from 0 to 1/],
      [{ regNoise: 2 }, /regNoise/],
      [{ tv: -1 }, /^tv must be a number ≥ 0/],
      [{ tv: Infinity }, /tv .* got Infinity/],
      [{ smoothing: 1 }, /^smoothing must be a number from 0 up to \(not including\) 1/],
      [{ smoothing: -0.5 }, /smoothing/],
      [{ seed: -1 }, /^seed must be a whole number from 0 to 4,294,967,295, got -1$/],
      [{ seed: 1.5 }, /seed/],
      [{ threads: 0 }, /^threads must be a whole number from 1 to 1,024, got 0$/],
      [{ threads: 1025 }, /threads/],
      [{ lipschitz: -1 }, /^lipschitz must be a number ≥ 0/],
      [{ channels: 0 }, /^channels must be a whole number from 1 to 1,024, got 0$/],
      [{ channels: 12.5 }, /channels/],
      [{ referenceBorder: -1 }, /^referenceBorder must be a whole number/],
    ];
    it.each(cases)('%o is refused', (extra, re) => {
      expect(errorOf(base(extra))).toMatch(re);
    });
    it('accepts the boundaries', () => {
      for (const extra of [
        { iterations: 1 },
        { lr: 1e-6 },
        { regNoise: 0 },
        { tv: 0 },
        { smoothing: 0 },
        { seed: 0 },
        { threads: 1 },
        { lipschitz: 0 },
        { channels: 1 },
        { channels: 1024 },
        { stop: 'watch' as const },
      ]) {
        expect(() => validateRestoreOptions(base(extra))).not.toThrow();
      }
    });
  });

  describe('enumerations', () => {
    const cases: [Partial<RestoreOptions>, string][] = [
      [{ stop: 'never' as never }, 'stop must be auto, fixed or watch, got "never"'],
      [{ preset: 'slow' as never }, 'preset must be auto, fast, lite, paper, controlled or drp, got "slow"'],
      [{ arch: 'vgg' as never }, 'arch must be skip, skip-depth6, unet, resnet, decoder, auto or a cross-skip genotype such as xs1_147_0a3f0c1, got "vgg"'],
      [{ backend: 'tensorflow' as never }, 'backend must be auto, cpu, webgpu, cuda or wasm, got "tensorflow"'],
      [{ impulseLoss: 'l2' as never }, 'impulseLoss must be mask or l1, got "l2"'],
    ];
    it.each(cases)('%o is refused', (extra, msg) => {
      expect(errorOf(base(extra))).toBe(msg);
    });
  });

  describe('reference', () => {
    it('must have the output size (scale × the input for super-resolve)', () => {
      expect(errorOf(base({ reference: img(16, 16) }))).toMatch(/^reference is 16×16 but the output will be 32×32/);
      expect(errorOf({ task: 'super-resolve', image: img(32, 32), scale: 4, reference: img(32, 32) })).toMatch(
        /reference is 32×32 but the output will be 128×128 \(4× the 32×32 input\)/,
      );
      expect(() => validateRestoreOptions({ task: 'super-resolve', image: img(32, 32), scale: 4, reference: img(128, 128) })).not.toThrow();
    });
    it('must be of the same kind (grey or colour)', () => {
      expect(errorOf(base({ reference: img(32, 32, 1) }))).toMatch(/reference is a grey image but the input is colour/);
      expect(() => validateRestoreOptions(base({ reference: img(32, 32, 4) }))).not.toThrow(); // alpha is ignored
    });
    it('leaves something after the border', () => {
      expect(errorOf(base({ reference: img(32, 32), referenceBorder: 16 }))).toMatch(/referenceBorder 16 leaves nothing/);
    });
  });

  describe('large sizes', () => {
    it('are left to the plan (tiles or a refusal before the fit), not refused by a fixed pixel limit', () => {
      const big = { width: 5000, height: 4000, channels: 1 as const, data: new Float32Array(5000 * 4000) };
      expect(() => validateRestoreOptions({ task: 'denoise', image: big })).not.toThrow();
      const sr = { width: 1200, height: 1200, channels: 1 as const, data: new Float32Array(1200 * 1200) };
      expect(() => validateRestoreOptions({ task: 'super-resolve', image: sr, scale: 4 })).not.toThrow();
    });
  });

  it('returns a frozen request that is not validated twice', () => {
    const v = validateRestoreOptions(base({ iterations: 5 }));
    expect(Object.isFrozen(v)).toBe(true);
    expect(validateRestoreOptions(v)).toBe(v);
  });
});

describe('the two phases', () => {
  it('settings are checked before any image exists; image options count by presence', () => {
    expect(() => validateSettings({ task: 'super-resolve', scale: 3 })).toThrow('scale must be 2, 4 or 8, got 3');
    expect(() => validateSettings({ task: 'inpaint' })).toThrow('inpaint needs mask or maskColor');
    const s = validateSettings({ task: 'inpaint', mask: 'holes.png', iterations: 10 });
    expect(s).toEqual({ task: 'inpaint', iterations: 10 });
    const holed = ones(32, 32);
    holed.data.fill(0, 0, 32);
    const v = validateImages(s, { image: img(32, 32), mask: holed });
    expect(v.iterations).toBe(10);
    expect(v.mask).toBeDefined();
    // A mask with nothing to fill is refused at the edge, naming the option.
    expect(() => validateImages(s, { image: img(32, 32), mask: ones(32, 32) })).toThrow(/^mask marks no pixel to fill \(all white\)/);
  });
  it('refuses incomplete requests', () => {
    expect(() => validateSettings(null as never)).toThrow(/options object/);
    expect(() => validateSettings({ task: 'denoise', every: 3 })).toThrow(/unknown option "every"/);
  });
});

describe("messages in the caller's words", () => {
  const cliError = (o: Record<string, unknown>) => {
    try {
      validateSettings(o, CLI_NAMING);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('expected an InputError');
  };
  it('the CLI reads flags where the library reads option names', () => {
    expect(cliError({ task: 'denoise', regNoise: 2 })).toMatch(/^--reg-noise must be a number from 0 to 1/);
    expect(cliError({ task: 'super-resolve' })).toBe('super-resolve needs --scale 2, 4 or 8');
    expect(cliError({ task: 'inpaint' })).toBe('inpaint needs --mask FILE or --mask-color COLOR');
    expect(cliError({ task: 'flash' })).toBe('flash needs --guide FLASH_IMAGE');
    expect(cliError({ task: 'denoise', scale: 2 })).toBe('--scale only applies to super-resolve, not to denoise');
    expect(cliError({ task: 'inpaint', mask: 'm.png', maskColor: 'red' })).toBe('give either --mask FILE or --mask-color COLOR, not both');
    expect(cliError({ task: 'inpaint', maskColor: 'red', maskInvert: true })).toBe('--mask-invert needs --mask FILE');
  });
  it('a refused value is shown as the caller gave it, not as its parsed form', () => {
    expect(cliError({ task: 'denoise', maxMemory: 10 * 2 ** 20 })).toMatch(/^--max-memory must be a size of at least 64 MB.*, got 10 MB$/);
    expect(cliError({ task: 'denoise', metrics: ['foo', 'psd-db-strip-mse'] })).toMatch(/metric "foo" is unknown.*, got "foo,psd-db-strip-mse"$/);
    expect(cliError({ task: 'denoise', metrics: 'foo' })).toMatch(/, got "foo"$/);
  });
  it('library messages never name a flag', () => {
    const requests: Record<string, unknown>[] = [
      { task: 'denoise', regNoise: 2 },
      { task: 'super-resolve' },
      { task: 'inpaint' },
      { task: 'inpaint', maskColor: 'red', maskTolerance: 300 },
      { task: 'inpaint', maskTolerance: 3, maskColor: 'red', mask: ones(4, 4) },
      { task: 'flash', preset: 'controlled', guide: ones(4, 4) },
      { task: 'inpaint', stopRule: 'discrepancy', mask: ones(4, 4) },
    ];
    for (const o of requests) expect(() => validateSettings(o)).toThrow(/^(?!.*--)/);
  });
});
