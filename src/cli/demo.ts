/**
 * `deep-prior demo`: denoises the bundled example (examples/demo-noisy.png, a 128×128 crop of
 * F16 with σ = 25 noise; examples/demo-clean.png is its clean reference) with the fast preset and
 * writes restored.png, before-after.png (noisy | restored | clean) and report.json into out/demo/.
 * The iteration ceiling keeps it to about two minutes on a 2-core CPU.
 */
import type { Command } from 'commander';
import { examples } from './command-options.js';
import { RESTORE_OPTIONS } from '../options/index.js';
import { addOptions } from './flags.js';
import { CLI_OPTIONS } from './cli-options.js';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Image } from '../image/image.js';
import { encodeImage, readImage } from '../image/io-node.js';
import { psnr } from '../image/metrics.js';
import { InputError } from '../util/errors.js';
import type { CliDeps } from './deps.js';
import { fileExists, writeOutputFile } from './files.js';
import { toJsonLine } from './progress.js';
import type { Report } from './report.js';
import { runRestoreCommand } from './run-restore.js';

/**
 * The ceiling of the demo's automatic stop. The fast skip net at 128² runs at ~10 it/s on an idle
 * 2-core CPU (~5 it/s when the cores are shared); the discrepancy rule stopped at 550 iterations on a
 * fresh clone (31.1 dB, 20.3 dB before; 800 fixed iterations give 31.7 dB).
 */
export const DEMO_ITERATIONS = 800;

export interface DemoFlags {
  iterations?: string;
  outDir?: string;
  backend?: string;
  threads?: string;
  quiet?: boolean;
  json?: boolean;
}

export async function runDemo(f: DemoFlags, deps: CliDeps): Promise<number> {
  const noisyPath = path.join(deps.examplesDir, 'demo-noisy.png');
  const cleanPath = path.join(deps.examplesDir, 'demo-clean.png');
  for (const p of [noisyPath, cleanPath]) {
    if (!(await fileExists(p)))
      throw new InputError(`the demo image ${p} is missing: reinstall deep-prior, or run npx tsx scripts/make-examples.ts`, { code: 'FILE_NOT_FOUND' });
  }
  const dir = f.outDir ?? path.join('out', 'demo');
  const restoredPath = path.join(dir, 'restored.png');
  const reportPath = path.join(dir, 'report.json');
  const code = await runRestoreCommand(
    'denoise',
    noisyPath,
    {
      output: restoredPath,
      reference: cleanPath,
      report: reportPath,
      preset: 'fast',
      iterations: f.iterations ?? String(DEMO_ITERATIONS),
      backend: f.backend,
      threads: f.threads,
      force: true, // the demo's own folder: each run replaces the last
      quiet: f.quiet,
      json: f.json,
    },
    deps,
  );
  const [noisy, clean, restored] = await Promise.all([noisyPath, cleanPath, restoredPath].map(async (p) => (await readImage(p)).image));
  const before = psnr(noisy, clean);
  // The run's own figure (of the float result, as the papers measure), so both lines agree.
  const report = JSON.parse(await fs.readFile(reportPath, 'utf8')) as Report;
  const after = report.reference?.psnr ?? psnr(restored, clean);
  const panel = await sideBySide([
    { image: noisy, label: `noisy ${before.toFixed(2)} dB` },
    { image: restored, label: `restored ${after.toFixed(2)} dB` },
    { image: clean, label: 'clean' },
  ]);
  const panelPath = path.join(dir, 'before-after.png');
  await writeOutputFile(panelPath, panel);
  if (f.json) deps.stdout.write(toJsonLine({ type: 'demo', psnrBefore: before, psnrAfter: after, beforeAfter: panelPath }));
  else if (!f.quiet) deps.stdout.write(`PSNR before ${before.toFixed(2)} dB → after ${after.toFixed(2)} dB; side by side: ${panelPath}\n`);
  return code;
}

const GAP = 4;
const CAPTION = 18;

/** Images of one height side by side on white, each with a caption underneath (PNG bytes). */
export async function sideBySide(panels: { image: Image; label: string }[]): Promise<Buffer> {
  const h = Math.max(...panels.map((p) => p.image.height));
  const width = panels.reduce((s, p) => s + p.image.width, 0) + GAP * (panels.length - 1);
  const height = h + CAPTION;
  const layers: sharp.OverlayOptions[] = [];
  let x = 0;
  let svgText = '';
  for (const p of panels) {
    layers.push({ input: await encodeImage(p.image, 'png'), left: x, top: 0 });
    svgText += `<text x="${x + p.image.width / 2}" y="${h + 13}" text-anchor="middle">${escapeXml(p.label)}</text>`;
    x += p.image.width + GAP;
  }
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<g font-family="DejaVu Sans, Arial, Helvetica, sans-serif" font-size="11" fill="#000">${svgText}</g></svg>`;
  layers.push({ input: Buffer.from(svg), left: 0, top: 0 });
  return sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .composite(layers)
    .png()
    .toBuffer();
}

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[ch]!);
}

export function addDemoCommand(program: Command, deps: CliDeps, setExitCode: (code: number) => void): void {
  const cmd = program
    .command('demo')
    .description(`denoise the bundled example (a noisy 128×128 crop of F16) with the fast preset and show before/after`)
    .option('--iterations <n>', `iteration ceiling (default: ${DEMO_ITERATIONS}, about two minutes on a 2-core CPU)`)
    .option('--out-dir <dir>', 'where to write restored.png, before-after.png and report.json (default: out/demo)')
    .addHelpText('after', examples(['deep-prior demo', 'deep-prior demo --iterations 300']))
    .action(async (flags: DemoFlags) => setExitCode(await runDemo(flags, deps)));
  addOptions(cmd, RESTORE_OPTIONS, ['backend', 'threads']);
  addOptions(cmd, CLI_OPTIONS, ['quiet', 'json', 'debug']);
}
