/** Reads a request's image files and completes the validation with them (the validator's second phase). */
import { readImage, type ImageFile } from '../image/io-node.js';
import { maskFromImage } from '../image/masks.js';
import type { Image } from '../image/image.js';
import { validateImages, type ValidRequest } from '../validate.js';
import { CLI_NAMING } from './flags.js';
import type { CliRequest } from './request.js';

export interface LoadedInputs {
  source: ImageFile;
  request: ValidRequest;
}

export async function readInputs(r: CliRequest): Promise<LoadedInputs> {
  const source = await readImage(r.input);
  const images: Partial<Record<'image' | 'mask' | 'guide' | 'reference', Image>> = { image: source.image };
  // A mask file is binarised (luma, or alpha for a painted layer); --mask-invert is the library's.
  if (r.paths.mask !== undefined) images.mask = maskFromImage((await readImage(r.paths.mask)).image);
  if (r.paths.guide !== undefined) images.guide = (await readImage(r.paths.guide)).image;
  if (r.paths.reference !== undefined) images.reference = (await readImage(r.paths.reference)).image;
  return { source, request: validateImages(r.settings, images, CLI_NAMING) };
}
