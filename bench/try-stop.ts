/**
 * Where does a stopping rule stop on one denoising crop, and how far is the returned estimate from the
 * oracle best (reference PSNR)? Used for docs/RESULTS.md (fast vs paper preset, rule comparison).
 *   npx tsx bench/try-stop.ts <image> <crop> <ceiling> <wmv|ratio> <fast|paper>
 */
import { restore, readImage, addGaussianNoise, cropImage, psnr, Rng } from '../src/node.js';
const [file = '../shared/data/denoising/F16_GT.png', size = '128', iters = '3000', rule = 'wmv', preset = 'fast'] = process.argv.slice(2);
const src = (await readImage(file)).image;
const s = Number(size);
const clean = cropImage(src, Math.floor((src.width - s) / 2), Math.floor((src.height - s) / 2), s, s);
// Same noise as bench/fidelity.ts (seed 0 → Rng(1000)), so fast and paper presets see the same input.
const noisy = addGaussianNoise(clean, 25, new Rng(1000));
const r = await restore(
  { task: 'denoise', image: noisy, reference: clean, iterations: Number(iters), stop: 'auto', stopRule: rule as 'wmv', preset: preset as 'fast' },
  {
    onProgress: (p) => {
      if (p.iteration % 250 === 0) console.log(p.iteration, p.psnr?.toFixed(2), p.psnrSmoothed?.toFixed(2), p.iterationsPerSecond.toFixed(1));
    },
  },
);
const best = Math.max(...r.history.map((h) => h.psnrSmoothed ?? -1));
const bestIt = r.history.find((h) => h.psnrSmoothed === best)?.iteration;
console.log(
  JSON.stringify({
    rule,
    stopReason: r.stopReason,
    iterations: r.iterations,
    picked: r.bestIteration,
    psnrPicked: psnr(r.image, clean),
    oracle: best,
    oracleIteration: bestIt,
    stopRule: r.options.stopRule,
    seconds: r.seconds,
  }),
);
