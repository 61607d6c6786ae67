/**
 * --max-size: a quick preview. The request's images are downscaled (antialiased) so the network's
 * output has at most `maxSize` pixels on its long side, the small copy is restored, and the result
 * is scaled back up to the size the full run would give. Detail finer than the downscaling factor
 * is lost, which the log line and the result's `preview` say.
 */
import { createImage, type Image } from '../image/image.js';
import { resampleAntialiased } from '../image/resample.js';
import { LIBRARY_NAMING, type Naming, type RestoreOptions, type RestoreResult } from '../options/index.js';
import { MIN_SIDE } from '../options/table.js';
import { taskDefinition } from '../tasks/index.js';
import { derivedRequest, type ValidRequest } from '../validate.js';

export interface Preview {
  /** What is fitted. */
  request: RestoreOptions;
  /** The fit's result at the full size (the identity without a preview). */
  finish(result: RestoreResult): RestoreResult;
}

/** The input size a --max-size of `maxSize` fits, and the factor it is downscaled by; null when the image is no larger. */
export function previewSize(o: RestoreOptions, maxSize: number): { width: number; height: number; factor: number } | null {
  const scale = taskDefinition(o.task).outputScale?.(o) ?? 1;
  const { width: W, height: H } = o.image;
  const long = Math.max(W, H) * scale;
  if (long <= maxSize) return null;
  const factor = long / maxSize;
  return { width: Math.max(MIN_SIDE, Math.round(W / factor)), height: Math.max(MIN_SIDE, Math.round(H / factor)), factor };
}

export function previewOf(o: RestoreOptions, naming: Naming, log?: (m: string) => void): Preview {
  const size = o.maxSize === undefined ? null : previewSize(o, o.maxSize);
  if (!size) return { request: o, finish: (r) => r };
  const scale = taskDefinition(o.task).outputScale?.(o) ?? 1;
  const { width: W, height: H } = o.image;
  const { width: w, height: h, factor } = size;
  const note = `${naming.name('maxSize')} ${o.maxSize}: fitted a ${w}×${h} copy of the ${W}×${H} input and scaled the result back up to ${W * scale}×${H * scale}; detail finer than about ${factor.toFixed(1)} pixels is lost`;
  log?.(note);
  const small: RestoreOptions = {
    ...o,
    image: resampleAntialiased(o.image, w, h),
    mask: o.mask && knownWhereAllKnown(resampleAntialiased(o.mask, w, h, 'bilinear')),
    guide: o.guide && resampleAntialiased(o.guide, w, h),
    reference: o.reference && resampleAntialiased(o.reference, w * scale, h * scale),
    maxSize: undefined,
  };
  const up = (img: Image) => resampleAntialiased(img, W * scale, H * scale, 'bicubic');
  return {
    request: small,
    finish: (r) => ({
      ...r,
      image: up(r.image),
      ...(r.oracle && { oracle: { ...r.oracle, image: up(r.oracle.image) } }),
      ...(r.watched && { watched: { ...r.watched, image: up(r.watched.image) } }),
      preview: { width: w, height: h, factor, note },
    }),
  };
}

/** A downscaled mask: a pixel is known only where everything it covers was (a hole never shrinks away). */
function knownWhereAllKnown(m: Image): Image {
  return createImage(
    m.width,
    m.height,
    1,
    Float32Array.from(m.data, (v) => (v >= 0.99 ? 1 : 0)),
  );
}

/**
 * The request an architecture search runs on: the --max-size copy where one applies (so a preview's
 * search costs a preview's time), else the request itself. The final fit of the choice is then the
 * original request with the chosen genotype, which fits the same copy.
 */
export function searchTarget(valid: ValidRequest): ValidRequest {
  const small = previewOf(valid, LIBRARY_NAMING).request;
  if (small === valid) return valid;
  return derivedRequest(valid, { image: small.image, mask: small.mask, guide: small.guide, reference: small.reference, maxSize: undefined });
}
