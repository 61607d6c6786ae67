/**
 * Where the tiles of a tiled fit lie: a grid of overlapping rectangles that covers the image, each
 * inside it, spread evenly so every overlap is at least the one asked for. Coordinates are those of
 * the image the network fits from (super-resolution: the low-resolution input).
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Tile extends Rect {
  index: number;
  column: number;
  row: number;
}

export interface TileLayout {
  /** The image the tiles cover. */
  width: number;
  height: number;
  /** Size of every tile (the last ones of a row or column are shifted inward, never cut). */
  tileWidth: number;
  tileHeight: number;
  /** The least overlap between neighbouring tiles. */
  overlap: number;
  /** Tile starts along x and along y; tiles are row-major over these. */
  xs: number[];
  ys: number[];
  tiles: Tile[];
}

/**
 * Starts of tiles of `tile` pixels covering `length`, neighbours overlapping by at least `overlap`:
 * the fewest tiles that manage it, spread evenly, the last one ending at the edge.
 */
export function axisStarts(length: number, tile: number, overlap: number): number[] {
  if (tile >= length) return [0];
  if (overlap >= tile) throw new RangeError(`overlap ${overlap} must be smaller than the tile (${tile})`);
  const count = Math.ceil((length - overlap) / (tile - overlap));
  const last = length - tile;
  return Array.from({ length: count }, (_, k) => Math.round((k * last) / (count - 1)));
}

export function tileLayout(width: number, height: number, tileWidth: number, tileHeight: number, overlap: number): TileLayout {
  const tw = Math.min(tileWidth, width);
  const th = Math.min(tileHeight, height);
  const xs = axisStarts(width, tw, overlap);
  const ys = axisStarts(height, th, overlap);
  const tiles: Tile[] = [];
  ys.forEach((y, row) => {
    xs.forEach((x, column) => {
      tiles.push({ index: tiles.length, column, row, x, y, width: tw, height: th });
    });
  });
  return { width, height, tileWidth: tw, tileHeight: th, overlap, xs, ys, tiles };
}

/** One tile covering the whole image (the untiled case, in the same terms). */
export function wholeLayout(width: number, height: number): TileLayout {
  return tileLayout(width, height, width, height, 0);
}

/** The layout in the coordinates of an output `scale` times larger (super-resolution's high-resolution side). */
export function scaledLayout(l: TileLayout, scale: number): TileLayout {
  if (scale === 1) return l;
  const s = (n: number) => n * scale;
  return {
    width: s(l.width),
    height: s(l.height),
    tileWidth: s(l.tileWidth),
    tileHeight: s(l.tileHeight),
    overlap: s(l.overlap),
    xs: l.xs.map(s),
    ys: l.ys.map(s),
    tiles: l.tiles.map((t) => ({ ...t, x: s(t.x), y: s(t.y), width: s(t.width), height: s(t.height) })),
  };
}

/** Whether `inner` lies inside `outer`. */
export function contains(outer: Rect, inner: Rect): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}
