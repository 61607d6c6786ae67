/**
 * Puts the tiles' outputs together: each grid tile adds its output times its blending window
 * (blend.ts: a partition of unity, so no normalisation is needed), and the pixels of an inpainting
 * hole take the output of the one tile that owns the hole. Whatever weight no finished tile has
 * covered yet (an interrupted run) is filled from a base image, the input as it came.
 */
import { createImage, type Image } from '../image/image.js';
import { layoutWindows, type LayoutWindows } from './blend.js';
import type { Rect, TileLayout } from './geometry.js';

export interface StitchOwners {
  /** Per output pixel: the tile that alone fills it, or −1 (blended). */
  pixels: Int32Array;
  /** Rectangles of the extra tiles (after the grid's), in output coordinates. */
  extra: readonly Rect[];
}

export class Stitcher {
  private readonly sum: Float32Array;
  private readonly cover: Float32Array;
  private readonly windows: LayoutWindows;

  constructor(
    /** The grid in output coordinates. */
    readonly layout: TileLayout,
    readonly channels: number,
    private readonly owners: StitchOwners | null = null,
  ) {
    this.sum = new Float32Array(layout.width * layout.height * channels);
    this.cover = new Float32Array(layout.width * layout.height);
    this.windows = layoutWindows(layout);
  }

  /** The output rectangle of tile `index` (grid first, then extra tiles). */
  rect(index: number): Rect {
    const grid = this.layout.tiles;
    return index < grid.length ? grid[index] : this.owners!.extra[index - grid.length];
  }

  /** Adds tile `index`'s output (its rectangle's size, `channels` channels). */
  add(index: number, out: Image): void {
    const r = this.rect(index);
    const grid = index < this.layout.tiles.length;
    const tile = this.layout.tiles[index];
    const c = this.channels;
    const W = this.layout.width;
    for (let j = 0; j < r.height; j++) {
      const wy = grid ? this.windows.rows[tile.row][j] : 0;
      for (let i = 0; i < r.width; i++) {
        const p = (r.y + j) * W + r.x + i;
        const owner = this.owners ? this.owners.pixels[p] : -1;
        const w = owner >= 0 ? (owner === index ? 1 : 0) : grid ? wy * this.windows.columns[tile.column][i] : 0;
        if (w === 0) continue;
        const q = (j * r.width + i) * c;
        for (let k = 0; k < c; k++) this.sum[p * c + k] += w * out.data[q + k];
        this.cover[p] += w;
      }
    }
  }

  /** The stitched image; pixels not yet fully covered (an interrupted run) take the rest of their weight from `base`. */
  result(base: Image | null): Image {
    const out = createImage(this.layout.width, this.layout.height, this.channels, this.sum.slice());
    if (!base) return out;
    const c = this.channels;
    for (let p = 0; p < this.cover.length; p++) {
      const rest = Math.max(0, 1 - this.cover[p]);
      if (rest > 0) for (let k = 0; k < c; k++) out.data[p * c + k] += rest * base.data[p * c + k];
    }
    return out;
  }

  /** The image as it would be with tile `index`'s current estimate added (snapshots of a tiled run). */
  preview(index: number, out: Image, base: Image): Image {
    const copy = new Stitcher(this.layout, this.channels, this.owners);
    copy.sum.set(this.sum);
    copy.cover.set(this.cover);
    copy.add(index, out);
    return copy.result(base);
  }
}
