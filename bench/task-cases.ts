/**
 * The task examples the stopping benchmarks fit: each a restore request built from ../shared/data and,
 * where one exists, the clean image it is scored against. Two disjoint sets: `bench` (the examples of
 * docs/RESULTS.md, on which the rules are measured) and `tune` (other images of the same tasks, on
 * which the rules' constants were chosen), so the measured figures are not fitted to their own images.
 * Crops are small so each fit of a fast-preset budget takes a few CPU-minutes.
 */
import {
  addSaltPepper,
  cropImage,
  dropPixels,
  jpegRoundTrip,
  maskFromImage,
  readImage,
  resampleAntialiased,
  resizeImage,
  Rng,
  type Image,
  type RestoreOptions,
} from '../src/node.js';

const D = '../shared/data';

export interface TaskCase {
  name: string;
  set: 'bench' | 'tune';
  /** What it is, for the table. */
  what: string;
  build: () => Promise<{ options: RestoreOptions; clean?: Image }>;
}

const read = async (path: string) => (await readImage(`${D}/${path}`)).image;

/** The w×h window at the image's centre (its corner rounded down to a multiple of `align`). */
function centre(img: Image, w: number, h: number, align = 1): Image {
  const x = Math.floor((img.width - w) / 2 / align) * align;
  const y = Math.floor((img.height - h) / 2 / align) * align;
  return cropImage(img, x, y, w, h);
}

async function scaled(img: Image, factor: number): Promise<Image> {
  return factor === 1 ? img : resizeImage(img, Math.round(img.width / factor), Math.round(img.height / factor), 'lanczos3');
}

/** An image with a mask (white = known), both scaled by 1/factor and cropped to w×h at the centre. */
async function masked(image: string, mask: string, factor: number, w: number, h: number): Promise<{ image: Image; mask: Image }> {
  const img = centre(await scaled(await read(image), factor), w, h);
  const m = centre(await scaled(await read(mask), factor), w, h);
  return { image: img, mask: maskFromImage(m, { threshold: 0.99 }) };
}

function inpaintCase(
  name: string,
  set: TaskCase['set'],
  what: string,
  image: string,
  mask: string,
  factor: number,
  w: number,
  h: number,
  truth: boolean,
): TaskCase {
  return {
    name,
    set,
    what,
    build: async () => {
      const { image: img, mask: m } = await masked(image, mask, factor, w, h);
      return { options: { task: 'inpaint', image: img, mask: m }, clean: truth ? img : undefined };
    },
  };
}

function reconstructCase(name: string, set: TaskCase['set'], what: string, image: string, size: number, seed: number): TaskCase {
  return {
    name,
    set,
    what,
    build: async () => {
      const clean = centre(await read(image), size, size);
      const { image: dropped, mask } = dropPixels(clean, 0.5, new Rng(seed));
      return { options: { task: 'reconstruct', image: dropped, mask }, clean };
    },
  };
}

function superResolveCase(name: string, set: TaskCase['set'], what: string, image: string, w: number, h: number): TaskCase {
  return {
    name,
    set,
    what,
    build: async () => {
      const clean = centre(await read(image), w, h, 4);
      const lr = resampleAntialiased(clean, w / 4, h / 4, 'lanczos3');
      return { options: { task: 'super-resolve', image: lr, scale: 4 }, clean };
    },
  };
}

function deblockCase(name: string, set: TaskCase['set'], image: string, size: number): TaskCase {
  return {
    name,
    set,
    what: `JPEG quality 10, ${image.split('/').pop()}`,
    build: async () => {
      // Cropped on the 8×8 block grid before encoding, as a JPEG of the crop itself.
      const clean = centre(await read(image), size, size, 8);
      return { options: { task: 'deblock', image: await jpegRoundTrip(clean, 10) }, clean };
    },
  };
}

function impulseCase(name: string, set: TaskCase['set'], image: string, size: number, seed: number): TaskCase {
  return {
    name,
    set,
    what: `salt-and-pepper p = 0.1, ${image.split('/').pop()}`,
    build: async () => {
      const clean = centre(await read(image), size, size);
      return { options: { task: 'impulse', image: addSaltPepper(clean, 0.1, new Rng(seed)) }, clean };
    },
  };
}

function flashCase(name: string, set: TaskCase['set'], what: string, x: number, y: number, size: number): TaskCase {
  return {
    name,
    set,
    what,
    build: async () => {
      const crop = async (f: string) => cropImage(await scaled(await read(`flash_no_flash/${f}`), 4), x, y, size, size);
      return { options: { task: 'flash', image: await crop('cave01_01_noflash.jpg'), guide: await crop('cave01_00_flash.jpg') } };
    },
  };
}

function enhanceCase(name: string, set: TaskCase['set'], what: string, x: number, y: number, size: number): TaskCase {
  return {
    name,
    set,
    what,
    build: async () => ({
      options: { task: 'enhance', image: cropImage(await scaled(await read('spectral_bias/enhancement/tulips.bmp'), 4), x, y, size, size) },
    }),
  };
}

export const TASK_CASES: TaskCase[] = [
  inpaintCase('kate', 'bench', 'text removal, kate (1/4 scale, 96² centre)', 'inpainting/kate.png', 'inpainting/kate_mask.png', 4, 96, 96, false),
  inpaintCase('vase', 'bench', 'large hole, vase (1/4 scale, 80²)', 'inpainting/vase.png', 'inpainting/vase_mask.png', 4, 80, 80, true),
  inpaintCase(
    'library',
    'bench',
    'large holes, library (1/4 scale, 128×96 centre)',
    'inpainting/library.png',
    'inpainting/library_mask.png',
    4,
    128,
    96,
    false,
  ),
  reconstructCase('barbara', 'bench', '50 % of the pixels, barbara 96² centre', 'restoration/barbara.png', 96, 7),
  superResolveCase('zebra', 'bench', '×4, zebra 128×96 HR centre (LR 32×24)', 'super_resolution/zebra_GT.png', 128, 96),
  flashCase('cave', 'bench', 'cave pair (1/4 scale, 96² crop)', 60, 40, 96),
  deblockCase('jpeg-barbara', 'bench', 'spectral_bias/deblocking_classic5/barbara.bmp', 96),
  deblockCase('jpeg-lena', 'bench', 'spectral_bias/deblocking_classic5/lena.bmp', 96),
  deblockCase('jpeg-peppers', 'bench', 'spectral_bias/deblocking_classic5/peppers.bmp', 96),
  impulseCase('f16-sp', 'bench', 'denoising/F16_GT.png', 96, 5),
  enhanceCase('tulips', 'bench', 'tulips (1/4 scale, 96² crop)', 100, 100, 96),
  // Tuning set: other images (or other crops) of the same tasks.
  inpaintCase(
    'monarch-text',
    'tune',
    "kate's text mask over Set14 monarch (1/4 scale, 96² centre)",
    'sr_benchmarks/Set14/monarch.png',
    'inpainting/kate_mask.png',
    4,
    96,
    96,
    true,
  ),
  reconstructCase('boat', 'tune', '50 % of the pixels, boat 96² centre', 'spectral_bias/inpainting_bernoulli/img/boat.png', 96, 8),
  superResolveCase('butterfly', 'tune', '×4, Set5 butterfly 128×96 HR centre', 'sr_benchmarks/Set5/butterfly.png', 128, 96),
  flashCase('cave-2', 'tune', 'cave pair (1/4 scale, other 96² crop)', 0, 0, 96),
  deblockCase('jpeg-boats', 'tune', 'spectral_bias/deblocking_classic5/boats.bmp', 96),
  impulseCase('lena-sp', 'tune', 'spectral_bias/denoising/image_Lena512rgb.png', 96, 6),
  enhanceCase('tulips-2', 'tune', 'tulips (1/4 scale, other 96² crop)', 0, 150, 96),
];
