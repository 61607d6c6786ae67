/**
 * The measures of the flow models, with the rescaling and SR papers' protocol (../shared/data/README.md):
 * HR modcropped to the scale, the bicubic LR MATLAB-like (antialiased) and 8-bit, Y-PSNR with a border
 * of `scale` pixels. Rescaling: down→up at τ = 0 against bicubic down→bicubic up. SR: the τ = 0 sample
 * of the bicubic LR against bicubic upscaling, its LR-consistency (the sample, bicubic-downscaled,
 * against the input) and the per-pixel diversity of samples at τ > 0.
 */
import { cropImage, type Image } from '../image/image.js';
import { psnr, ssim } from '../image/metrics.js';
import { resampleAntialiased } from '../image/resample.js';
import type { Engine } from '../runtime/engine.js';
import { modelMultiple } from './config.js';
import { type LoadedFlow, rescaleDown, rescaleUp, sampleSuperResolution } from './inference.js';

/** A top-left crop to a multiple of `scale` (the SR protocols' modcrop). */
export function modcrop(img: Image, scale: number): Image {
  const w = img.width - (img.width % scale);
  const h = img.height - (img.height % scale);
  return w === img.width && h === img.height ? img : cropImage(img, 0, 0, w, h);
}

/** Rounded to 8 bits, as a file holds it. */
export function quantized(img: Image): Image {
  return { ...img, data: img.data.map((v) => Math.round(Math.min(1, Math.max(0, v)) * 255) / 255) };
}

/** The bicubic (antialiased, 8-bit) LR of a modcropped HR. */
export function bicubicDown(hr: Image, scale: number): Image {
  return quantized(resampleAntialiased(hr, hr.width / scale, hr.height / scale, 'bicubic'));
}

export function bicubicUp(lr: Image, scale: number): Image {
  return resampleAntialiased(lr, lr.width * scale, lr.height * scale, 'bicubic');
}

const yPsnr = (a: Image, b: Image, scale: number) => psnr(a, b, { channel: 'y', border: scale });

export interface RescalingScore {
  /** Y-PSNR of the model's result at τ = 0 (rescaling: up(down(HR)); SR: the sample of the bicubic LR), in dB. */
  flow: number;
  /** Y-PSNR of the bicubic counterpart (bicubic up of bicubic down). */
  bicubic: number;
}

export async function scoreRescaling(engine: Engine, model: LoadedFlow, image: Image): Promise<RescalingScore> {
  const scale = modelMultiple(model.weights.manifest.model);
  const hr = modcrop(image, scale);
  const up = await rescaleUp(engine, model, await rescaleDown(engine, model, hr), { temperature: 0 });
  return { flow: yPsnr(up, hr, scale), bicubic: yPsnr(bicubicUp(bicubicDown(hr, scale), scale), hr, scale) };
}

/** Y-PSNR of the τ = 0 sample of the bicubic LR, and of bicubic upscaling (the cheap part of scoreSuperResolution). */
export async function srPsnr(engine: Engine, model: LoadedFlow, image: Image): Promise<RescalingScore> {
  const scale = modelMultiple(model.weights.manifest.model);
  const hr = modcrop(image, scale);
  const lr = bicubicDown(hr, scale);
  const [mean] = await sampleSuperResolution(engine, model, lr, { temperature: 0 });
  return { flow: yPsnr(mean, hr, scale), bicubic: yPsnr(bicubicUp(lr, scale), hr, scale) };
}

export interface SrScore {
  /** Y-PSNR and Y-SSIM of the τ = 0 sample of the bicubic LR. */
  flow: number;
  flowSsim: number;
  bicubic: number;
  bicubicSsim: number;
  /** PSNR (RGB) of the τ = 0 sample, bicubic-downscaled, against the LR it came from. */
  lrConsistency: number;
  /** Mean over pixels of the standard deviation across `diversity` samples, on the 0–255 scale; 0 when not asked. */
  diversity: number;
}

export interface SrScoreOptions {
  /** Samples drawn at `temperature` for the diversity (0: none). */
  samples?: number;
  temperature?: number;
}

export async function scoreSuperResolution(engine: Engine, model: LoadedFlow, image: Image, o: SrScoreOptions = {}): Promise<SrScore> {
  const scale = modelMultiple(model.weights.manifest.model);
  const hr = modcrop(image, scale);
  const lr = bicubicDown(hr, scale);
  const [mean] = await sampleSuperResolution(engine, model, lr, { temperature: 0 });
  const bicubic = bicubicUp(lr, scale);
  const ySsim = (a: Image) => ssim(a, hr, { channel: 'y', border: scale });
  const samples = o.samples ? await sampleSuperResolution(engine, model, lr, { temperature: o.temperature ?? 0.9, count: o.samples }) : [];
  return {
    flow: yPsnr(mean, hr, scale),
    flowSsim: ySsim(mean),
    bicubic: yPsnr(bicubic, hr, scale),
    bicubicSsim: ySsim(bicubic),
    lrConsistency: psnr(resampleAntialiased(quantized(mean), lr.width, lr.height, 'bicubic'), lr),
    diversity: samples.length > 1 ? pixelDiversity(samples) : 0,
  };
}

/** Mean per-value standard deviation across images of one size, ×255. */
export function pixelDiversity(images: readonly Image[]): number {
  const n = images.length;
  const len = images[0].data.length;
  let total = 0;
  for (let i = 0; i < len; i++) {
    let s = 0;
    let s2 = 0;
    for (const im of images) {
      s += im.data[i];
      s2 += im.data[i] * im.data[i];
    }
    const m = s / n;
    total += Math.sqrt(Math.max(0, s2 / n - m * m));
  }
  return (255 * total) / len;
}
