/** A fitting command's final metrics against the reference, and its --report document. */
import type { Image } from '../image/image.js';
import { psnr, ssim } from '../image/metrics.js';
import type { RestoreResult } from '../options/index.js';
import { InputError } from '../util/errors.js';
import type { CliDeps } from './deps.js';
import { buildReport, writeReport, type FinalMetrics, type ImageFileInfo } from './report.js';
import type { CommandRun, RunMetrics } from './command-run.js';

/** Final PSNR/SSIM of `out` against a reference; SSIM is null for images under 11×11 after the border. */
export function finalMetrics(out: Image, ref: Image, border: number, path: string): FinalMetrics {
  let s: number | null = null;
  try {
    s = ssim(out, ref, { border });
  } catch (e) {
    if (!(e instanceof InputError && e.code === 'IMAGE_TOO_SMALL')) throw e;
  }
  return { path, psnr: psnr(out, ref, { border }), ssim: s, border };
}

export function runMetrics(run: CommandRun, result: RestoreResult): RunMetrics {
  const { reference: ref, referenceBorder } = run.inputs.request;
  const path = run.r.paths.reference ?? '';
  const border = referenceBorder ?? 0;
  const w = result.watched;
  return {
    ...(ref && { reference: finalMetrics(result.image, ref, border, path) }),
    ...(w && {
      watched: { stoppedAt: w.stoppedAt, iteration: w.iteration, reason: w.reason, ...(ref && { reference: finalMetrics(w.image, ref, border, path) }) },
    }),
  };
}

/** Computes the metrics and writes the --report file when one was asked for. */
export async function writeRunReport(run: CommandRun, result: RestoreResult, deps: CliDeps): Promise<RunMetrics> {
  const metrics = runMetrics(run, result);
  const { r, inputs, outputs } = run;
  if (r.cli.report === undefined) return metrics;
  const src = inputs.source;
  const report = buildReport({
    task: r.task,
    version: deps.version,
    result,
    requested: { ...r.settings, bitDepth: run.bitDepth },
    input: {
      ...fileInfo(r.input, src.image, src.bitDepth, src.format),
      ...(r.paths.mask !== undefined && { mask: r.paths.mask }),
      ...(r.paths.guide !== undefined && { guide: r.paths.guide }),
    },
    output: fileInfo(r.cli.output, result.image, outputs.format === 'png' || outputs.format === 'tiff' ? run.bitDepth : 8, outputs.format),
    reference: metrics.reference,
    watched: metrics.watched,
  });
  await writeReport(r.cli.report, report);
  return metrics;
}

function fileInfo(path: string, img: Image, bitDepth: 8 | 16, format: string): ImageFileInfo {
  return { path, width: img.width, height: img.height, channels: img.channels, bitDepth, format };
}
