/**
 * The validator of the HCFlow commands' options, run once at the edge (the CLI, a library caller):
 * the table checks of src/options/flow-table.ts for the options the command takes, what it requires,
 * and the rules that involve several options. Pure: no Node or DOM imports.
 */
import { FLOW_COMMANDS, FLOW_OPTIONS, FLOW_TRAINING, type FlowCommand, type FlowOptionKey } from './options/flow-table.js';
import type { ValueOf } from './options/kinds.js';
import { LIBRARY_NAMING, type Naming } from './options/naming.js';
import type { OptionSpec } from './options/table.js';
import { badOption, checkCombinations, checkKnownKeys, checkRequired, checkValues, definedOnly } from './options/values.js';

type Table = typeof FLOW_OPTIONS;
/** The options of a flow command, typed from the table. */
export type FlowSettings = { -readonly [K in FlowOptionKey]?: ValueOf<Table[K]['kind']> };

/** The part of the table a command takes. */
export function flowCommandTable(command: FlowCommand): Record<string, OptionSpec> {
  return Object.fromEntries(FLOW_COMMANDS[command].options.map((k) => [k, FLOW_OPTIONS[k]]));
}

export function validateFlowSettings(command: FlowCommand, o: Record<string, unknown>, naming: Naming = LIBRARY_NAMING): Readonly<FlowSettings> {
  const table = flowCommandTable(command);
  const given = definedOnly(o);
  checkKnownKeys(given, table);
  checkValues(given, table, naming);
  checkCombinations(given, table, naming);
  checkRequired(given, FLOW_COMMANDS[command].requires, naming, command.replace(/^rescale-/, 'rescale '));
  const settings = given as FlowSettings;
  if (command === 'train-flow') checkTraining(settings, naming);
  return Object.freeze(settings);
}

function checkTraining(s: FlowSettings, naming: Naming): void {
  const task = s.task ?? 'rescale';
  const trains = FLOW_TRAINING[task];
  if (s.scale !== undefined && !trains.scales.includes(s.scale)) {
    throw badOption(`${naming.name('scale')}: the ${task} model is ${trains.scales.map((k) => `×${k}`).join(' or ')} only, got ${s.scale}`, 'scale');
  }
  if (trains.scaleRequired && s.scale === undefined) throw badOption(`${naming.name('task')} ${task} needs ${naming.withValue('scale')}`, 'scale');
  const scale = s.scale ?? 4;
  const patch = s.patch ?? Number(FLOW_OPTIONS.patch.default);
  if (patch % scale) throw badOption(`${naming.name('patch')} must be a multiple of the scale ${scale}, got ${patch}`, 'patch');
  checkUntil(s, naming);
}

function checkUntil(s: FlowSettings, naming: Naming): void {
  // A --resume without --steps continues the checkpoint's steps, which checkResumable checks --until against.
  if (s.resume && s.steps === undefined) return;
  const steps = s.steps ?? Number(FLOW_OPTIONS.steps.default);
  if (s.until !== undefined && s.until > steps)
    throw badOption(`${naming.name('until')} ${s.until} is after the last step (${naming.name('steps')} ${steps})`, 'until');
}
