/**
 * Every output of a fitting command checked before anything is read or fitted: never an input,
 * never an existing file without --force (a checkpoint is continued with --resume, which may also
 * replace the files its interrupted run wrote), never two outputs in one file, a known image
 * format whose bit depth can be written, and a folder that really takes files (checkOutputPath).
 * A new output is one more entry of `outputTargets`.
 */
import { formatFromPath, LOSSY_FORMATS, SIXTEEN_BIT_FORMATS, type OutputFormat } from '../image/io-node.js';
import { InputError } from '../util/errors.js';
import { FileCheckpointStore } from './checkpoint-node.js';
import { checkDistinct, checkOutputPath, refuseInput, SNAPSHOT_NAME, type OutputCheck } from './files.js';
import { inputFiles, type CliRequest, type CliValues } from './request.js';

export interface CheckedOutputs {
  format: OutputFormat;
  /** --checkpoint FILE, else OUTPUT.dpckpt, written only when the run is interrupted. */
  checkpoint: FileCheckpointStore;
}

/** One output of a fitting command: the option that names it, its path and how it is checked. */
export interface OutputTarget extends Pick<OutputCheck, 'kind' | 'holds' | 'existsHint'> {
  flag: string;
  path: string;
}

/** Where an interrupted run without --checkpoint saves its state: next to the output. */
export function implicitCheckpoint(output: string): string {
  return `${output}.dpckpt`;
}

export function checkpointPath(cli: CliValues): string {
  return cli.checkpoint ?? implicitCheckpoint(cli.output);
}

/** Every output but the checkpoint, which checkOutputs handles first. */
export function outputTargets(cli: CliValues): OutputTarget[] {
  const targets: OutputTarget[] = [{ flag: '-o', path: cli.output, kind: 'image' }];
  if (cli.report !== undefined) targets.push({ flag: '--report', path: cli.report });
  if (cli.snapshots !== undefined)
    targets.push({ flag: '--snapshots', path: cli.snapshots, kind: 'folder', holds: { names: SNAPSHOT_NAME, what: 'snapshot' } });
  return targets;
}

/**
 * Checks every output, the checkpoint first: with --resume it is read now, and the files its run
 * wrote (unchanged since) may be replaced without --force.
 */
export async function checkOutputs(r: CliRequest): Promise<CheckedOutputs> {
  const { cli } = r;
  const format = checkOutputFormat(cli);
  const inputs = inputFiles(r);
  const force = !!cli.force;
  const ckpt = checkpointTarget(cli);
  const targets = outputTargets(cli);
  // Folders too: a --snapshots folder on the -o path would only be found out when the result is written.
  await checkDistinct([...targets, ckpt]);
  await checkOutputPath(ckpt.path, { ...ckpt, inputs, force: force || !!cli.resume });
  const checkpoint = new FileCheckpointStore(ckpt.path, { resume: !!cli.resume, explicit: cli.checkpoint !== undefined });
  await checkpoint.preload(); // --resume: a missing or corrupt file is reported now
  const replaceable = cli.resume ? (f: string) => checkpoint.written.unchanged(f) : undefined;
  for (const t of targets) await checkOutputPath(t.path, { ...t, inputs, force, replaceable });
  return { format, checkpoint };
}

/**
 * What `plan` checks of the outputs it is given but does not write: the format and its options, and
 * that none is an input (the fitting command would refuse them; nothing is created here).
 */
export async function checkOutputNames(r: CliRequest): Promise<void> {
  if (r.cli.output === undefined) return;
  checkOutputFormat(r.cli);
  const inputs = inputFiles(r);
  for (const t of [...outputTargets(r.cli), checkpointTarget(r.cli)]) await refuseInput(t.path, { ...t, inputs });
}

function checkpointTarget(cli: CliValues): OutputTarget {
  const again = 'add --resume to continue that run, or --force to start afresh';
  if (cli.checkpoint !== undefined) return { flag: '--checkpoint', path: cli.checkpoint, existsHint: `${again}, or choose another --checkpoint path` };
  const path = implicitCheckpoint(cli.output);
  // An interrupted run's state: not overwritten by a new run unless --force.
  return {
    flag: '-o',
    path,
    existsHint: `it holds an interrupted run of -o ${cli.output}: add --checkpoint ${path} --resume to continue it, or --force to start afresh`,
  };
}

/** The -o format, and the options that must suit it. */
function checkOutputFormat(cli: CliValues): OutputFormat {
  const format = formatFromPath(cli.output);
  if (cli.bitDepth === 16 && !SIXTEEN_BIT_FORMATS.includes(format)) {
    throw new InputError(`--bit-depth 16 needs a .png or .tif output; ${cli.output} is ${format.toUpperCase()}, which is written 8-bit`, {
      code: 'BAD_OPTION',
    });
  }
  if (cli.quality !== undefined && !LOSSY_FORMATS.includes(format)) {
    throw new InputError(`--quality applies to .jpg, .webp and .avif outputs; ${cli.output} is ${format.toUpperCase()}, which is lossless`, {
      code: 'BAD_OPTION',
    });
  }
  return format;
}
