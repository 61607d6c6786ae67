import { describe, expect, it } from 'vitest';
import { createImage, cropImage } from '../src/image/image.js';
import { largestFittingSide, largestTile } from '../src/plan/tile-size.js';
import { axisWindows, layoutWindows, ramp, tileWeight } from '../src/tile/blend.js';
import { axisStarts, contains, scaledLayout, tileLayout } from '../src/tile/geometry.js';
import { assignHoles, findHoles, holeContext, withContext } from '../src/tile/holes.js';
import { Stitcher } from '../src/tile/stitch.js';
import { Rng } from '../src/util/random.js';

const CASES: [number, number, number][] = [
  [100, 100, 10],
  [101, 100, 10],
  [1000, 256, 32],
  [1000, 300, 150],
  [201, 100, 50],
  [777, 64, 8],
  [3000, 768, 96],
];

describe('tile grid', () => {
  it.each(CASES)('length %i, tile %i, overlap %i: covered edge to edge, each overlap at least the one asked for', (length, tile, overlap) => {
    const xs = axisStarts(length, tile, overlap);
    expect(xs[0]).toBe(0);
    expect(xs[xs.length - 1] + Math.min(tile, length)).toBe(length);
    for (let k = 1; k < xs.length; k++) {
      expect(xs[k]).toBeGreaterThan(xs[k - 1]);
      expect(xs[k - 1] + tile - xs[k]).toBeGreaterThanOrEqual(overlap);
    }
    // The fewest tiles: one fewer could not cover the length with that overlap.
    expect((xs.length - 1) * (tile - overlap) + overlap).toBeLessThan(length + (length > tile ? 0 : 1));
  });

  it('a 2-D layout covers every pixel, every tile lies inside the image and has the same size', () => {
    const l = tileLayout(300, 170, 96, 64, 16);
    const cover = new Uint8Array(300 * 170);
    for (const t of l.tiles) {
      expect(contains({ x: 0, y: 0, width: 300, height: 170 }, t)).toBe(true);
      expect([t.width, t.height]).toEqual([96, 64]);
      for (let y = t.y; y < t.y + t.height; y++) for (let x = t.x; x < t.x + t.width; x++) cover[y * 300 + x]++;
    }
    expect(cover.every((c) => c >= 1)).toBe(true);
    expect(l.tiles.length).toBe(l.xs.length * l.ys.length);
  });

  it('an image smaller than the tile is one tile of its own size', () => {
    const l = tileLayout(50, 40, 96, 96, 16);
    expect(l.tiles).toEqual([{ index: 0, column: 0, row: 0, x: 0, y: 0, width: 50, height: 40 }]);
  });

  it('scales to the output side (super-resolution: tiles are chosen on the low-resolution side)', () => {
    const lr = tileLayout(200, 150, 64, 64, 8);
    const hr = scaledLayout(lr, 4);
    expect([hr.width, hr.height, hr.tileWidth, hr.overlap]).toEqual([800, 600, 256, 32]);
    hr.tiles.forEach((t, k) => expect([t.x, t.y, t.width]).toEqual([lr.tiles[k].x * 4, lr.tiles[k].y * 4, 256]));
  });
});

describe('tile size from a memory budget', () => {
  // A stand-in memory model: bytes grow with the tile's area.
  const model = (budget: number) => (w: number, h: number) => 1000 + 10 * w * h <= budget;

  it('is the largest square on the step that fits; one step more does not', () => {
    const fits = model(1000 + 10 * 200 * 200);
    const t = largestTile({ width: 1000, height: 800, step: 32, minSide: 96, fits })!;
    expect(t).toEqual({ width: 192, height: 192 });
    expect(fits(t.width + 32, t.height + 32)).toBe(false);
  });

  it('grows along the long side of a strip the square would overhang', () => {
    const fits = model(1000 + 10 * 100 * 500);
    const t = largestTile({ width: 2000, height: 100, step: 32, minSide: 96, fits })!;
    expect(t.height).toBe(100);
    expect(fits(t.width, t.height)).toBe(true);
    expect(fits(t.width + 32, t.height)).toBe(false);
  });

  it('is null when not even the smallest tile fits, and says what would', () => {
    const fits = model(1000 + 10 * 64 * 64);
    expect(largestTile({ width: 1000, height: 800, step: 32, minSide: 96, fits })).toBeNull();
    expect(largestFittingSide(32, 96, (s) => fits(s, s))).toBe(64);
    expect(largestFittingSide(32, 96, () => false)).toBe(0);
  });
});

describe('blending windows', () => {
  it('the ramp is smooth: 0 → 1 with zero slope at both ends, and ramps of one overlap add up to 1', () => {
    expect([ramp(0), ramp(1), ramp(-1), ramp(2)]).toEqual([0, 1, 0, 1]);
    const h = 1e-4;
    expect((ramp(h) - ramp(0)) / h).toBeLessThan(1e-3);
    expect((ramp(1) - ramp(1 - h)) / h).toBeLessThan(1e-3);
    for (let t = 0; t <= 1; t += 0.05) expect(ramp(t) + ramp(1 - t)).toBeCloseTo(1, 12);
  });

  it.each(CASES)('length %i, tile %i, overlap %i: a partition of unity, in [0, 1], without jumps', (length, tile, overlap) => {
    const xs = axisStarts(length, tile, overlap);
    const size = Math.min(tile, length);
    const w = axisWindows(length, xs, size);
    const sum = new Float64Array(length);
    let minOverlap = Number.POSITIVE_INFINITY;
    for (let k = 1; k < xs.length; k++) minOverlap = Math.min(minOverlap, xs[k - 1] + size - xs[k]);
    xs.forEach((s, k) => {
      for (let i = 0; i < size; i++) {
        expect(w[k][i]).toBeGreaterThanOrEqual(0);
        expect(w[k][i]).toBeLessThanOrEqual(1 + 1e-6);
        sum[s + i] += w[k][i];
        // Smooth: no step larger than a raised cosine's steepest over the smallest overlap (×2 where three tiles meet).
        if (i > 0) expect(Math.abs(w[k][i] - w[k][i - 1])).toBeLessThanOrEqual((2 * Math.PI) / (2 * minOverlap) + 1e-6);
      }
      // Zero at the tile's inner edges, so a tile's border pixels (the worst of a fit) barely count.
      if (k > 0) expect(w[k][0]).toBeLessThan(0.05);
      if (k < xs.length - 1) expect(w[k][size - 1]).toBeLessThan(0.05);
    });
    for (const v of sum) expect(v).toBeCloseTo(1, 5);
  });

  it('2-D windows are products that sum to 1 at every pixel', () => {
    const l = tileLayout(230, 150, 96, 80, 24);
    const win = layoutWindows(l);
    const sum = new Float64Array(230 * 150);
    for (const t of l.tiles) {
      for (let j = 0; j < t.height; j++) for (let i = 0; i < t.width; i++) sum[(t.y + j) * 230 + t.x + i] += tileWeight(l, win, t.index, i, j);
    }
    for (const v of sum) expect(v).toBeCloseTo(1, 5);
  });
});

function randomImage(w: number, h: number, c: number, seed: number) {
  const img = createImage(w, h, c);
  new Rng(seed).fillUniform(img.data);
  return img;
}

describe('stitching', () => {
  it('tiles cut from one image stitch back to that image exactly', () => {
    const img = randomImage(230, 150, 3, 1);
    const l = tileLayout(230, 150, 96, 80, 24);
    const s = new Stitcher(l, 3);
    for (const t of l.tiles) s.add(t.index, cropImage(img, t.x, t.y, t.width, t.height));
    const out = s.result(null);
    for (let i = 0; i < img.data.length; i++) expect(out.data[i]).toBeCloseTo(img.data[i], 5);
  });

  it('an interrupted run shows the base image where tiles are missing, blended where they meet', () => {
    const l = tileLayout(200, 100, 120, 100, 40);
    const s = new Stitcher(l, 1);
    const one = createImage(120, 100, 1);
    one.data.fill(1);
    s.add(0, one);
    const base = createImage(200, 100, 1); // zeros
    const out = s.result(base);
    expect(out.data[10]).toBeCloseTo(1, 6); // only tile 0
    expect(out.data[190]).toBe(0); // only the missing tile 1
    const mid = out.data[100]; // in the overlap: tile 0's weight
    expect(mid).toBeGreaterThan(0);
    expect(mid).toBeLessThan(1);
  });
});

describe('inpainting holes', () => {
  function maskWith(w: number, h: number, holes: [number, number, number, number][]) {
    const m = createImage(w, h, 1);
    m.data.fill(1);
    for (const [x, y, hw, hh] of holes) for (let j = y; j < y + hh; j++) for (let i = x; i < x + hw; i++) m.data[j * w + i] = 0;
    return m;
  }

  it('finds 4-connected holes and their bounding boxes', () => {
    const m = maskWith(50, 40, [
      [2, 3, 4, 5],
      [20, 20, 10, 2],
      [29, 22, 1, 6],
    ]);
    m.data[0] = 0; // a one-pixel hole in the corner
    const { holes, labels } = findHoles(m);
    const boxes = holes.map((h) => [h.x, h.y, h.width, h.height]);
    expect(boxes).toEqual([
      [0, 0, 1, 1],
      [2, 3, 4, 5],
      [20, 20, 10, 8],
    ]);
    expect(labels[3 * 50 + 2]).toBe(1);
    expect(labels[27 * 50 + 29]).toBe(2);
    expect(labels[10 * 50 + 10]).toBe(-1);
  });

  it('gives each hole to a tile that holds it with context, adds a tile where none does, reports the too large', () => {
    const W = 400;
    const H = 200;
    const l = tileLayout(W, H, 160, 160, 32);
    const m = maskWith(W, H, [
      [20, 20, 10, 10], // deep inside the first tile
      [iBetween(l), 90, 30, 30], // across a seam between tiles: no grid tile holds it with its context
      [230, 20, 150, 150], // larger than any tile with context
    ]);
    const { holes } = findHoles(m);
    const a = assignHoles(l, holes);
    const rects = [...l.tiles, ...a.extra];
    for (const h of holes) {
      const o = a.owner[h.label];
      if (o >= 0) expect(contains(rects[o], withContext(h, W, H))).toBe(true);
    }
    const at = (x: number, y: number) => holes.find((h) => h.x === x && h.y === y)!.label;
    expect(a.owner[at(20, 20)]).toBe(0);
    expect(a.owner[at(iBetween(l), 90)]).toBeGreaterThanOrEqual(l.tiles.length);
    expect(a.extra).toHaveLength(1);
    expect(a.extra[0]).toMatchObject({ width: 160, height: 160 });
    expect(a.tooLarge.map((h) => h.label)).toEqual([at(230, 20)]);
    expect(a.owner[at(230, 20)]).toBe(-1);
    expect(holeContext({ x: 0, y: 0, width: 10, height: 4 })).toBe(16);
    expect(holeContext({ x: 0, y: 0, width: 100, height: 4 })).toBe(50);
  });

  it('an owned hole takes its owner tile only, the rest is blended', () => {
    const l = tileLayout(200, 100, 120, 100, 40);
    const pixels = new Int32Array(200 * 100).fill(-1);
    pixels[50 * 200 + 100] = 1; // a hole pixel in the overlap, owned by tile 1
    const s = new Stitcher(l, 1, { pixels, extra: [] });
    const ones = createImage(120, 100, 1);
    ones.data.fill(1);
    s.add(0, ones);
    s.add(1, createImage(120, 100, 1)); // zeros
    const out = s.result(null);
    expect(out.data[50 * 200 + 100]).toBe(0);
    expect(out.data[50 * 200 + 99]).toBeGreaterThan(0);
  });
});

/** An x where a hole of 30 px straddles the first seam of layout `l`. */
function iBetween(l: { xs: number[]; tileWidth: number }): number {
  return l.xs[1] + Math.round((l.xs[0] + l.tileWidth - l.xs[1]) / 2) - 15;
}
