import { describe, expect, it } from 'vitest';
import { knownFraction } from '../src/image/masks.js';
import { overlayText } from '../src/image/text-node.js';
import { InputError } from '../src/util/errors.js';
import { constant } from './helpers/images.js';

describe('overlayText', () => {
  it('draws text, returns a mask covering every changed pixel plus a 1-px margin', async () => {
    const img = constant(96, 64, [0.2, 0.3, 0.4]);
    const { image, mask } = await overlayText(img, 'Hello DIP', { seed: 1, fontSize: 12 });
    expect([mask.width, mask.height, mask.channels]).toEqual([96, 64, 1]);
    const f = knownFraction(mask);
    expect(f).toBeGreaterThan(0.4);
    expect(f).toBeLessThan(0.98);
    let changed = 0,
      maskedOnly = 0;
    for (let i = 0; i < 96 * 64; i++) {
      const diff = Math.abs(image.data[i * 3] - 0.2) > 1e-6;
      expect(mask.data[i] === 0 || mask.data[i] === 1).toBe(true);
      if (diff) {
        changed++;
        expect(mask.data[i]).toBe(0); // every damaged pixel is unknown
        expect(image.data[i * 3]).toBeGreaterThan(0.2); // white ink brightens
      } else if (mask.data[i] === 0) maskedOnly++;
    }
    expect(changed).toBeGreaterThan(50);
    expect(maskedOnly).toBeGreaterThan(0); // the dilation margin
    expect(img.data[0]).toBeCloseTo(0.2, 6); // input untouched
  });
  it('is reproducible by seed and moves with it', async () => {
    const img = constant(80, 60, [0.5]);
    const a = await overlayText(img, 'one\ntwo', { seed: 7, fontSize: 10, color: '#000' });
    const b = await overlayText(img, 'one\ntwo', { seed: 7, fontSize: 10, color: '#000' });
    const c = await overlayText(img, 'one\ntwo', { seed: 8, fontSize: 10, color: '#000' });
    expect(b).toEqual(a);
    expect(c.mask.data).not.toEqual(a.mask.data);
    expect(a.image.channels).toBe(1);
    expect(Math.min(...a.image.data)).toBeLessThan(0.2); // black ink on grey
  });
  it('leaves alpha alone and escapes markup', async () => {
    const img = constant(64, 32, [0.5, 0.5, 0.5, 0.25]);
    const { image } = await overlayText(img, '<b> & "q"', { seed: 3, fontSize: 10, color: [255, 0, 0] });
    for (let i = 0; i < 64 * 32; i++) expect(image.data[i * 4 + 3]).toBeCloseTo(0.25, 6);
  });
  it('rejects empty text', async () => {
    await expect(overlayText(constant(8, 8, [0]), ' \n ', { seed: 1 })).rejects.toThrow(InputError);
  });
});
