/**
 * What the HCFlow commands share: their options from the flow table (src/options/flow-table.ts)
 * and the CLI's own (-o, --force, --quiet, --json, --debug), parsed and validated once
 * (src/validate-flow.ts), named by their flags; the progress reporter and the engine.
 */
import type { Command } from 'commander';
import { FLOW_COMMANDS, FLOW_OPTIONS, type FlowCommand } from '../options/flow-table.js';
import { flagNaming } from '../options/naming.js';
import { checkValues } from '../options/values.js';
import type { Engine } from '../runtime/engine.js';
import { type FlowSettings, validateFlowSettings } from '../validate-flow.js';
import { CLI_OPTIONS } from './cli-options.js';
import { examples } from './command-options.js';
import type { CliDeps } from './deps.js';
import { addOptions, valuesFromFlags } from './flags.js';
import { ProgressReporter } from './progress.js';
import type { CliValues } from './request.js';
import { progressMode } from './run-restore.js';

export const FLOW_NAMING = flagNaming([FLOW_OPTIONS, CLI_OPTIONS]);
const OUTPUT_KEYS = ['output', 'force', 'quiet', 'json', 'debug'] as const;

/** The flow options of `command`, then the output options (-o mandatory), then examples. */
export function addFlowOptions(cmd: Command, command: FlowCommand, output: string, lines: readonly string[], help = ''): Command {
  addOptions(cmd, FLOW_OPTIONS, FLOW_COMMANDS[command].options);
  addOptions(cmd, CLI_OPTIONS, OUTPUT_KEYS);
  const o = cmd.options.find((opt) => opt.attributeName() === 'output');
  if (o) o.description = output;
  o?.makeOptionMandatory();
  return cmd.addHelpText('after', `${help}${examples(lines)}`);
}

export interface FlowRequest {
  settings: Readonly<FlowSettings>;
  cli: CliValues;
  /** Lines for the log about settings adjusted to this machine. */
  notes: string[];
  /** The options as given, to print the command that continues a training. */
  flags: Readonly<Record<string, unknown>>;
}

export function parseFlowRequest(command: FlowCommand, flags: Record<string, unknown>, cores: number): FlowRequest {
  const cli = valuesFromFlags(flags, CLI_OPTIONS);
  checkValues(cli, CLI_OPTIONS, FLOW_NAMING);
  const settings = { ...validateFlowSettings(command, valuesFromFlags(flags, FLOW_OPTIONS), FLOW_NAMING) };
  const notes: string[] = [];
  if (settings.threads !== undefined && settings.threads > cores) {
    notes.push(`threads: --threads ${settings.threads} is more than the ${cores} cores here; using ${cores}`);
    settings.threads = cores;
  }
  return { settings, cli: cli as unknown as CliValues, notes, flags };
}

export function flowReporter(r: FlowRequest, deps: CliDeps): ProgressReporter {
  const mode = progressMode(r.cli, deps);
  const reporter = new ProgressReporter({ mode, stream: mode === 'json' ? deps.stdout : deps.stderr, now: deps.now });
  for (const note of r.notes) reporter.log(note);
  return reporter;
}

export async function flowEngine(s: Readonly<FlowSettings>, reporter: ProgressReporter): Promise<Engine> {
  const [{ Engine }, { nodePlatform }] = await Promise.all([import('../runtime/engine.js'), import('../runtime/platform-node.js')]);
  return Engine.create(nodePlatform, { backend: s.backend, threads: s.threads, log: (m) => reporter.log(m) });
}
