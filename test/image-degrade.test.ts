import { describe, expect, it } from 'vitest';
import { createImage } from '../src/image/image.js';
import { addGaussianNoise, addSaltPepper, dropPixels } from '../src/image/degrade.js';
import { checkMaskSize, knownFraction, maskFromColor, maskFromImage, parseColor, resolveColor } from '../src/image/masks.js';
import { InputError } from '../src/util/errors.js';
import { Rng } from '../src/util/random.js';
import { constant } from './helpers/images.js';

describe('addGaussianNoise', () => {
  it('has std σ/255, is seeded, leaves alpha and the input alone', () => {
    const img = constant(64, 64, [0.5, 0.5, 0.5, 0.7]);
    const before = img.data.slice();
    const out = addGaussianNoise(img, 25, new Rng(42));
    expect(img.data).toEqual(before);
    let s = 0,
      s2 = 0,
      n = 0;
    for (let i = 0; i < 64 * 64; i++) {
      expect(out.data[i * 4 + 3]).toBeCloseTo(0.7, 7);
      for (let k = 0; k < 3; k++) {
        const d = out.data[i * 4 + k] - 0.5;
        s += d;
        s2 += d * d;
        n++;
      }
    }
    expect(Math.abs(s / n)).toBeLessThan(0.005);
    expect(Math.sqrt(s2 / n - (s / n) ** 2) / (25 / 255)).toBeCloseTo(1, 1);
    expect(addGaussianNoise(img, 25, new Rng(42))).toEqual(out);
    expect(addGaussianNoise(img, 25, new Rng(43)).data).not.toEqual(out.data);
  });
  it('clips to [0,1]', () => {
    const out = addGaussianNoise(constant(32, 32, [1]), 50, new Rng(1));
    expect(Math.max(...out.data)).toBe(1);
    expect(Math.min(...out.data)).toBeGreaterThanOrEqual(0);
    expect(out.data.filter((v) => v === 1).length).toBeGreaterThan(400); // about half clip at 1
    expect(() => addGaussianNoise(out, -1, new Rng(1))).toThrow(InputError);
  });
});

describe('addSaltPepper', () => {
  it('hits a fraction p of pixels, same value in every colour channel, half black', () => {
    const img = constant(100, 100, [0.5, 0.5, 0.5]);
    const out = addSaltPepper(img, 0.1, new Rng(5));
    let hit = 0,
      black = 0;
    for (let i = 0; i < 10000; i++) {
      const px = Array.from(out.data.subarray(i * 3, i * 3 + 3));
      if (px[0] === 0.5) {
        expect(px).toEqual([0.5, 0.5, 0.5]);
        continue;
      }
      hit++;
      expect(px[0] === 0 || px[0] === 1).toBe(true);
      expect(px).toEqual([px[0], px[0], px[0]]);
      if (px[0] === 0) black++;
    }
    expect(hit / 10000).toBeCloseTo(0.1, 1);
    expect(black / hit).toBeGreaterThan(0.4);
    expect(black / hit).toBeLessThan(0.6);
    expect(addSaltPepper(img, 0.1, new Rng(5))).toEqual(out);
    expect(() => addSaltPepper(img, 1.5, new Rng(5))).toThrow(/between 0 and 1/);
  });
  it('never touches alpha', () => {
    const out = addSaltPepper(constant(20, 20, [0.5, 0.3]), 1, new Rng(2));
    for (let i = 0; i < 400; i++) expect(out.data[i * 2 + 1]).toBeCloseTo(0.3, 7);
  });
});

describe('dropPixels', () => {
  it('keeps a pixel when U > fraction (DIP get_bernoulli_mask), zeroes the rest', () => {
    const img = constant(50, 40, [0.4, 0.5, 0.6]);
    const { image, mask } = dropPixels(img, 0.5, new Rng(9));
    const ref = new Rng(9);
    expect([mask.width, mask.height, mask.channels]).toEqual([50, 40, 1]);
    for (let i = 0; i < 2000; i++) {
      const keep = ref.uniform() > 0.5;
      expect(mask.data[i]).toBe(keep ? 1 : 0);
      expect(Array.from(image.data.subarray(i * 3, i * 3 + 3))).toEqual(keep ? Array.from(img.data.subarray(i * 3, i * 3 + 3)) : [0, 0, 0]);
    }
    expect(knownFraction(mask)).toBeCloseTo(0.5, 1);
    expect(knownFraction(dropPixels(img, 0.98, new Rng(1)).mask)).toBeLessThan(0.05);
    expect(knownFraction(dropPixels(img, 0, new Rng(1)).mask)).toBe(1);
  });
});

describe('maskFromImage', () => {
  it('thresholds grey masks: white = known; invert swaps', () => {
    const m = createImage(4, 1, 1, new Float32Array([0, 0.49, 0.5, 1]));
    expect(Array.from(maskFromImage(m).data)).toEqual([0, 0, 1, 1]);
    expect(Array.from(maskFromImage(m, { invert: true }).data)).toEqual([1, 1, 0, 0]);
    expect(Array.from(maskFromImage(m, { threshold: 0.1 }).data)).toEqual([0, 1, 1, 1]);
    expect(() => maskFromImage(m, { threshold: 2 })).toThrow(InputError);
  });
  it('colour masks use luma', () => {
    const m = createImage(3, 1, 3, new Float32Array([1, 1, 1, 0, 0, 1, 0, 1, 0]));
    expect(Array.from(maskFromImage(m).data)).toEqual([1, 0, 1]); // blue luma 0.114, green 0.587
  });
  it('uniform colour with varying alpha: alpha is the mask; otherwise alpha is ignored', () => {
    const alphaOnly = createImage(3, 1, 4, new Float32Array([0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]));
    expect(Array.from(maskFromImage(alphaOnly).data)).toEqual([1, 0, 1]);
    const ga = createImage(2, 1, 2, new Float32Array([1, 0, 0, 1]));
    expect(Array.from(maskFromImage(ga).data)).toEqual([1, 0]);
  });
});

describe('maskFromColor', () => {
  it('marks pixels within tolerance of the colour as unknown', () => {
    const img = createImage(4, 1, 3, new Float32Array([1, 0, 0, 250 / 255, 5 / 255, 0, 0.5, 0.5, 0.5, 1, 0, 0]));
    expect(Array.from(maskFromColor(img, '#ff0000').data)).toEqual([0, 1, 1, 0]);
    expect(Array.from(maskFromColor(img, [255, 0, 0], 5).data)).toEqual([0, 0, 1, 0]);
    expect(Array.from(maskFromColor(img, 'red', 4).data)).toEqual([0, 1, 1, 0]);
    expect(() => maskFromColor(img, [300, 0, 0])).toThrow(/0 to 255/);
  });
  it('grey images compare with the grey of the colour; alpha ignored', () => {
    const img = createImage(2, 1, 2, new Float32Array([1, 0, 0.5, 1]));
    expect(Array.from(maskFromColor(img, 'white').data)).toEqual([0, 1]);
  });
});

describe('checkMaskSize', () => {
  it('explains the mismatch in one line', () => {
    const mask = createImage(320, 200, 1);
    const img = createImage(512, 512, 3);
    expect(() => checkMaskSize(mask, img, 'holes.png')).toThrow('mask is 320×200 but the image is 512×512: make holes.png the same size as the image');
    try {
      checkMaskSize(mask, img, 'holes.png');
    } catch (e) {
      expect((e as InputError).exitCode).toBe(2);
      expect((e as Error).message).not.toContain('\n');
    }
    expect(() => checkMaskSize(createImage(512, 512, 1), img, 'm.png')).not.toThrow();
  });
});

describe('parseColor', () => {
  it('reads hex, triplets and names', () => {
    expect(parseColor('#fff')).toEqual([255, 255, 255]);
    expect(parseColor('#1A2b3C')).toEqual([26, 43, 60]);
    expect(parseColor(' 10, 20 ,30 ')).toEqual([10, 20, 30]);
    expect(parseColor('Green')).toEqual([0, 255, 0]);
    expect(parseColor('black')).toEqual([0, 0, 0]);
    expect(resolveColor([1, 2, 3])).toEqual([1, 2, 3]);
  });
  it('names the option in its error', () => {
    for (const bad of ['#ggg', '1,2', '256,0,0', 'purple-ish', '']) expect(() => parseColor(bad)).toThrow(/^--mask-color: /);
    expect(() => parseColor('nope', '--text-color')).toThrow(/^--text-color: /);
  });
});
