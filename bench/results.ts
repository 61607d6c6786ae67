/**
 * Regenerates the task examples of docs/RESULTS.md from ../shared/data: each task restores its paper
 * example (downscaled or cropped so a 2-core CPU finishes in minutes; `--full` uses the whole images),
 * writes a before | after (| ground truth) picture to docs/img/ and prints a markdown table.
 *
 *   npm run bench:results              # CPU-sized examples, fast preset
 *   npm run bench:results -- --full    # whole images (slow on a CPU)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sideBySide } from '../src/cli/demo.js';
import {
  restore,
  readImage,
  resizeImage,
  addGaussianNoise,
  addSaltPepper,
  cropImage,
  maskFromImage,
  psnr,
  resampleAntialiased,
  Rng,
  type Image,
  type RestoreOptions,
} from '../src/node.js';

const { values } = parseArgs({ options: { full: { type: 'boolean', default: false }, only: { type: 'string' }, iterations: { type: 'string' } } });
const D = '../shared/data';
const full = values.full;
mkdirSync('docs/img', { recursive: true });
mkdirSync('bench/results', { recursive: true });

async function scaled(img: Image, factor: number): Promise<Image> {
  return factor === 1 ? img : resizeImage(img, Math.round(img.width / factor), Math.round(img.height / factor), 'lanczos3');
}

async function montage(file: string, images: Image[], labels = ['input', 'deep-prior', 'ground truth']): Promise<void> {
  writeFileSync(file, await sideBySide(images.map((image, i) => ({ image, label: labels[i] }))));
}

interface Example {
  name: string;
  what: string;
  run: () => Promise<{
    before: Image;
    after: Image;
    truth?: Image;
    options: Omit<RestoreOptions, 'image'> & { image: Image };
    note?: string;
    labels?: string[];
  }>;
}

const iters = values.iterations ? Number(values.iterations) : undefined;

/** An inpainting example from ../shared/data/inpainting/<base>.png and <base>_mask.png (white = known). */
function inpaintExample(name: string, what: string, base: string, o: { groundTruth: boolean; arch?: 'skip-depth6'; iterations?: number }): Example {
  return {
    name,
    what,
    run: async () => {
      // CPU-sized by default: vase at 1/2 (160²), kate and library at 1/4 (128², 176×112).
      const f = full ? 1 : base === 'vase' ? 2 : 4;
      const img = await scaled((await readImage(`${D}/inpainting/${base}.png`)).image, f);
      const mask = maskFromImage(await scaled((await readImage(`${D}/inpainting/${base}_mask.png`)).image, f), { threshold: 0.99 });
      const options = { task: 'inpaint' as const, image: img, mask, arch: o.arch, iterations: iters ?? o.iterations ?? 2000 };
      const before = { ...img, data: img.data.map((v, i) => v * mask.data[Math.floor(i / img.channels)]) };
      return { before, after: (await restore(options)).image, truth: o.groundTruth ? img : undefined, options };
    },
  };
}
const examples: Example[] = [
  inpaintExample('kate-text', 'text removal (inpainting), kate.png + kate_mask.png', 'kate', { groundTruth: false }),
  inpaintExample('vase-hole', 'large hole (inpainting), vase.png + vase_mask.png', 'vase', { groundTruth: true }),
  inpaintExample('library-hole', 'large holes (inpainting, skip-depth6), library.png + library_mask.png', 'library', {
    groundTruth: false,
    arch: 'skip-depth6',
    iterations: 1500,
  }),
  {
    name: 'zebra-x4',
    what: 'super-resolution ×4, zebra_GT.png (LR by antialiased Lanczos), Y-PSNR vs bicubic',
    run: async () => {
      let hr = (await readImage(`${D}/super_resolution/zebra_GT.png`)).image;
      hr = full ? cropImage(hr, 4, 2, 576, 384) : cropImage(hr, 196, 130, 192, 128);
      const lr = resampleAntialiased(hr, hr.width / 4, hr.height / 4, 'lanczos3');
      const options = { task: 'super-resolve' as const, image: lr, scale: 4 as const, reference: hr, iterations: iters ?? 1500 };
      const after = (await restore(options)).image;
      const bicubic = resampleAntialiased(lr, hr.width, hr.height, 'bicubic');
      const y = (a: Image) => psnr(a, hr, { channel: 'y', border: 4 });
      return {
        before: bicubic,
        after,
        truth: hr,
        options,
        labels: ['bicubic', 'deep-prior', 'ground truth'],
        note: `Y-PSNR (border 4): bicubic ${y(bicubic).toFixed(2)} dB, deep-prior ${y(after).toFixed(2)} dB`,
      };
    },
  },
  {
    name: 'snail-jpeg',
    what: 'JPEG deblocking, snail.jpg (no ground truth)',
    run: async () => {
      const img = (await readImage(`${D}/jpeg_artifacts/snail.jpg`)).image;
      const options = { task: 'deblock' as const, image: img, iterations: iters ?? 1500 };
      return { before: img, after: (await restore(options)).image, options };
    },
  },
  {
    name: 'f16-salt-pepper',
    what: 'salt-and-pepper noise p = 0.1, F16 128² centre crop',
    run: async () => {
      const src = (await readImage(`${D}/denoising/F16_GT.png`)).image;
      const clean = cropImage(src, 192, 192, 128, 128);
      const noisy = addSaltPepper(clean, 0.1, new Rng(5));
      const options = { task: 'impulse' as const, image: noisy, reference: clean, iterations: iters ?? 1500 };
      return { before: noisy, after: (await restore(options)).image, truth: clean, options };
    },
  },
  {
    name: 'f16-gaussian',
    what: 'Gaussian noise σ = 25, F16 128² centre crop (fast preset, automatic stopping)',
    run: async () => {
      const src = (await readImage(`${D}/denoising/F16_GT.png`)).image;
      const clean = cropImage(src, 192, 192, 128, 128);
      const noisy = addGaussianNoise(clean, 25, new Rng(1));
      const options = { task: 'denoise' as const, image: noisy, reference: clean, iterations: iters ?? 3000 };
      return { before: noisy, after: (await restore(options)).image, truth: clean, options };
    },
  },
];

const rows = ['| example | task | size | iterations | PSNR before | PSNR after | seconds | picture |', '|---|---|---|---|---|---|---|---|'];
for (const ex of examples) {
  if (values.only && !values.only.split(',').includes(ex.name)) continue;
  const t0 = performance.now();
  process.stderr.write(`${ex.name}: ${ex.what}\n`);
  const r = await ex.run();
  const seconds = (performance.now() - t0) / 1000;
  const pic = `img/${ex.name}.png`;
  await montage(`docs/${pic}`, [r.before, r.after, ...(r.truth ? [r.truth] : [])], r.labels);
  const pb = r.truth && r.before.width === r.truth.width ? psnr(r.before, r.truth).toFixed(2) : '–';
  const pa = r.truth ? psnr(r.after, r.truth).toFixed(2) : '–';
  const line = `| ${ex.what} | ${r.options.task} | ${r.after.width}×${r.after.height} | ${r.options.iterations} | ${pb} | ${pa} | ${seconds.toFixed(0)} | ![${ex.name}](${pic}) |`;
  rows.push(line);
  console.error(line + (r.note ? `  ${r.note}` : ''));
  if (r.note) rows.push(`|  ↳ ${r.note} | | | | | | | |`);
}
console.log(rows.join('\n'));
writeFileSync('bench/results/examples.md', `${rows.join('\n')}\n`);
