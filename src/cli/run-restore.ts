/**
 * The flow shared by every fitting command (denoise, inpaint, super-resolve, ...): parse and check
 * the settings → check every output path → read the inputs (the validator's second phase) → fit
 * with progress, snapshots, checkpoints and interruption → write the output, the report and the
 * final metrics → summary. Each step is a function of its own below or in its module.
 */
import type { Image } from '../image/image.js';
import { strippedMetadata, type ImageMetadata } from '../image/metadata.js';
import { taskDefinition } from '../tasks/index.js';
import type { RestoreHooks, RestoreResult, TaskName } from '../options/index.js';
import type { CliDeps } from './deps.js';
import { AbortError } from '../util/errors.js';
import { snapshotPath, writeOutputImage } from './files.js';
import { readInputs } from './inputs.js';
import { InterruptWatch } from './interrupt.js';
import { checkOutputs } from './outputs.js';
import { CLI_NAMING } from './flags.js';
import { ProgressReporter, type ProgressMode } from './progress.js';
import { parseRequest } from './request.js';
import type { CommandRun } from './command-run.js';
import { writeRunReport } from './run-report.js';
import { printSummary } from './summary.js';

/** Runs one fitting command; returns the exit code (errors are thrown and mapped by the caller). */
export async function runRestoreCommand(task: TaskName, input: string, flags: Record<string, unknown>, deps: CliDeps): Promise<number> {
  const r = parseRequest(task, input, flags, deps.cpuCount);
  const outputs = await checkOutputs(r);
  const inputs = await readInputs(r);
  const mode = progressMode(r.cli, deps);
  const reporter = new ProgressReporter({ mode, stream: mode === 'json' ? deps.stdout : deps.stderr, now: deps.now });
  const interrupt = new InterruptWatch(deps, reporter, 'the best result so far and a checkpoint');
  const run: CommandRun = { r, inputs, outputs, reporter, mode, interrupt, bitDepth: r.cli.bitDepth ?? inputs.source.bitDepth };
  const result = await fitWithProgress(run, interrupt, deps).catch((e: unknown) => {
    if (!(e instanceof AbortError) || interrupt.exitCode === null) throw e;
    return null; // stopped before the first step ended: nothing to save
  });
  if (result === null) {
    deps.stderr.write(`deep-prior: interrupted by ${interrupt.signal} before the first iteration finished: nothing to save\n`);
    return interrupt.exitCode ?? 1;
  }
  warn(run, await writeOutputImage(r.cli.output, result.image, { bitDepth: run.bitDepth, quality: r.cli.quality, metadata: outputMetadata(run) }));
  const metrics = await writeRunReport(run, result, deps);
  await keepWritten(run, result);
  return printSummary(run, result, metrics, deps);
}

/**
 * After an interruption: the output and report join the checkpoint's list of files this run wrote,
 * and the checkpoint is saved again with them, so that --resume may replace them.
 */
async function keepWritten(run: CommandRun, result: RestoreResult): Promise<void> {
  if (result.stopReason !== 'aborted') return;
  const { cli } = run.r;
  const { checkpoint } = run.outputs;
  for (const file of [cli.output, cli.report]) if (file !== undefined) await checkpoint.written.add(file);
  await checkpoint.resave();
}

export function progressMode(f: { json?: boolean; quiet?: boolean }, deps: Pick<CliDeps, 'stderr'>): ProgressMode {
  return f.json ? 'json' : f.quiet ? 'quiet' : deps.stderr.isTTY ? 'tty' : 'plain';
}

export function describeImage(img: Image, bitDepth?: number): string {
  const kind = ['', 'grey', 'grey+alpha', 'RGB', 'RGBA'][img.channels];
  return `${img.width}×${img.height} ${kind}${bitDepth ? `, ${bitDepth}-bit` : ''}`;
}

/** The fit, with progress, stop signals, snapshots and checkpoints. */
async function fitWithProgress(run: CommandRun, interrupt: InterruptWatch, deps: CliDeps): Promise<RestoreResult> {
  const { r, reporter, inputs } = run;
  const { image, bitDepth } = inputs.source;
  reporter.event('start', {
    task: r.task,
    input: r.input,
    output: r.cli.output,
    image: { width: image.width, height: image.height, channels: image.channels, bitDepth },
  });
  reporter.log(`${r.task}: ${r.input} (${describeImage(image, bitDepth)}) → ${r.cli.output}`);
  for (const note of r.notes) reporter.log(note);
  warn(run, inputs.source.warnings);
  logMaskColor(run);
  try {
    return await deps.restore(inputs.request, hooksOf(run, interrupt.abortSignal));
  } finally {
    interrupt.stop();
    reporter.finish();
  }
}

/** The input's metadata for the outputs: all of it, or (--strip-metadata) only the colour profile; density follows the output scale. */
export function outputMetadata(run: CommandRun): ImageMetadata {
  const meta = run.inputs.source.metadata;
  const kept = run.r.cli.stripMetadata ? strippedMetadata(meta) : meta;
  const scale = taskDefinition(run.r.task).outputScale?.(run.inputs.request) ?? 1;
  return kept.density && scale !== 1 ? { ...kept, density: kept.density * scale } : kept;
}

function warn(run: CommandRun, warnings: readonly string[]): void {
  for (const w of warnings) run.reporter.log(`warning: ${w}`);
}

function logMaskColor(run: CommandRun): void {
  const { mask, maskColor } = run.inputs.request;
  if (maskColor === undefined || !mask) return;
  const holes = mask.data.reduce((s, v) => s + (1 - v), 0);
  run.reporter.log(`--mask-color ${maskColor}: ${holes} pixel(s) (${((100 * holes) / mask.data.length).toFixed(2)}%) to fill`);
}

function hooksOf(run: CommandRun, signal: AbortSignal): RestoreHooks {
  const { cli } = run.r;
  const { reporter } = run;
  const dir = cli.snapshots;
  return {
    onProgress: (p) => reporter.progress(p),
    onSearchProgress: (p) => reporter.search(p),
    signal,
    log: (m) => reporter.log(m),
    onPlan: (plan) => reporter.event('plan', { ...plan }),
    naming: CLI_NAMING,
    ...(dir !== undefined && {
      snapshotEvery: cli.every ?? 100,
      onSnapshot: async (iteration: number, image: Image) => {
        const file = snapshotPath(dir, iteration);
        warn(run, await writeOutputImage(file, image, { bitDepth: run.bitDepth, metadata: outputMetadata(run) }));
        await run.outputs.checkpoint.written.add(file);
        reporter.event('snapshot', { iteration, path: file });
      },
    }),
    // Without --checkpoint the state is saved (next to the output) only when the run is interrupted.
    checkpoint: run.outputs.checkpoint,
    ...(cli.checkpoint !== undefined && { checkpointEvery: cli.checkpointEvery ?? 100 }),
  };
}
