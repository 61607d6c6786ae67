/**
 * `deep-prior degrade`: make reproducible test inputs. The degradations are applied in one fixed
 * order, whatever the order of the flags:
 *   1. --downscale F   Lanczos-3 antialiased resize to floor(W/F) × floor(H/F)
 *   2. --noise SIGMA   additive Gaussian noise, σ on the 0–255 scale, clipped
 *   3. --salt-pepper P impulse noise: a fraction P of the pixels set to black or white
 *   4. --jpeg QUALITY  JPEG re-encoding at QUALITY (4:2:0 chroma, IJG tables)
 *   5. --drop FRACTION a fraction of the pixels set to 0 (mask: 1 = kept)
 *   6. --text STRING   text drawn over the image (mask: 0 under the text)
 * Each random step draws from its own stream split from --seed, so adding one degradation does
 * not change the damage another one makes. Alpha is never degraded; bit depth is kept.
 */
import type { Command } from 'commander';
import { examples } from './command-options.js';
import { addGaussianNoise, addSaltPepper, dropPixels } from '../image/degrade.js';
import { createImage, type Image } from '../image/image.js';
import { jpegRoundTrip, readImage, resizeImage } from '../image/io-node.js';
import { psnr } from '../image/metrics.js';
import { overlayText } from '../image/text-node.js';
import { InputError } from '../util/errors.js';
import { Rng } from '../util/random.js';
import type { CliDeps } from './deps.js';
import { checkOutputPath, writeOutputImage } from './files.js';
import { parseInteger, parseNumber } from './parse.js';
import { toJsonLine } from './progress.js';
import { describeImage } from './run-restore.js';

export interface DegradeFlags {
  output: string;
  noise?: string;
  saltPepper?: string;
  jpeg?: string;
  downscale?: string;
  drop?: string;
  text?: string;
  maskOut?: string;
  seed?: string;
  force?: boolean;
  quiet?: boolean;
  json?: boolean;
}

export interface DegradeSettings {
  downscale?: number;
  noise?: number;
  saltPepper?: number;
  jpeg?: number;
  drop?: number;
  text?: string;
  seed: number;
}

export function degradeSettings(f: DegradeFlags): DegradeSettings {
  const bad = (m: string) => new InputError(m, { code: 'BAD_OPTION' });
  const s: DegradeSettings = {
    downscale: parseNumber('--downscale', f.downscale),
    noise: parseNumber('--noise', f.noise),
    saltPepper: parseNumber('--salt-pepper', f.saltPepper),
    jpeg: parseInteger('--jpeg', f.jpeg, 1, 100),
    drop: parseNumber('--drop', f.drop),
    text: f.text,
    seed: parseInteger('--seed', f.seed, 0, 0xffff_ffff) ?? 0,
  };
  if (s.downscale !== undefined && !(s.downscale >= 1)) throw bad(`--downscale must be a factor ≥ 1 (e.g. 4), got ${f.downscale}`);
  if (s.noise !== undefined && !(s.noise >= 0 && s.noise <= 255)) throw bad(`--noise must be a sigma from 0 to 255 (e.g. 25), got ${f.noise}`);
  if (s.saltPepper !== undefined && !(s.saltPepper >= 0 && s.saltPepper <= 1))
    throw bad(`--salt-pepper must be a fraction from 0 to 1 (e.g. 0.1), got ${f.saltPepper}`);
  if (s.drop !== undefined && !(s.drop >= 0 && s.drop <= 1)) throw bad(`--drop must be a fraction from 0 to 1 (e.g. 0.5), got ${f.drop}`);
  if (s.text !== undefined && s.text.trim() === '') throw bad('--text is empty: give the words to draw');
  const any = [s.downscale, s.noise, s.saltPepper, s.jpeg, s.drop, s.text].some((v) => v !== undefined);
  if (!any) throw bad('nothing to do: give at least one of --noise, --salt-pepper, --jpeg, --downscale, --drop or --text');
  if (f.maskOut !== undefined && s.drop === undefined && s.text === undefined) throw bad('--mask-out needs --drop or --text (the damage it records)');
  return s;
}

/** Applies the degradations in the documented order. Returns the image and, with --drop/--text, the mask (1 = known). */
export async function applyDegradations(img: Image, s: DegradeSettings): Promise<{ image: Image; mask: Image | null; steps: string[] }> {
  const root = new Rng(s.seed);
  // One stream per random step, always split in the same order.
  const [noiseRng, spRng, dropRng, textRng] = [root.fork(), root.fork(), root.fork(), root.fork()];
  const steps: string[] = [];
  let image = img;
  let mask: Image | null = null;
  if (s.downscale !== undefined && s.downscale !== 1) {
    const w = Math.floor(image.width / s.downscale);
    const h = Math.floor(image.height / s.downscale);
    if (w < 1 || h < 1)
      throw new InputError(`--downscale ${s.downscale} leaves no pixels of a ${image.width}×${image.height} image: use a smaller factor`, {
        code: 'BAD_OPTION',
      });
    image = await resizeImage(image, w, h, 'lanczos3');
    steps.push(`downscale ×1/${s.downscale} → ${w}×${h}`);
  }
  if (s.noise !== undefined) {
    image = addGaussianNoise(image, s.noise, noiseRng);
    steps.push(`Gaussian noise σ=${s.noise}`);
  }
  if (s.saltPepper !== undefined) {
    image = addSaltPepper(image, s.saltPepper, spRng);
    steps.push(`salt-and-pepper ${s.saltPepper}`);
  }
  if (s.jpeg !== undefined) {
    image = await jpegRoundTrip(image, s.jpeg);
    steps.push(`JPEG quality ${s.jpeg}`);
  }
  if (s.drop !== undefined) {
    const r = dropPixels(image, s.drop, dropRng);
    image = r.image;
    mask = r.mask;
    steps.push(`dropped ${s.drop} of the pixels`);
  }
  if (s.text !== undefined) {
    const r = await overlayText(image, s.text.replace(/\\n/g, '\n'), { seed: textRng.nextU32() });
    image = r.image;
    mask = mask ? multiply(mask, r.mask) : r.mask;
    steps.push(`text "${s.text}"`);
  }
  return { image, mask, steps };
}

function multiply(a: Image, b: Image): Image {
  const out = createImage(a.width, a.height, 1);
  for (let i = 0; i < out.data.length; i++) out.data[i] = a.data[i] * b.data[i];
  return out;
}

export async function runDegrade(input: string, f: DegradeFlags, deps: CliDeps): Promise<number> {
  const s = degradeSettings(f);
  const force = !!f.force;
  await checkOutputPath(f.output, { flag: '-o', inputs: [input], force, kind: 'image' });
  if (f.maskOut !== undefined) {
    await checkOutputPath(f.maskOut, { flag: '--mask-out', inputs: [input, f.output], force, kind: 'image' });
  }
  const src = await readImage(input);
  const { image, mask, steps } = await applyDegradations(src.image, s);
  await writeOutputImage(f.output, image, { bitDepth: src.bitDepth });
  if (mask && f.maskOut !== undefined) await writeOutputImage(f.maskOut, mask);
  const p = image.width === src.image.width && image.height === src.image.height ? psnr(image, src.image) : undefined;
  if (f.json) {
    deps.stdout.write(
      toJsonLine({ type: 'done', output: f.output, maskOut: f.maskOut, steps, seed: s.seed, width: image.width, height: image.height, psnr: p }),
    );
  } else if (!f.quiet) {
    deps.stdout.write(`wrote ${f.output} (${describeImage(image, src.bitDepth)}): ${steps.join(', ')}; seed ${s.seed}\n`);
    if (p !== undefined) deps.stdout.write(`PSNR against the input: ${Number.isFinite(p) ? p.toFixed(2) : '∞'} dB\n`);
    if (mask && f.maskOut !== undefined) deps.stdout.write(`mask: ${f.maskOut} (white = known)\n`);
  }
  return 0;
}

export function addDegradeCommand(program: Command, deps: CliDeps, setExitCode: (code: number) => void): void {
  program
    .command('degrade')
    .description('make reproducible test inputs: applies, in this order, --downscale, --noise, --salt-pepper, --jpeg, --drop, --text')
    .argument('<input>', 'the clean image')
    .requiredOption('-o, --output <file>', 'where to write the degraded image')
    .option('--downscale <factor>', 'Lanczos antialiased downscale by this factor (size rounded down)')
    .option('--noise <sigma>', 'additive Gaussian noise, sigma on the 0–255 scale (e.g. 25)')
    .option('--salt-pepper <p>', 'impulse noise: this fraction of the pixels set to black or white')
    .option('--jpeg <quality>', 'JPEG re-encoding at this quality (1–100)')
    .option('--drop <fraction>', 'set this fraction of the pixels to 0 (see --mask-out)')
    .option('--text <string>', 'draw this text over the image (\\n separates lines; see --mask-out)')
    .option('--mask-out <file>', 'with --drop/--text: write the mask (white = known, black = damaged)')
    .option('--seed <s>', 'seed of every random choice (default: 0)')
    .option('--force', 'overwrite existing output files')
    .option('--quiet', 'print nothing but errors')
    .option('--json', 'print the result as one JSON line')
    .option('--debug', 'print stack traces of errors')
    .addHelpText(
      'after',
      examples([
        'deep-prior degrade F16.png -o F16-noisy.png --noise 25',
        'deep-prior degrade zebra.png -o zebra-lr.png --downscale 4',
        'deep-prior degrade kate.png -o kate-text.png --text "deep image prior" --mask-out kate-mask.png --seed 1',
        'deep-prior degrade barbara.png -o dropped.png --drop 0.5 --mask-out mask.png',
      ]),
    )
    .action(async (input: string, flags: DegradeFlags) => setExitCode(await runDegrade(input, flags, deps)));
}
