import { describe, expect, it } from 'vitest';
import {
  centerCropTo,
  clamp01,
  createImage,
  cropImage,
  fromPlanar,
  joinAlpha,
  padReflect,
  splitAlpha,
  toGrey,
  toLumaY,
  toPlanar,
  type Image,
} from '../src/image/image.js';
import { fromSamples, quantize16, quantize8 } from '../src/image/quantize.js';
import { fromImageData, toImageData } from '../src/image/imagedata.js';
import { DeepPriorError, ImageError, InputError } from '../src/util/errors.js';

/** value at (x, y, k) = (100 y + 10 x + k) / 1000: every sample tells where it came from. */
function ramp(w: number, h: number, c: 1 | 2 | 3 | 4): Image {
  const img = createImage(w, h, c);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) img.data[(y * w + x) * c + k] = (100 * y + 10 * x + k) / 1000;
  return img;
}
const at = (img: Image, x: number, y: number, k = 0) => img.data[(y * img.width + x) * img.channels + k];

describe('errors', () => {
  it('InputError exits with 2, is a DeepPriorError, keeps a code', () => {
    const e = new InputError('bad', { code: 'X' });
    expect(e).toBeInstanceOf(DeepPriorError);
    expect(e.exitCode).toBe(2);
    expect(e.code).toBe('X');
    expect(e.name).toBe('InputError');
    const ie = new ImageError('bad image');
    expect(ie).toBeInstanceOf(InputError);
    expect(ie.code).toBe('INVALID_IMAGE');
  });
});

describe('createImage', () => {
  it('builds zero images and validates', () => {
    const img = createImage(3, 2, 4);
    expect(img.data.length).toBe(24);
    expect(() => createImage(0, 2, 3)).toThrow(ImageError);
    expect(() => createImage(2.5, 2, 3)).toThrow(ImageError);
    expect(() => createImage(2, 2, 5)).toThrow(/1 to 4 channels/);
    expect(() => createImage(2, 2, 3, new Float32Array(11))).toThrow(/needs 12 values, got 11/);
  });
  it('clamp01', () => {
    expect([clamp01(-1), clamp01(0.25), clamp01(2)]).toEqual([0, 0.25, 1]);
  });
});

describe('planar layout', () => {
  it('round-trips and puts channel planes contiguously', () => {
    const img = ramp(4, 3, 3);
    const p = toPlanar(img);
    expect(p[0]).toBeCloseTo(at(img, 0, 0, 0));
    expect(p[12]).toBeCloseTo(at(img, 0, 0, 1)); // second plane starts after H·W values
    expect(p[12 * 2 + 5]).toBeCloseTo(at(img, 1, 1, 2));
    expect(fromPlanar(p, 4, 3, 3)).toEqual(img);
    expect(() => fromPlanar(p, 4, 4, 3)).toThrow(ImageError);
  });
});

describe('crops', () => {
  it('cropImage takes the right window and checks bounds', () => {
    const c = cropImage(ramp(5, 4, 2), 1, 2, 3, 2);
    expect([c.width, c.height, c.channels]).toEqual([3, 2, 2]);
    expect(at(c, 0, 0, 1)).toBeCloseTo(at(ramp(5, 4, 2), 1, 2, 1));
    expect(at(c, 2, 1)).toBeCloseTo(0.33);
    expect(() => cropImage(ramp(5, 4, 1), 3, 0, 3, 1)).toThrow(/does not fit/);
  });
  it('centerCropTo follows DIP crop_image (offsets rounded down)', () => {
    const img = ramp(37, 70, 1);
    const c = centerCropTo(img, 32);
    expect([c.width, c.height]).toEqual([32, 64]);
    expect(at(c, 0, 0)).toBeCloseTo(at(img, 2, 3)); // (37-32)/2 = 2.5 → 2, (70-64)/2 = 3
    expect(centerCropTo(ramp(64, 64, 3), 32).width).toBe(64);
    expect(() => centerCropTo(ramp(20, 40, 1), 32)).toThrow(/smaller than 32/);
  });
});

describe('alpha', () => {
  it('splits and joins RGBA and grey+alpha', () => {
    for (const c of [2, 4] as const) {
      const img = ramp(3, 2, c);
      const { color, alpha } = splitAlpha(img);
      expect(color.channels).toBe(c - 1);
      expect(alpha!.channels).toBe(1);
      expect(alpha!.data[4]).toBeCloseTo(at(img, 1, 1, c - 1));
      expect(joinAlpha(color, alpha)).toEqual(img);
    }
  });
  it('no alpha → null, and join rejects mismatches', () => {
    const img = ramp(3, 2, 3);
    expect(splitAlpha(img)).toEqual({ color: img, alpha: null });
    expect(joinAlpha(img, null)).toBe(img);
    expect(() => joinAlpha(img, createImage(2, 2, 1))).toThrow(/alpha is 2×2/);
    expect(() => joinAlpha(ramp(3, 2, 4), createImage(3, 2, 1))).toThrow(/already has an alpha/);
  });
});

describe('luma', () => {
  it('toGrey uses 0.2989/0.5870/0.1140 and drops alpha', () => {
    const img = createImage(1, 1, 4, new Float32Array([1, 0.5, 0.25, 0.1]));
    const g = toGrey(img);
    expect(g.channels).toBe(1);
    expect(g.data[0]).toBeCloseTo(0.2989 + 0.587 * 0.5 + 0.114 * 0.25, 6);
  });
  it('toLumaY is MATLAB rgb2ycbcr Y on [0,1]: black → 16/255, white → 235/255', () => {
    const img = createImage(2, 1, 3, new Float32Array([0, 0, 0, 1, 1, 1]));
    const y = toLumaY(img);
    expect(y.data[0]).toBeCloseTo(16 / 255, 6);
    expect(y.data[1]).toBeCloseTo(235 / 255, 5); // 16 + 65.481 + 128.553 + 24.966 = 235
    const grey = createImage(1, 1, 2, new Float32Array([0.3, 1]));
    expect(toLumaY(grey).data[0]).toBeCloseTo(0.3, 6); // grey is its own Y
  });
});

describe('padReflect', () => {
  it('reflects without repeating the edge (numpy reflect)', () => {
    const row = createImage(4, 1, 1, new Float32Array([0, 0.1, 0.2, 0.3]));
    const p = padReflect(row, 0, 0, 2, 3);
    expect(Array.from(p.data).map((v) => Math.round(v * 10))).toEqual([2, 1, 0, 1, 2, 3, 2, 1, 0]);
  });
  it('pads all sides like DIP pads barbara by 1 px', () => {
    const img = ramp(3, 3, 3);
    const p = padReflect(img, 1, 1, 1, 1);
    expect([p.width, p.height]).toEqual([5, 5]);
    expect(at(p, 0, 0, 2)).toBeCloseTo(at(img, 1, 1, 2));
    expect(at(p, 4, 2, 1)).toBeCloseTo(at(img, 1, 1, 1));
    expect(cropImage(p, 1, 1, 3, 3)).toEqual(img);
  });
  it('handles pads wider than the image and 1-pixel images', () => {
    const row = createImage(2, 1, 1, new Float32Array([0, 1]));
    expect(Array.from(padReflect(row, 0, 0, 0, 4).data)).toEqual([0, 1, 0, 1, 0, 1]);
    expect(Array.from(padReflect(createImage(1, 1, 1, new Float32Array([0.5])), 1, 1, 1, 1).data)).toEqual(new Array(9).fill(0.5));
    expect(() => padReflect(row, -1, 0, 0, 0)).toThrow(ImageError);
  });
});

describe('quantize', () => {
  it('rounds, clips, and round-trips 8 and 16 bits', () => {
    expect(Array.from(quantize8(new Float32Array([-1, 0.5, 2, NaN])))).toEqual([0, 128, 255, 0]);
    expect(Array.from(quantize16(new Float32Array([1000 / 65535, 1])))).toEqual([1000, 65535]);
    const img = fromSamples(new Uint16Array([0, 1, 65535]), 3, 1, 1, 16);
    expect(Array.from(quantize16(img.data))).toEqual([0, 1, 65535]);
  });
});

describe('ImageData', () => {
  it('opaque RGBA becomes RGB; grey and alpha are expanded back', () => {
    const d = { width: 1, height: 2, data: new Uint8ClampedArray([255, 0, 51, 255, 0, 255, 0, 255]) };
    const img = fromImageData(d);
    expect(img.channels).toBe(3);
    expect(img.data[2]).toBeCloseTo(0.2);
    expect(toImageData(img).data).toEqual(d.data);
    const ga = createImage(1, 1, 2, new Float32Array([0.2, 0.6]));
    expect(Array.from(toImageData(ga).data)).toEqual([51, 51, 51, 153]);
    expect(fromImageData(toImageData(ga)).channels).toBe(4);
  });
});
