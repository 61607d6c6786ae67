/**
 * Option tables → commander options and back: every flag, its help line and its default come from
 * a table entry (src/options/table.ts, cli-options.ts), and commander's strings become typed values
 * through the entry's kind. Range checks are the validator's (src/validate.ts), not done here.
 */
import { type Command, Option } from 'commander';
import { flagName, flagNaming, type Naming } from '../options/naming.js';
import { PRESETS } from '../options/names.js';
import { helpText, RESTORE_OPTIONS, type OptionSpec } from '../options/table.js';
import { SETTING_DEFAULTS, type TaskDefinition, type TaskSettings } from '../tasks/task.js';
import { InputError } from '../util/errors.js';
import { CLI_OPTIONS } from './cli-options.js';

export type OptionTable = Record<string, OptionSpec>;

/** Messages of the command line name options by their flags. */
export const CLI_NAMING: Naming = flagNaming([RESTORE_OPTIONS, CLI_OPTIONS]);

const GROUPS: Record<OptionSpec['group'], string | undefined> = {
  task: undefined,
  fitting: 'Fitting options:',
  search: 'Architecture search options (--arch auto, deep-prior search):',
  size: 'Size options:',
  output: 'Output options:',
};

/** Adds the options `keys` of `table` to `cmd`; defaults held by presets are read from `task`. */
export function addOptions(cmd: Command, table: OptionTable, keys: readonly string[], task?: TaskDefinition): void {
  for (const key of keys) {
    const spec = table[key];
    if (!spec.flag) continue;
    const def = task && spec.preset ? presetDefault(task, spec.preset) : spec.default;
    const option = new Option(`${spec.flag}${spec.arg ? ` ${spec.arg}` : ''}`, `${helpText(spec)}${def ? ` (default: ${def})` : ''}`);
    const group = GROUPS[spec.group];
    cmd.addOption(group ? option.helpGroup(group) : option);
  }
}

/** "from the preset: fast 1800, paper 3000" (one value when the presets agree). */
function presetDefault(task: TaskDefinition, key: keyof TaskSettings): string {
  const values = PRESETS.flatMap((name) => {
    const s = name === 'auto' ? undefined : task.presets[name];
    const value = s?.[key] ?? SETTING_DEFAULTS[key as keyof typeof SETTING_DEFAULTS];
    return s ? [[name, String(value === 1 / 30 ? '1/30' : value)] as const] : [];
  });
  const distinct = new Set(values.map(([, v]) => v));
  return distinct.size === 1 ? values[0][1] : `from the preset: ${values.map(([n, v]) => `${n} ${v}`).join(', ')}`;
}

/**
 * commander's values (strings; true for switches) → typed values. Image options keep their file
 * path (read later); everything else goes through its kind's parser, errors naming the flag.
 */
export function valuesFromFlags(flags: Record<string, unknown>, table: OptionTable): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(table)) {
    const raw = flags[key];
    if (raw === undefined) continue;
    out[key] = typeof raw !== 'string' || spec.kind.image ? raw : parseFlag(spec, raw, key);
  }
  return out;
}

function parseFlag(spec: OptionSpec, text: string, key: string): unknown {
  try {
    return spec.kind.parse(text);
  } catch {
    throw new InputError(`${flagName(spec) ?? key} must be ${spec.kind.describe}, got ${JSON.stringify(text)}`, { code: 'BAD_OPTION', option: key });
  }
}
