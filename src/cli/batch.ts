/**
 * `deep-prior batch <task> <folder|glob> -o <folder>`: a fitting command over many files, with the
 * fitting commands' options (from the same tables, checked by the same validator for each file),
 * a resumable journal, per-file reports, a summary and progress over the whole batch.
 */
import type { Command } from 'commander';
import { RESTORE_OPTIONS, TASKS, type TaskName } from '../options/index.js';
import { listOr, show } from '../options/kinds.js';
import { InputError } from '../util/errors.js';
import { BATCH_CLI_OPTIONS } from '../batch/options.js';
import { parseBatchRequest } from '../batch/request.js';
import { runBatch } from '../batch/run-batch.js';
import type { CliDeps } from './deps.js';
import { examples } from './command-options.js';
import { addOptions } from './flags.js';

/** Every restore option with a flag but --reference (a batch takes --reference-dir). */
export const BATCH_RESTORE_KEYS = Object.entries(RESTORE_OPTIONS)
  .filter(([key, spec]) => 'flag' in spec && key !== 'reference')
  .map(([key]) => key);

export function addBatchCommand(program: Command, deps: CliDeps, setExitCode: (code: number) => void): void {
  const cmd = program
    .command('batch')
    .description('restore every image of a folder (or a glob): resumable, one bad file does not stop the rest')
    .argument('<task>', `what to restore: ${listOr([...TASKS])}`)
    .argument('<input>', "a folder of images (searched recursively) or a quoted glob such as 'scans/**/*.jpg'");
  addOptions(cmd, RESTORE_OPTIONS, BATCH_RESTORE_KEYS);
  addOptions(cmd, BATCH_CLI_OPTIONS, Object.keys(BATCH_CLI_OPTIONS));
  cmd.options.find((o) => o.attributeName() === 'output')?.makeOptionMandatory();
  cmd.addHelpText(
    'after',
    `${examples([
      'deep-prior batch denoise scans/ -o restored/ --concurrency 2',
      "deep-prior batch inpaint 'photos/**/*.jpg' -o filled/ --mask-dir masks/ --mask-pattern '{name}_mask.png'",
      'deep-prior batch denoise noisy/ -o out/ --reference-dir clean/ --format png',
    ])}\nRun the same command again after a crash or Ctrl-C: finished files are skipped (by content and settings).\nOutputs keep their input's relative path; the journal, per-file reports and summary.json are in OUT/.deep-prior/.\nExit codes: 0 every file done, 1 some failed (the summary names them), 2 bad usage.\n`,
  );
  cmd.action(async (task: string, input: string, flags: Record<string, unknown>) => {
    if (!TASKS.includes(task as TaskName)) throw new InputError(`unknown task ${show(task)}: use ${listOr([...TASKS])}`, { code: 'USAGE' });
    setExitCode(await runBatch(await parseBatchRequest(task as TaskName, input, flags), deps));
  });
}
