/**
 * The command-line surface: every command, its options and its --help (with examples). The fitting
 * commands come from the task definitions (src/tasks/), their options from the option tables
 * (src/options/table.ts, cli-options.ts); actions only hand the parsed strings on, and value checks
 * live in the tables and src/validate.ts, so the library and the CLI say the same things.
 */
import { Command } from 'commander';
import { RESTORE_OPTIONS, TASKS } from '../options/index.js';
import { taskDefinition } from '../tasks/index.js';
import type { TaskDefinition } from '../tasks/task.js';
import { addAnalyzeCommand } from './analyze.js';
import { addBatchCommand } from './batch.js';
import { addQueueCommands } from './worker.js';
import type { CliDeps } from './deps.js';
import { addDegradeCommand } from './degrade.js';
import { addDemoCommand } from './demo.js';
import { addFitOptions, examples } from './command-options.js';
import { addOptions } from './flags.js';
import { addMetricsCommand } from './metrics.js';
import { addPlanCommand } from './plan.js';
import { runRestoreCommand } from './run-restore.js';
import { addSearchCommand } from './search.js';
import { addSetupCommand } from './setup-cuda.js';
import { addTrainFlowCommand } from './train-flow.js';
import { addRescaleCommand } from './rescale.js';
import { addSampleCommand } from './sample.js';

function addFitCommand(program: Command, task: TaskDefinition, deps: CliDeps, setExitCode: (code: number) => void): void {
  const cmd = program.command(task.name).description(task.about.summary).argument('<input>', task.about.input);
  addOptions(cmd, RESTORE_OPTIONS, task.options, task);
  addFitOptions(cmd, task);
  cmd.addHelpText('after', examples(task.about.examples));
  cmd.action(async (input: string, flags: Record<string, unknown>) => setExitCode(await runRestoreCommand(task.name, input, flags, deps)));
}

/**
 * Builds the program. `setExitCode` receives each action's exit code; errors are thrown out of
 * parseAsync (exitOverride) and mapped by main().
 */
export function buildProgram(deps: CliDeps, setExitCode: (code: number) => void): Command {
  const program = new Command('deep-prior');
  // Settings copied into every subcommand created below.
  program
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void deps.stdout.write(s),
      writeErr: (s) => void deps.stderr.write(s),
      outputError: () => {}, // main() prints errors as one line
      getOutHelpWidth: () => deps.stdout.columns ?? 80,
      getErrHelpWidth: () => deps.stderr.columns ?? 80,
    })
    .showSuggestionAfterError(true);
  program
    .description('Restore damaged photos with deep image priors: no training data, one image at a time.')
    .version(deps.version, '-V, --version')
    .option('--debug', 'print stack traces of errors')
    .addHelpText(
      'after',
      `${examples([
        'deep-prior demo',
        'deep-prior denoise noisy.png -o clean.png',
        'deep-prior inpaint photo.png --mask mask.png -o filled.png',
        'deep-prior super-resolve small.png --scale 4 -o large.png',
        'deep-prior plan denoise photo.jpg --max-memory 2G',
        'deep-prior metrics restored.png clean.png',
      ])}\nRun deep-prior <command> --help for the options of a command.\nExit codes: 0 success, 1 failure at run time, 2 bad usage or input; 130, 143, 129 after SIGINT, SIGTERM, SIGHUP (result and checkpoint saved).\n`,
    );

  for (const name of TASKS) addFitCommand(program, taskDefinition(name), deps, setExitCode);
  addBatchCommand(program, deps, setExitCode);
  addQueueCommands(program, deps, setExitCode);
  addPlanCommand(program, deps, setExitCode);
  addSearchCommand(program, deps, setExitCode);
  addAnalyzeCommand(program, deps, setExitCode);
  addDegradeCommand(program, deps, setExitCode);
  addMetricsCommand(program, deps, setExitCode);
  addDemoCommand(program, deps, setExitCode);
  addSetupCommand(program, deps, setExitCode);
  addRescaleCommand(program, deps, setExitCode);
  addSampleCommand(program, deps, setExitCode);
  addTrainFlowCommand(program, deps, setExitCode);
  return program;
}
