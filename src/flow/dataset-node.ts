/** A folder of training images for the flows (Node: files through sharp). */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readImage } from '../image/io-node.js';
import { InputError } from '../util/errors.js';
import { prepareTrainingImage, type TrainingImage } from './patches.js';

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.tif', '.tiff', '.bmp']);

/** The image files of `dir`, sorted by name (so a seed picks the same patches on every machine). */
export async function listImageFiles(dir: string, flag = '--data'): Promise<string[]> {
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'not a folder' : 'cannot be read';
    throw new InputError(`${flag} ${dir}: ${why}; give a folder of images`, { code: 'BAD_DATA', cause: e });
  }
  const files = entries.filter((f) => IMAGE_EXTENSIONS.has(path.extname(f).toLowerCase())).sort();
  if (!files.length) throw new InputError(`${flag} ${dir}: no PNG, JPEG, WebP, TIFF or BMP images in the folder`, { code: 'BAD_DATA' });
  return files.map((f) => path.join(dir, f));
}

/** Reads the images and makes their bicubic LR at `scale`. */
export async function loadTrainingImages(files: string[], scale: number): Promise<TrainingImage[]> {
  const out: TrainingImage[] = [];
  for (const file of files) out.push(prepareTrainingImage((await readImage(file)).image, scale, file));
  return out;
}
