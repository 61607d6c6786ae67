/**
 * Every output of a fitting command checked before anything is read or fitted: never an input,
 * never an existing file without --force (a checkpoint is continued with --resume), never two
 * outputs in one file, a known image format whose bit depth can be written.
 */
import { formatFromPath, LOSSY_FORMATS, type OutputFormat } from '../image/io-node.js';
import { InputError } from '../util/errors.js';
import { FileCheckpointStore } from './checkpoint-node.js';
import { canonicalPath, checkOutputPath, checkSnapshotDir } from './files.js';
import { inputFiles, type CliRequest } from './request.js';

export interface CheckedOutputs {
  format: OutputFormat;
  checkpoint?: FileCheckpointStore;
}

export async function checkOutputs(r: CliRequest): Promise<CheckedOutputs> {
  const { cli } = r;
  const inputs = inputFiles(r);
  const force = !!cli.force;
  await checkOutputPath(cli.output, { flag: '-o', inputs, force, image: true });
  const format = formatFromPath(cli.output);
  if (cli.bitDepth === 16 && (format === 'jpeg' || format === 'webp')) {
    throw new InputError(`--bit-depth 16 needs a .png or .tif output; ${cli.output} is ${format.toUpperCase()}, which is 8-bit`, { code: 'BAD_OPTION' });
  }
  if (cli.quality !== undefined && !LOSSY_FORMATS.includes(format)) {
    throw new InputError(`--quality applies to .jpg, .webp and .avif outputs; ${cli.output} is ${format.toUpperCase()}, which is lossless`, {
      code: 'BAD_OPTION',
    });
  }
  const named: [string, string][] = [['-o', cli.output]];
  if (cli.report !== undefined) {
    await checkOutputPath(cli.report, { flag: '--report', inputs, force });
    named.push(['--report', cli.report]);
  }
  let checkpoint: FileCheckpointStore | undefined;
  if (cli.checkpoint !== undefined) {
    await checkOutputPath(cli.checkpoint, { flag: '--checkpoint', inputs, force: force || !!cli.resume });
    checkpoint = new FileCheckpointStore(cli.checkpoint, { resume: !!cli.resume });
    await checkpoint.preload(); // --resume: a missing or corrupt file is reported now
    named.push(['--checkpoint', cli.checkpoint]);
  }
  await checkDistinct(named);
  if (cli.snapshots !== undefined) await checkSnapshotDir(cli.snapshots, inputs, force);
  return { format, checkpoint };
}

async function checkDistinct(named: [string, string][]): Promise<void> {
  const canonical = await Promise.all(named.map(([, p]) => canonicalPath(p)));
  for (let i = 0; i < named.length; i++) {
    const j = canonical.indexOf(canonical[i], i + 1);
    if (j >= 0) throw new InputError(`${named[i][0]} and ${named[j][0]} name the same file (${named[j][1]}): give each its own path`, { code: 'BAD_OPTION' });
  }
}
