/**
 * The image the cohort is fitted on (methods.md §2.4 step 3, the official "resized averaging"): for
 * tasks whose output is the input's size, a copy whose shorter side is 64 px (bicubic with
 * antialiasing, as PIL's default resize the official code calls; a mask is resized the same way and
 * thresholded at ½); for tasks that enlarge (super-resolution) the image itself, as the official
 * script fits its cohort at full size. An image already that small is used as it is.
 */
import { resampleAntialiased } from '../image/resample.js';
import type { Image } from '../image/image.js';
import type { RestoreOptions } from '../options/index.js';
import { taskDefinition } from '../tasks/index.js';

export const COHORT_SHORT_SIDE = 64;

/** The images of a request at the cohort copy's size (none when the cohort is fitted on the image itself). */
export interface CohortCopy {
  images: Partial<Pick<RestoreOptions, 'image' | 'mask' | 'guide' | 'reference'>>;
  width: number;
  height: number;
  /** False when the cohort is fitted on the image itself. */
  downscaled: boolean;
}

/** The size of the downscaled copy (the official code truncates), or null when none is made. */
export function cohortSize(o: RestoreOptions): { width: number; height: number } | null {
  const { width: w, height: h } = o.image;
  if ((taskDefinition(o.task).outputScale?.(o) ?? 1) !== 1 || Math.min(w, h) <= COHORT_SHORT_SIDE) return null;
  const k = COHORT_SHORT_SIDE / Math.min(w, h);
  return { width: Math.floor(w * k), height: Math.floor(h * k) };
}

/** Resizes an image (colour and alpha alike) to the cohort copy's size. */
export function toCohortSize(img: Image, size: { width: number; height: number }): Image {
  return resampleAntialiased(img, size.width, size.height, 'bicubic');
}

function thresholded(mask: Image): Image {
  return { ...mask, data: mask.data.map((v) => (v >= 0.5 ? 1 : 0)) };
}

/** For a resolved request (inpaint's mask derived, inverted masks inverted). */
export function cohortCopy(o: RestoreOptions): CohortCopy {
  const size = cohortSize(o);
  if (!size) return { images: {}, width: o.image.width, height: o.image.height, downscaled: false };
  const images: CohortCopy['images'] = { image: toCohortSize(o.image, size) };
  if (o.mask) images.mask = thresholded(toCohortSize(o.mask, size));
  if (o.guide) images.guide = toCohortSize(o.guide, size);
  if (o.reference) images.reference = toCohortSize(o.reference, size);
  return { images, ...size, downscaled: true };
}
