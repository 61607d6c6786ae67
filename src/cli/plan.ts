/**
 * `deep-prior plan <task> <input> [the fitting command's options] [--json]`: reads the inputs,
 * checks the options as the fitting command would, and prints the plan (layout, memory, time,
 * backend) without fitting. Output options are accepted, so a command line can be planned by
 * putting `plan` in front of it; what the command would refuse of them is refused here too.
 */
import type { Command } from 'commander';
import { RESTORE_OPTIONS, TASKS, type TaskName } from '../options/index.js';
import { listOr, show } from '../options/kinds.js';
import { planLines } from '../plan/format.js';
import { InputError } from '../util/errors.js';
import { CLI_OPTIONS } from './cli-options.js';
import type { CliDeps } from './deps.js';
import { addOptions, CLI_NAMING } from './flags.js';
import { readInputs } from './inputs.js';
import { checkOutputNames } from './outputs.js';
import { toJsonLine } from './progress.js';
import { parseRequest } from './request.js';

const RESTORE_FLAGS = Object.entries(RESTORE_OPTIONS)
  .filter(([, spec]) => 'flag' in spec)
  .map(([key]) => key);

export function addPlanCommand(program: Command, deps: CliDeps, setExitCode: (code: number) => void): void {
  const cmd = program
    .command('plan')
    .description('print the memory, time and tiling a fit would take, without fitting')
    .argument('<task>', `the fitting command: ${listOr([...TASKS])}`)
    .argument('<input>', 'the image to restore');
  addOptions(cmd, RESTORE_OPTIONS, RESTORE_FLAGS);
  addOptions(cmd, CLI_OPTIONS, Object.keys(CLI_OPTIONS));
  cmd.option('--recalibrate', 'measure the time and memory calibration of this machine again (a few seconds)');
  cmd.addHelpText(
    'after',
    '\nExamples:\n  $ deep-prior plan denoise photo.jpg\n  $ deep-prior plan super-resolve small.png --scale 4 --max-memory 2G --json\n',
  );
  cmd.action(async (task: string, input: string, flags: Record<string, unknown>) => setExitCode(await runPlanCommand(task, input, flags, deps)));
}

export async function runPlanCommand(task: string, input: string, flags: Record<string, unknown>, deps: CliDeps): Promise<number> {
  if (!TASKS.includes(task as TaskName)) {
    throw new InputError(`unknown task ${show(task)}: use ${listOr([...TASKS])}`, { code: 'BAD_OPTION', option: 'task' });
  }
  const { recalibrate, ...rest } = flags;
  const r = parseRequest(task as TaskName, input, rest, deps.cpuCount);
  for (const note of r.notes) if (!r.cli.json && !r.cli.quiet) deps.stderr.write(`${note}\n`);
  await checkOutputNames(r);
  const { request } = await readInputs(r);
  const json = !!r.cli.json;
  const log = json || r.cli.quiet ? undefined : (m: string) => void deps.stderr.write(`${m}\n`);
  const plan = await deps.plan(request, { log, naming: CLI_NAMING, recalibrate: !!recalibrate });
  if (json) deps.stdout.write(toJsonLine({ type: 'plan', ...plan }));
  else for (const line of planLines(plan, CLI_NAMING)) deps.stdout.write(`${line}\n`);
  return 0;
}
