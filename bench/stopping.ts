/**
 * Stopping benchmark (spectral-bias issue): on the 9 denoising images of ../shared/data/spectral_bias
 * (σ = 25, same crops and noise for every method) compare
 *   vanilla    — DIP with the chosen preset, fixed budget: oracle best PSNR and PSNR at the final iteration;
 *   controlled — the same net with Lipschitz-controlled convs (λ) and Gaussian upsampling: best and final;
 *   auto       — vanilla with automatic stopping (--rule wmv|ratio): PSNR of the returned estimate,
 *                iterations used, and the gap to the vanilla oracle.
 *
 *   npm run bench:stopping                               # 4 images, 128² crops, ceiling 4000, paper preset
 *   npm run bench:stopping -- --images 9 --crop 0        # the full protocol (whole images cropped to /32)
 *   npm run bench:stopping -- --preset fast --images 2   # a quicker look
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { restore, readImage, addGaussianNoise, cropImage, centerCropTo, psnr, Rng, type Image, type RestoreOptions } from '../src/node.js';

const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '4' },
    crop: { type: 'string', default: '128' },
    ceiling: { type: 'string', default: '4000' },
    final: { type: 'string', default: '' },
    preset: { type: 'string', default: 'paper' },
    lambda: { type: 'string', default: '1.8' },
    rule: { type: 'string', default: 'wmv' },
    methods: { type: 'string', default: 'vanilla,controlled,auto' },
    dir: { type: 'string', default: '../shared/data/spectral_bias/denoising' },
    out: { type: 'string', default: 'bench/results/stopping.json' },
  },
});
const crop = Number(values.crop);
const ceiling = Number(values.ceiling);
const preset = values.preset as 'paper' | 'fast';
const finalVanilla = values.final ? Number(values.final) : preset === 'paper' ? 3000 : ceiling;
const methods = values.methods!.split(',');
const files = readdirSync(values.dir!).filter((f) => /\.(png|bmp|jpg)$/i.test(f)).sort().slice(0, Number(values.images));

interface Row {
  image: string;
  vanillaBest?: number;
  vanillaFinal?: number;
  controlledBest?: number;
  controlledFinal?: number;
  autoPsnr?: number;
  autoIterations?: number;
  autoReason?: string;
}

function bestOf(history: { psnr?: number; psnrSmoothed?: number }[], smoothed: boolean): number {
  return Math.max(...history.map((h) => (smoothed ? (h.psnrSmoothed ?? h.psnr!) : h.psnr!)));
}

const rows: Row[] = [];
for (const [k, file] of files.entries()) {
  const src = (await readImage(`${values.dir}/${file}`)).image;
  const clean: Image = crop > 0 ? cropImage(src, Math.floor((src.width - crop) / 2), Math.floor((src.height - crop) / 2), crop, crop) : centerCropTo(src, 32);
  const noisy = addGaussianNoise(clean, 25, new Rng(100 + k));
  const base: RestoreOptions = { task: 'denoise', image: noisy, reference: clean, preset, seed: k, backend: 'cpu' };
  const row: Row = { image: file };
  const log = (m: string) => process.stderr.write(`${file}: ${m}\n`);
  if (methods.includes('vanilla')) {
    const r = await restore({ ...base, stop: 'fixed', iterations: finalVanilla });
    row.vanillaBest = bestOf(r.history, true);
    row.vanillaFinal = psnr(r.image, clean);
    log(`vanilla best ${row.vanillaBest.toFixed(2)} final ${row.vanillaFinal.toFixed(2)} (${r.seconds.toFixed(0)} s)`);
  }
  if (methods.includes('controlled')) {
    const r = await restore({ ...base, stop: 'fixed', iterations: ceiling, lipschitz: Number(values.lambda), upsample: 'gaussian' });
    row.controlledBest = bestOf(r.history, true);
    row.controlledFinal = psnr(r.image, clean);
    log(`controlled best ${row.controlledBest.toFixed(2)} final ${row.controlledFinal.toFixed(2)} (${r.seconds.toFixed(0)} s)`);
  }
  if (methods.includes('auto')) {
    const r = await restore({ ...base, stop: 'auto', stopRule: values.rule as 'wmv', iterations: ceiling });
    row.autoPsnr = psnr(r.image, clean);
    row.autoIterations = r.iterations;
    row.autoReason = String(r.options.stopRule);
    log(`auto ${row.autoPsnr.toFixed(2)} after ${r.iterations} iterations (${r.stopReason})`);
  }
  rows.push(row);
}

const f = (x?: number) => (x === undefined ? '–' : x.toFixed(2));
const mean = (xs: (number | undefined)[]) => {
  const v = xs.filter((x): x is number => x !== undefined);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : undefined;
};
const lines = [
  `Stopping benchmark: ${files.length} images, ${crop > 0 ? `${crop}² centre crops` : 'whole images (/32)'}, σ = 25, preset ${preset}, ceiling ${ceiling}, vanilla final ${finalVanilla}, λ ${values.lambda} + Gaussian upsampling, auto rule ${values.rule}`,
  '',
  '| image | vanilla best | vanilla final | drop | controlled best | controlled final | drop | auto PSNR | auto iterations | auto − vanilla best |',
  '|---|---|---|---|---|---|---|---|---|---|',
];
for (const r of rows) {
  const vd = r.vanillaBest !== undefined && r.vanillaFinal !== undefined ? r.vanillaBest - r.vanillaFinal : undefined;
  const cd = r.controlledBest !== undefined && r.controlledFinal !== undefined ? r.controlledBest - r.controlledFinal : undefined;
  const gap = r.autoPsnr !== undefined && r.vanillaBest !== undefined ? r.autoPsnr - r.vanillaBest : undefined;
  lines.push(`| ${r.image} | ${f(r.vanillaBest)} | ${f(r.vanillaFinal)} | ${f(vd)} | ${f(r.controlledBest)} | ${f(r.controlledFinal)} | ${f(cd)} | ${f(r.autoPsnr)} | ${r.autoIterations ?? '–'} | ${f(gap)} |`);
}
lines.push(
  `| **mean** | ${f(mean(rows.map((r) => r.vanillaBest)))} | ${f(mean(rows.map((r) => r.vanillaFinal)))} | ${f(mean(rows.map((r) => (r.vanillaBest ?? NaN) - (r.vanillaFinal ?? NaN)).filter(Number.isFinite)))} | ${f(mean(rows.map((r) => r.controlledBest)))} | ${f(mean(rows.map((r) => r.controlledFinal)))} | ${f(mean(rows.map((r) => (r.controlledBest ?? NaN) - (r.controlledFinal ?? NaN)).filter(Number.isFinite)))} | ${f(mean(rows.map((r) => r.autoPsnr)))} | ${mean(rows.map((r) => r.autoIterations))?.toFixed(0) ?? '–'} | ${f(mean(rows.map((r) => (r.autoPsnr ?? NaN) - (r.vanillaBest ?? NaN)).filter(Number.isFinite)))} |`,
);
console.log(lines.join('\n'));
mkdirSync('bench/results', { recursive: true });
writeFileSync(values.out!, JSON.stringify({ options: values, rows }, null, 2));
