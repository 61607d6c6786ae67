/** The option sets of the fitting commands (and of analyze), built from the option tables. */
import type { Command } from 'commander';
import { RESTORE_OPTIONS } from '../options/index.js';
import type { OptionSpec } from '../options/table.js';
import { taskDefinition } from '../tasks/index.js';
import type { TaskDefinition } from '../tasks/task.js';
import { CLI_OPTIONS } from './cli-options.js';
import { addOptions } from './flags.js';

/** The restore options every fitting command takes (the task-specific ones come from the task). */
export const FITTING_KEYS = Object.entries(RESTORE_OPTIONS)
  .filter(([, spec]) => 'flag' in spec && !('perTask' in spec))
  .map(([key]) => key);
/** The command line's own options of a fitting command. */
export const OUTPUT_KEYS = Object.keys(CLI_OPTIONS);

export function examples(lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

/** Fitting options and output options, from the tables; -o is mandatory. */
export function addFitOptions(
  cmd: Command,
  task: TaskDefinition,
  restoreKeys: readonly string[] = FITTING_KEYS,
  outputKeys: readonly string[] = OUTPUT_KEYS,
): void {
  addOptions(cmd, RESTORE_OPTIONS, restoreKeys, task);
  addOptions(cmd, CLI_OPTIONS, outputKeys);
  cmd.options.find((o) => o.attributeName() === 'output')?.makeOptionMandatory();
}

/** A command that fits one input for another purpose than restoring it (search, analyze). */
export interface FitCommandSpec {
  name: string;
  description: string;
  input: string;
  /** The command's own options (a table of the same form as the restore options). */
  own: Record<string, OptionSpec>;
  /** Task options it takes, fitting options it takes, output options it takes. */
  taskKeys: readonly string[];
  fitKeys: readonly string[];
  outputKeys: readonly string[];
  examples: readonly string[];
  run: (input: string, flags: Record<string, unknown>) => Promise<number>;
}

export function addFitCommand(program: Command, c: FitCommandSpec, setExitCode: (code: number) => void): void {
  const cmd = program.command(c.name).description(c.description).argument('<input>', c.input);
  addOptions(cmd, c.own, Object.keys(c.own));
  addOptions(cmd, RESTORE_OPTIONS, c.taskKeys);
  addFitOptions(cmd, taskDefinition('denoise'), c.fitKeys, c.outputKeys);
  cmd.addHelpText('after', examples(c.examples));
  cmd.action(async (input: string, flags: Record<string, unknown>) => setExitCode(await c.run(input, flags)));
}
