/**
 * One tile's request: the parent request with every image cut to the tile (the reference on the
 * output side), nothing else changed, so each tile is fitted by the ordinary single-fit pipeline.
 * The parent was validated at the edge and a crop of a valid request is valid.
 */
import { cropImage, type Image } from '../image/image.js';
import type { RestoreOptions } from '../options/index.js';
import type { Rect } from './geometry.js';

export function tileRequest(o: RestoreOptions, r: Rect, scale: number): RestoreOptions {
  const crop = (img: Image, s = 1) => cropImage(img, r.x * s, r.y * s, r.width * s, r.height * s);
  return {
    ...o,
    image: crop(o.image),
    mask: o.mask && crop(o.mask),
    guide: o.guide && crop(o.guide),
    reference: o.reference && crop(o.reference, scale),
    // Already applied to the whole request: the mask is resolved, the budget planned.
    maskColor: undefined,
    maskTolerance: undefined,
    maxMemory: undefined,
    maxSize: undefined,
    tileSize: undefined,
  };
}
