/**
 * Regenerates the bundled demo images (committed under examples/):
 *   examples/demo-clean.png  a 128×128 crop of F16 (DIP's denoising image), the reference
 *   examples/demo-noisy.png  the same crop + Gaussian noise σ = 25 (0–255 scale), seed 0, clipped
 * Source: ../shared/data/denoising/F16_GT.png (or the path given as the first argument).
 *   npx tsx scripts/make-examples.ts [F16_GT.png]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addGaussianNoise, cropImage, psnr } from '../src/image/index.js';
import { readImage, writeImage } from '../src/image/io-node.js';
import { Rng } from '../src/util/random.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = process.argv[2] ?? path.resolve(root, '../shared/data/denoising/F16_GT.png');
/** Top-left corner of the crop in the 512×512 F16: the nose, cockpit and markings of the jet. */
const CROP = { x: 160, y: 160, size: 128 };
const SIGMA = 25;
const SEED = 0;

const { image } = await readImage(source);
const clean = cropImage(image, CROP.x, CROP.y, CROP.size, CROP.size);
const noisy = addGaussianNoise(clean, SIGMA, new Rng(SEED));
const dir = path.join(root, 'examples');
await writeImage(path.join(dir, 'demo-clean.png'), clean);
await writeImage(path.join(dir, 'demo-noisy.png'), noisy);
const { image: noisy8 } = await readImage(path.join(dir, 'demo-noisy.png'));
console.log(
  `wrote examples/demo-clean.png and examples/demo-noisy.png (${CROP.size}×${CROP.size}, σ=${SIGMA}, seed ${SEED}); PSNR ${psnr(noisy8, clean).toFixed(2)} dB`,
);
