import { restore, readImage, writeImage, addGaussianNoise, cropImage, psnr, Rng } from '../src/node.js';
const clean = cropImage((await readImage('/work/shared/data/denoising/F16_GT.png')).image, 192, 192, 128, 128);
const noisy = addGaussianNoise(clean, 25, new Rng(1));
console.log('noisy psnr', psnr(noisy, clean).toFixed(2));
const t0 = Date.now();
const r = await restore({ task: 'denoise', image: noisy, reference: clean, iterations: Number(process.argv[2] ?? 300), stop: 'fixed' }, {
  onProgress: (p) => { if (p.iteration % 50 === 0) console.log(p.iteration, p.loss.toFixed(5), p.psnr?.toFixed(2), p.psnrSmoothed?.toFixed(2), p.iterationsPerSecond.toFixed(1)); },
  log: console.log,
});
console.log('final psnr', psnr(r.image, clean).toFixed(2), r.stopReason, r.iterations, ((Date.now()-t0)/1000).toFixed(1)+'s', r.options);
await writeImage('/work/main/out/try.png', r.image);
