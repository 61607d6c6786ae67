/**
 * Every output of a fitting command checked before anything is read or fitted: never an input,
 * never an existing file without --force (a checkpoint is continued with --resume), never two
 * outputs in one file, a known image format whose bit depth can be written, and a folder that
 * really takes files (checkOutputPath). A new output is one more entry of `outputTargets`.
 */
import { formatFromPath, LOSSY_FORMATS, type OutputFormat } from '../image/io-node.js';
import { InputError } from '../util/errors.js';
import { FileCheckpointStore } from './checkpoint-node.js';
import { canonicalPath, checkOutputPath, SNAPSHOT_NAME, type OutputCheck } from './files.js';
import { inputFiles, type CliRequest, type CliValues } from './request.js';

export interface CheckedOutputs {
  format: OutputFormat;
  checkpoint?: FileCheckpointStore;
}

/** One output of a fitting command: the option that names it, its path and how it is checked. */
export interface OutputTarget extends Pick<OutputCheck, 'kind' | 'holds'> {
  flag: string;
  path: string;
  /** Overwritten without --force (the checkpoint a --resume continues). */
  reused?: boolean;
}

export function outputTargets(cli: CliValues): OutputTarget[] {
  const targets: OutputTarget[] = [{ flag: '-o', path: cli.output, kind: 'image' }];
  if (cli.report !== undefined) targets.push({ flag: '--report', path: cli.report });
  if (cli.checkpoint !== undefined) targets.push({ flag: '--checkpoint', path: cli.checkpoint, reused: !!cli.resume });
  if (cli.snapshots !== undefined)
    targets.push({ flag: '--snapshots', path: cli.snapshots, kind: 'folder', holds: { names: SNAPSHOT_NAME, what: 'snapshot' } });
  return targets;
}

export async function checkOutputs(r: CliRequest): Promise<CheckedOutputs> {
  const { cli } = r;
  const format = checkOutputFormat(cli);
  const targets = outputTargets(cli);
  await checkDistinct(targets.filter((t) => t.kind !== 'folder'));
  const inputs = inputFiles(r);
  for (const t of targets) await checkOutputPath(t.path, { ...t, inputs, force: !!cli.force || !!t.reused });
  let checkpoint: FileCheckpointStore | undefined;
  if (cli.checkpoint !== undefined) {
    checkpoint = new FileCheckpointStore(cli.checkpoint, { resume: !!cli.resume });
    await checkpoint.preload(); // --resume: a missing or corrupt file is reported now
  }
  return { format, checkpoint };
}

/** The -o format, and the options that must suit it. */
function checkOutputFormat(cli: CliValues): OutputFormat {
  const format = formatFromPath(cli.output);
  if (cli.bitDepth === 16 && (format === 'jpeg' || format === 'webp')) {
    throw new InputError(`--bit-depth 16 needs a .png or .tif output; ${cli.output} is ${format.toUpperCase()}, which is 8-bit`, { code: 'BAD_OPTION' });
  }
  if (cli.quality !== undefined && !LOSSY_FORMATS.includes(format)) {
    throw new InputError(`--quality applies to .jpg, .webp and .avif outputs; ${cli.output} is ${format.toUpperCase()}, which is lossless`, {
      code: 'BAD_OPTION',
    });
  }
  return format;
}

async function checkDistinct(targets: readonly OutputTarget[]): Promise<void> {
  const canonical = await Promise.all(targets.map((t) => canonicalPath(t.path)));
  for (let i = 0; i < targets.length; i++) {
    const j = canonical.indexOf(canonical[i], i + 1);
    if (j >= 0)
      throw new InputError(`${targets[i].flag} and ${targets[j].flag} name the same file (${targets[j].path}): give each its own path`, { code: 'BAD_OPTION' });
  }
}
