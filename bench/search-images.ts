/**
 * The images of bench/search.ts: the three ISNAS-DIP examples (F16 denoising σ = 25, Monarch
 * inpainting with 50 % of the pixels dropped, Woman super-resolution ×4) and denoising images of
 * the spectral-bias set (σ = 25; noise Rng(100 + k) and seed k for its k-th image, as bench/stopping.ts),
 * each a centre crop of the same size for every method.
 */
import { addGaussianNoise, cropImage, dropPixels, readImage, resampleAntialiased, Rng, type Image, type RestoreOptions } from '../src/node.js';

export interface BenchImage {
  name: string;
  /** The request without any network or search option, and the clean image the PSNR is taken against. */
  load: (crop: number) => Promise<{ request: RestoreOptions; clean: Image; channel: 'rgb' | 'y' }>;
}

const ISNAS = '../shared/data/isnas_dip';
const SPECTRAL = '../shared/data/spectral_bias/denoising';
const SPECTRAL_FILES = ['image_Baboon512rgb.png', 'image_F16_512rgb.png', 'image_House256rgb.png', 'image_Lena512rgb.png', 'image_Peppers512rgb.png'];

async function centreCrop(file: string, crop: number): Promise<Image> {
  const src = (await readImage(file)).image;
  if (crop <= 0) return src;
  return cropImage(src, Math.floor((src.width - crop) / 2), Math.floor((src.height - crop) / 2), crop, crop);
}

function spectral(k: number): BenchImage {
  const file = SPECTRAL_FILES[k];
  return {
    name: file.replace(/^image_|\d+rgb\.png$/g, '').toLowerCase(),
    load: async (crop) => {
      const clean = await centreCrop(`${SPECTRAL}/${file}`, crop);
      return { request: { task: 'denoise', image: addGaussianNoise(clean, 25, new Rng(100 + k)), seed: k }, clean, channel: 'rgb' };
    },
  };
}

export const BENCH_IMAGES: readonly BenchImage[] = [
  {
    name: 'isnas-f16-denoise',
    load: async (crop) => {
      const clean = await centreCrop(`${ISNAS}/denoising/f16_512_rgb.png`, crop);
      return { request: { task: 'denoise', image: addGaussianNoise(clean, 25, new Rng(1)), seed: 0 }, clean, channel: 'rgb' };
    },
  },
  {
    name: 'isnas-monar-inpaint',
    load: async (crop) => {
      const clean = await centreCrop(`${ISNAS}/inpainting/monar_256.png`, crop);
      const { image, mask } = dropPixels(clean, 0.5, new Rng(2));
      return { request: { task: 'inpaint', image, mask, seed: 0 }, clean, channel: 'rgb' };
    },
  },
  {
    name: 'isnas-woman-sr4',
    load: async (crop) => {
      // The crop is of the high-resolution image; the input is its antialiased Lanczos-3 ×4 reduction.
      const clean = await centreCrop(`${ISNAS}/sr/woman_rgb.png`, crop > 0 ? crop - (crop % 4) : 0);
      const lr = resampleAntialiased(clean, Math.floor(clean.width / 4), Math.floor(clean.height / 4), 'lanczos3');
      return { request: { task: 'super-resolve', image: lr, scale: 4, seed: 0 }, clean, channel: 'y' };
    },
  },
  ...[0, 2, 3, 4].map(spectral),
];
