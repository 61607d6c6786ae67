/**
 * The flow shared by every fitting command (denoise, inpaint, super-resolve, ...):
 * parse and check the settings → check every output path → read the inputs → validate the whole
 * request → fit with progress, snapshots, checkpoints and Ctrl-C → write the output, the report
 * and the final metrics.
 */
import type { Image } from '../image/image.js';
import { readImage, formatFromPath } from '../image/io-node.js';
import { maskFromColor, maskFromImage } from '../image/masks.js';
import { psnr, ssim } from '../image/metrics.js';
import type { ImpulseLoss, RestoreHooks, RestoreOptions, RestoreResult, TaskName } from '../options.js';
import { checkSettings, validateRestoreOptions, type RestoreSettings } from '../validate.js';
import { InputError } from '../util/errors.js';
import type { CliDeps } from './deps.js';
import { FileCheckpointStore } from './checkpoint-node.js';
import { canonicalPath, checkOutputPath, checkSnapshotDir, ensureDir, snapshotPath, writeOutputImage } from './files.js';
import { parseBitDepth, parseInteger, parseNumber } from './parse.js';
import { ProgressReporter, formatDuration, type ProgressMode } from './progress.js';
import { buildReport, writeReport, type FinalMetrics, type ImageFileInfo } from './report.js';

/** What commander hands a fitting command's action: every value as typed (strings). */
export interface FitFlags {
  output: string;
  // task-specific
  mask?: string;
  maskInvert?: boolean;
  maskColor?: string;
  maskTolerance?: string;
  scale?: string;
  impulseLoss?: string;
  guide?: string;
  // common
  iterations?: string;
  stop?: string;
  arch?: string;
  preset?: string;
  backend?: string;
  threads?: string;
  seed?: string;
  lr?: string;
  regNoise?: string;
  tv?: string;
  smoothing?: string;
  lipschitz?: string;
  upsample?: string;
  channels?: string;
  stopRule?: string;
  reference?: string;
  referenceBorder?: string;
  snapshots?: string;
  every?: string;
  report?: string;
  checkpoint?: string;
  resume?: boolean;
  checkpointEvery?: string;
  force?: boolean;
  quiet?: boolean;
  json?: boolean;
  debug?: boolean;
  bitDepth?: string;
}

/** The restore settings typed on the command line (numbers parsed, ranges not yet checked). */
export function settingsFromFlags(task: TaskName, f: FitFlags): RestoreSettings {
  const s: RestoreSettings = {
    task,
    scale: parseNumber('--scale', f.scale) as RestoreSettings['scale'],
    preset: f.preset as RestoreSettings['preset'],
    iterations: parseNumber('--iterations', f.iterations),
    stop: f.stop as RestoreSettings['stop'],
    arch: f.arch as RestoreSettings['arch'],
    lr: parseNumber('--lr', f.lr),
    regNoise: parseNumber('--reg-noise', f.regNoise),
    tv: parseNumber('--tv', f.tv),
    impulseLoss: f.impulseLoss as ImpulseLoss | undefined,
    smoothing: parseNumber('--smoothing', f.smoothing),
    seed: parseNumber('--seed', f.seed),
    backend: f.backend as RestoreSettings['backend'],
    threads: parseNumber('--threads', f.threads),
    referenceBorder: parseNumber('--reference-border', f.referenceBorder),
    lipschitz: parseNumber('--lipschitz', f.lipschitz),
    upsample: f.upsample as RestoreSettings['upsample'],
    channels: parseNumber('--channels', f.channels),
    stopRule: f.stopRule as RestoreSettings['stopRule'],
  };
  for (const k of Object.keys(s) as (keyof RestoreSettings)[]) if (s[k] === undefined) delete s[k];
  return s;
}

export function progressMode(f: { json?: boolean; quiet?: boolean }, deps: Pick<CliDeps, 'stderr'>): ProgressMode {
  return f.json ? 'json' : f.quiet ? 'quiet' : deps.stderr.isTTY ? 'tty' : 'plain';
}

export function describeImage(img: Image, bitDepth?: number): string {
  const kind = ['', 'grey', 'grey+alpha', 'RGB', 'RGBA'][img.channels];
  return `${img.width}×${img.height} ${kind}${bitDepth ? `, ${bitDepth}-bit` : ''}`;
}

function fileInfo(path: string, img: Image, bitDepth: 8 | 16, format: string): ImageFileInfo {
  return { path, width: img.width, height: img.height, channels: img.channels, bitDepth, format };
}

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

/** Checks of the CLI's own option combinations, before anything is read. */
function checkFlagCombinations(task: TaskName, f: FitFlags): void {
  const usage = (m: string) => new InputError(m, { code: 'BAD_OPTION' });
  if (f.every !== undefined && f.snapshots === undefined) throw usage('--every needs --snapshots DIR (where to write the snapshots)');
  if (f.resume && f.checkpoint === undefined) throw usage('--resume needs --checkpoint FILE (the checkpoint to continue from)');
  if (f.checkpointEvery !== undefined && f.checkpoint === undefined) throw usage('--checkpoint-every needs --checkpoint FILE');
  if (task === 'inpaint') {
    if (f.mask !== undefined && f.maskColor !== undefined) throw usage('give either --mask FILE or --mask-color COLOR, not both');
    if (f.maskInvert && f.mask === undefined) throw usage('--mask-invert applies to a --mask FILE');
    if (f.maskTolerance !== undefined && f.maskColor === undefined) throw usage('--mask-tolerance applies to --mask-color COLOR');
    if (f.mask === undefined && f.maskColor === undefined) {
      throw usage('inpaint needs a mask: give --mask FILE (white = known, black = to fill) or --mask-color COLOR (the colour of the damage)');
    }
  }
  if (task === 'reconstruct' && f.mask === undefined) throw usage('reconstruct needs --mask FILE (white = known pixel, black = missing)');
  if (task === 'flash' && f.guide === undefined) throw usage('flash needs --guide FLASH_IMAGE, the flash photo of the same scene');
}

/** Runs one fitting command; returns the exit code (errors are thrown and mapped by the caller). */
export async function runRestoreCommand(task: TaskName, input: string, f: FitFlags, deps: CliDeps): Promise<number> {
  // 1. Settings and option combinations: fail fast, before any file is read.
  const settings = settingsFromFlags(task, f);
  checkSettings(settings);
  checkFlagCombinations(task, f);
  const every = parseInteger('--every', f.every, 1, 1_000_000) ?? 100;
  const checkpointEvery = parseInteger('--checkpoint-every', f.checkpointEvery, 1, 1_000_000) ?? 100;
  const maskTolerance = parseNumber('--mask-tolerance', f.maskTolerance) ?? 0;
  if (!(maskTolerance >= 0 && maskTolerance <= 255)) {
    throw new InputError(`--mask-tolerance must be a number from 0 to 255, got ${f.maskTolerance}`, { code: 'BAD_OPTION' });
  }
  const bitDepthFlag = parseBitDepth(f.bitDepth);
  const force = !!f.force;

  // 2. Output paths: never an input, never an existing file without --force, never two outputs in one file.
  const inputs = [input, f.mask, f.guide, f.reference].filter((p): p is string => p !== undefined);
  await checkOutputPath(f.output, { flag: '-o', inputs, force, image: true });
  const outFormat = formatFromPath(f.output);
  if (bitDepthFlag === 16 && (outFormat === 'jpeg' || outFormat === 'webp')) {
    throw new InputError(`--bit-depth 16 needs a .png or .tif output; ${f.output} is ${outFormat.toUpperCase()}, which is 8-bit`, { code: 'BAD_OPTION' });
  }
  const outputs: [string, string][] = [['-o', f.output]];
  if (f.report !== undefined) {
    await checkOutputPath(f.report, { flag: '--report', inputs, force });
    outputs.push(['--report', f.report]);
  }
  let checkpoint: FileCheckpointStore | undefined;
  if (f.checkpoint !== undefined) {
    // An existing checkpoint is continued with --resume or replaced with --force, never silently.
    await checkOutputPath(f.checkpoint, { flag: '--checkpoint', inputs, force: force || !!f.resume });
    checkpoint = new FileCheckpointStore(f.checkpoint, { resume: !!f.resume });
    await checkpoint.preload(); // --resume: a missing or corrupt file is reported now
    outputs.push(['--checkpoint', f.checkpoint]);
  }
  for (let i = 0; i < outputs.length; i++) {
    for (let j = i + 1; j < outputs.length; j++) {
      if ((await canonicalPath(outputs[i][1])) === (await canonicalPath(outputs[j][1]))) {
        throw new InputError(`${outputs[i][0]} and ${outputs[j][0]} name the same file (${outputs[j][1]}): give each its own path`, { code: 'BAD_OPTION' });
      }
    }
  }
  if (f.snapshots !== undefined) await checkSnapshotDir(f.snapshots, inputs, force);

  // 3. Inputs.
  const src = await readImage(input);
  const options: RestoreOptions = { ...settings, image: src.image };
  if (f.mask !== undefined) {
    options.mask = maskFromImage((await readImage(f.mask)).image, { invert: !!f.maskInvert });
  } else if (f.maskColor !== undefined) {
    options.mask = maskFromColor(src.image, f.maskColor, maskTolerance);
    if (options.mask.data.every((v) => v === 1)) {
      throw new InputError(
        `--mask-color ${f.maskColor}: no pixel of ${input} has that colour; check the colour or raise --mask-tolerance (now ${maskTolerance})`,
        {
          code: 'EMPTY_MASK',
        },
      );
    }
  }
  if (f.guide !== undefined) options.guide = (await readImage(f.guide)).image;
  if (f.reference !== undefined) options.reference = (await readImage(f.reference)).image;
  const validated = validateRestoreOptions(options);

  // 4. Fit.
  const mode = progressMode(f, deps);
  const reporter = new ProgressReporter({ mode, stream: mode === 'json' ? deps.stdout : deps.stderr, now: deps.now });
  const bitDepth = bitDepthFlag ?? src.bitDepth;
  reporter.event('start', {
    task,
    input,
    output: f.output,
    image: { width: src.image.width, height: src.image.height, channels: src.image.channels, bitDepth: src.bitDepth },
  });
  reporter.log(`${task}: ${input} (${describeImage(src.image, src.bitDepth)}) → ${f.output}`);
  if (f.maskColor !== undefined && options.mask) {
    const holes = options.mask.data.reduce((s, v) => s + (1 - v), 0);
    reporter.log(`--mask-color ${f.maskColor}: ${holes} pixel(s) (${((100 * holes) / options.mask.data.length).toFixed(2)}%) to fill`);
  }

  const controller = new AbortController();
  const uninstall = deps.onInterrupt(() => {
    controller.abort();
    reporter.log('interrupted: stopping after this step and saving the best result so far (press Ctrl-C again to quit at once)');
  });
  if (f.snapshots !== undefined) await ensureDir(f.snapshots);
  const hooks: RestoreHooks = {
    onProgress: (p) => reporter.progress(p),
    signal: controller.signal,
    log: (m) => reporter.log(m),
    ...(f.snapshots !== undefined && {
      snapshotEvery: every,
      onSnapshot: async (iteration: number, image: Image) => {
        const file = snapshotPath(f.snapshots!, iteration);
        await writeOutputImage(file, image, { bitDepth });
        reporter.event('snapshot', { iteration, path: file });
      },
    }),
    ...(checkpoint && { checkpoint, checkpointEvery }),
  };
  let result: RestoreResult;
  try {
    result = await deps.restore(validated, hooks);
  } finally {
    uninstall();
    reporter.finish();
  }

  // 5. Outputs.
  await writeOutputImage(f.output, result.image, { bitDepth });
  const border = settings.referenceBorder ?? (task === 'super-resolve' ? (settings.scale ?? 0) : 0);
  const metrics = validated.reference ? finalMetrics(result.image, validated.reference, border, f.reference!) : undefined;
  const watched = result.watched && {
    stoppedAt: result.watched.stoppedAt,
    iteration: result.watched.iteration,
    reason: result.watched.reason,
    ...(validated.reference && { reference: finalMetrics(result.watched.image, validated.reference, border, f.reference!) }),
  };
  if (f.report !== undefined) {
    const report = buildReport({
      task,
      version: deps.version,
      result,
      requested: {
        ...settings,
        ...(f.maskColor !== undefined && { maskColor: f.maskColor, maskTolerance }),
        ...(f.maskInvert && { maskInvert: true }),
        bitDepth,
      },
      input: {
        ...fileInfo(input, src.image, src.bitDepth, src.format),
        ...(f.mask !== undefined && { mask: f.mask }),
        ...(f.guide !== undefined && { guide: f.guide }),
      },
      output: fileInfo(f.output, result.image, outFormat === 'png' || outFormat === 'tiff' ? bitDepth : 8, outFormat),
      reference: metrics,
      watched,
    });
    await writeReport(f.report, report);
  }

  // 6. Summary.
  const summary = {
    output: f.output,
    iterations: result.iterations,
    stopReason: result.stopReason,
    bestIteration: result.bestIteration,
    seconds: result.seconds,
    backend: result.backend,
    ...(metrics && { psnr: metrics.psnr, ssim: metrics.ssim }),
    ...(watched && { watched }),
    ...(f.report !== undefined && { report: f.report }),
    ...(f.checkpoint !== undefined && { checkpoint: f.checkpoint }),
  };
  if (result.stopReason === 'aborted') {
    reporter.event('aborted', summary);
    const ck = f.checkpoint !== undefined ? `; checkpoint saved to ${f.checkpoint} (run again with --resume to continue)` : '';
    deps.stderr.write(
      `deep-prior: interrupted at iteration ${result.iterations}: the best result so far (iteration ${result.bestIteration}) is in ${f.output}${ck}\n`,
    );
    return 1;
  }
  reporter.event('done', summary);
  if (mode === 'json' || mode === 'quiet') return 0;
  const stopped = {
    auto: 'stopped automatically',
    ceiling: 'reached the iteration ceiling',
    fixed: 'fixed iteration count',
    diverged: 'diverged',
    aborted: 'aborted',
  }[result.stopReason];
  deps.stdout.write(
    `wrote ${f.output}: ${result.iterations} iterations in ${formatDuration(result.seconds)} on ${result.backend} (${stopped}; result from iteration ${result.bestIteration})\n`,
  );
  if (metrics) {
    deps.stdout.write(
      `PSNR ${metrics.psnr.toFixed(2)} dB, SSIM ${metrics.ssim === null ? 'n/a' : metrics.ssim.toFixed(4)} against ${f.reference}${border ? ` (border ${border})` : ''}\n`,
    );
  }
  if (watched) {
    const q = watched.reference ? `, PSNR ${watched.reference.psnr.toFixed(2)} dB` : '';
    deps.stdout.write(`--stop auto would have stopped at iteration ${watched.stoppedAt}, returning iteration ${watched.iteration}${q} (${watched.reason})\n`);
  }
  if (result.stopReason === 'diverged') {
    deps.stderr.write(`deep-prior: warning: the fit diverged; the result is from iteration ${result.bestIteration}. Try a lower --lr.\n`);
  }
  if (f.report !== undefined) deps.stdout.write(`report: ${f.report}\n`);
  return 0;
}
