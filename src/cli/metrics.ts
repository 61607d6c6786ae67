/**
 * `deep-prior metrics <a> <b>`: PSNR and SSIM with the papers' channel and border rules
 * (src/image/metrics.ts). SSIM needs 11×11 pixels after the border; below that it is reported as
 * n/a (null in JSON). Identical images have an infinite PSNR (null in JSON, with identical: true).
 */
import type { Command } from 'commander';
import { examples } from './command-options.js';
import { readImage } from '../image/io-node.js';
import { psnr, ssim } from '../image/metrics.js';
import { InputError } from '../util/errors.js';
import type { CliDeps } from './deps.js';
import { parseChoice, parseInteger } from './parse.js';
import { toJsonLine } from './progress.js';

export interface MetricsFlags {
  channel?: string;
  border?: string;
  json?: boolean;
}

export async function runMetrics(a: string, b: string, f: MetricsFlags, deps: CliDeps): Promise<number> {
  const channel = parseChoice('--channel', f.channel, ['rgb', 'y'] as const) ?? 'rgb';
  const border = parseInteger('--border', f.border, 0, 1_000_000) ?? 0;
  const [ia, ib] = await Promise.all([readImage(a), readImage(b)]);
  const x = ia.image;
  const y = ib.image;
  if (x.width !== y.width || x.height !== y.height) {
    throw new InputError(`${a} is ${x.width}×${x.height} but ${b} is ${y.width}×${y.height}: metrics compares images of the same size`, {
      code: 'SIZE_MISMATCH',
    });
  }
  if (x.channels <= 2 !== y.channels <= 2) {
    const kind = (c: number) => (c <= 2 ? 'grey' : 'colour');
    throw new InputError(`${a} is a ${kind(x.channels)} image but ${b} is ${kind(y.channels)}: compare images of the same kind`, { code: 'SIZE_MISMATCH' });
  }
  if (2 * border >= Math.min(x.width, x.height)) {
    throw new InputError(`--border ${border} leaves nothing of a ${x.width}×${x.height} image: use a smaller border`, { code: 'BAD_OPTION' });
  }
  const p = psnr(x, y, { channel, border });
  let s: number | null = null;
  try {
    s = ssim(x, y, { channel, border });
  } catch (e) {
    if (!(e instanceof InputError && e.code === 'IMAGE_TOO_SMALL')) throw e;
  }
  if (f.json) {
    deps.stdout.write(toJsonLine({ psnr: p, ssim: s, identical: p === Infinity, channel, border, a, b }));
  } else {
    const pt = Number.isFinite(p) ? `${p.toFixed(2)} dB` : '∞ (identical)';
    const st = s === null ? 'n/a (needs 11×11 pixels)' : s.toFixed(4);
    deps.stdout.write(`PSNR ${pt}\nSSIM ${st}\n`);
  }
  return 0;
}

export function addMetricsCommand(program: Command, deps: CliDeps, setExitCode: (code: number) => void): void {
  program
    .command('metrics')
    .description('PSNR and SSIM between two images of the same size')
    .argument('<a>', 'an image (e.g. the restored one)')
    .argument('<b>', 'the image to compare with (e.g. the clean one)')
    .option('--channel <channel>', 'rgb (all colour channels) or y (BT.601 luma, as the super-resolution papers) (default: rgb)')
    .option('--border <n>', 'pixels ignored on each side (the super-resolution papers use the scale) (default: 0)')
    .option('--json', 'print the result as one JSON line')
    .option('--debug', 'print stack traces of errors')
    .addHelpText('after', examples(['deep-prior metrics restored.png clean.png', 'deep-prior metrics sr_x4.png hr.png --channel y --border 4 --json']))
    .action(async (a: string, b: string, flags: MetricsFlags) => setExitCode(await runMetrics(a, b, flags, deps)));
}
