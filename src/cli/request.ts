/**
 * A fitting command line → a checked request: commander's strings become typed values through the
 * option tables, the restore settings pass the validator's first phase (no file is read yet) and
 * the command line's own options their table checks. Image options stay file paths until read.
 */
import { RESTORE_OPTIONS, type TaskName, type ValueOf } from '../options/index.js';
import { checkCombinations, checkValues } from '../options/values.js';
import { InputError } from '../util/errors.js';
import { validateSettings, type ValidSettings } from '../validate.js';
import { CLI_OPTIONS } from './cli-options.js';
import { CLI_NAMING, valuesFromFlags } from './flags.js';

/** The command line's own options, typed (derived from its table; -o is mandatory). */
export type CliValues = { -readonly [K in keyof typeof CLI_OPTIONS]?: ValueOf<(typeof CLI_OPTIONS)[K]['kind']> } & { output: string };

export interface ImagePaths {
  mask?: string;
  guide?: string;
  reference?: string;
}

export interface CliRequest {
  task: TaskName;
  input: string;
  settings: ValidSettings;
  paths: ImagePaths;
  cli: CliValues;
  /** The options as given (commander's strings and switches), to print the command that continues the run. */
  flags: Readonly<Record<string, unknown>>;
  /** Lines for the log about settings adjusted to this machine (--threads above the core count). */
  notes: string[];
}

/** `cores`: this machine's, the most --threads that help. */
export function parseRequest(task: TaskName, input: string, flags: Record<string, unknown>, cores: number): CliRequest {
  const cli = valuesFromFlags(flags, CLI_OPTIONS);
  checkValues(cli, CLI_OPTIONS, CLI_NAMING);
  checkCombinations(cli, CLI_OPTIONS, CLI_NAMING);
  const values = valuesFromFlags(flags, RESTORE_OPTIONS);
  const { settings, notes } = capThreads(validateSettings({ ...values, task }, CLI_NAMING), cores);
  refuseSearchOnResume(cli.resume === true, settings);
  const paths: ImagePaths = {};
  for (const key of ['mask', 'guide', 'reference'] as const) if (typeof values[key] === 'string') paths[key] = values[key];
  return { task, input, settings, paths, cli: cli as unknown as CliValues, flags, notes };
}

/**
 * A checkpoint continues one network's fit; --arch auto would search again first (minutes to hours)
 * before the checkpoint is even compared. The command printed at the interruption names the network.
 */
function refuseSearchOnResume(resume: boolean, settings: ValidSettings): void {
  if (!resume || settings.arch !== 'auto') return;
  throw new InputError(
    '--resume continues the fit of the network the search chose: run the command printed when the fit stopped (it gives that --arch), not --arch auto',
    { code: 'BAD_OPTION', option: 'arch' },
  );
}

/** More threads than cores only make ONNX Runtime's threads wait for each other: capped, with a note. */
export function capThreads(settings: ValidSettings, cores: number): { settings: ValidSettings; notes: string[] } {
  const asked = settings.threads;
  if (asked === undefined || asked <= cores) return { settings, notes: [] };
  return { settings: { ...settings, threads: cores }, notes: [`threads: --threads ${asked} is more than the ${cores} cores here; using ${cores}`] };
}

/** Every file the command reads (none of them may be overwritten). */
export function inputFiles(r: CliRequest): string[] {
  return [r.input, r.paths.mask, r.paths.guide, r.paths.reference].filter((p): p is string => p !== undefined);
}
