/**
 * Images in and out of the HCFlow commands. The flows run on the whole image at once (no tiling
 * yet), so memory grows with the pixels: about FLOW_BYTES_PER_PIXEL bytes per HR pixel (measured,
 * docs/RESULTS.md), and larger images are refused before they are decoded.
 */
import { type ImageFile, readImage } from '../image/io-node.js';
import type { Image } from '../image/image.js';
import { InputError, oneLine } from '../util/errors.js';
import { writeOutputImage } from './files.js';
import type { ProgressReporter } from './progress.js';

/** The largest HR image (the big side of a rescale, a sample's output) the commands take. */
export const MAX_FLOW_HR_PIXELS = 16_000_000;
/**
 * Peak memory per HR pixel of the tiny models' inference graphs: peak RSS at a 2048² result was
 * 1.35 GB for `rescale up` ×2 and 1.54 GB for `sample`, about 300–350 bytes per pixel above a
 * 150 MB base (`/usr/bin/time -v`; bench/flow.ts prints the shipped models' figures).
 */
export const FLOW_BYTES_PER_PIXEL = 350;

const mp = (n: number) => `${(n / 1e6).toFixed(1)} megapixels`;

/** Reads an input whose HR side (the input itself, or `factor`² times it) stays within the bound. */
export async function readFlowInput(file: string, hrFactor: number): Promise<ImageFile> {
  const maxPixels = Math.floor(MAX_FLOW_HR_PIXELS / (hrFactor * hrFactor));
  try {
    return await readImage(file, { maxPixels });
  } catch (e) {
    if ((e as InputError).code !== 'IMAGE_TOO_LARGE') throw e;
    const gb = ((MAX_FLOW_HR_PIXELS * FLOW_BYTES_PER_PIXEL) / 1e9).toFixed(0);
    const what = hrFactor > 1 ? `a ×${hrFactor} result of at most ${mp(MAX_FLOW_HR_PIXELS)}` : `at most ${mp(MAX_FLOW_HR_PIXELS)}`;
    const size = oneLine(e).replace(/: downscale or crop it first$/, '');
    throw new InputError(`${size}: the flow models run on the whole image at once, ${what} (about ${gb} GB of memory); crop it first`, {
      code: 'IMAGE_TOO_LARGE',
      cause: e,
    });
  }
}

/** Writes a result with the source's metadata; what could not be kept is logged. */
export async function writeFlowOutput(file: string, image: Image, src: ImageFile, reporter: ProgressReporter): Promise<void> {
  const warnings = await writeOutputImage(file, image, { bitDepth: 8, metadata: src.metadata });
  for (const w of warnings) reporter.log(`warning: ${w}`);
}
