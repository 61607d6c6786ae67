/**
 * Table-driven checks of option values: kind, range, `needs` and `conflicts`. Shared by the
 * restore options (validate.ts) and the command line's own options (src/cli/cli-options.ts), so
 * every option of either table is checked the same way and named the caller's way.
 */
import { InputError } from '../util/errors.js';
import { listOr, show } from './kinds.js';
import type { Naming } from './naming.js';
import type { OptionSpec } from './table.js';

export function badOption(message: string, option?: string): InputError {
  return new InputError(message, { code: 'BAD_OPTION', option });
}

const given = (o: Record<string, unknown>, key: string) => o[key] !== undefined;

/** Refuses keys the table does not know (typos from JavaScript callers), suggesting the closest. */
export function checkKnownKeys(o: Record<string, unknown>, table: Record<string, OptionSpec>): void {
  for (const key of Object.keys(o)) {
    if (key in table) continue;
    const near = Object.keys(table).find((k) => k.toLowerCase().startsWith(key.toLowerCase().slice(0, 4)));
    throw badOption(`unknown option ${show(key)}${near ? ` (did you mean ${near}?)` : ''}: known options are ${Object.keys(table).join(', ')}`, key);
  }
}

/** Kind and range of every given value (image values are checked by images.ts). */
export function checkValues(o: Record<string, unknown>, table: Record<string, OptionSpec>, naming: Naming, skip: readonly string[] = []): void {
  for (const [key, spec] of Object.entries(table)) {
    if (!given(o, key) || skip.includes(key)) continue;
    const problem = spec.kind.problem(o[key]);
    if (problem) throw badOption(`${naming.name(key)} must be ${problem}, got ${spec.kind.show?.(o[key]) ?? show(o[key])}`, key);
  }
}

/** `needs` (only meaningful with another option) and `conflicts` (not together). */
export function checkCombinations(o: Record<string, unknown>, table: Record<string, OptionSpec>, naming: Naming): void {
  for (const [key, spec] of Object.entries(table)) {
    if (!given(o, key)) continue;
    if (spec.needs && !given(o, spec.needs)) throw badOption(`${naming.name(key)} needs ${naming.withValue(spec.needs)}`, key);
    for (const other of spec.conflicts ?? []) {
      if (given(o, other)) throw badOption(`give either ${naming.withValue(key)} or ${naming.withValue(other)}, not both`, key);
    }
  }
}

/** The first group of which no option is given ("inpaint needs --mask FILE or --mask-color COLOR"). */
export function checkRequired(o: Record<string, unknown>, groups: readonly (readonly string[])[], naming: Naming, who: string): void {
  for (const group of groups) {
    if (!group.some((k) => given(o, k))) throw badOption(`${who} needs ${listOr(group.map((k) => naming.withValue(k)))}`, group[0]);
  }
}

/** A copy without undefined entries. */
export function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
