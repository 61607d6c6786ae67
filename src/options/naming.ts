/**
 * How messages name an option: a library caller reads `regNoise`, a command-line user `--reg-noise`.
 * The validator speaks through a Naming, so one check gives each caller a message in its own words.
 */
import type { OptionSpec } from './table.js';

export interface Naming {
  /** The option as the caller spells it: 'regNoise' or '--reg-noise'. */
  name(key: string): string;
  /** The option with its value as the caller would type it: 'mask' or '--mask FILE'. */
  withValue(key: string): string;
}

export const LIBRARY_NAMING: Naming = {
  name: (key) => key,
  withValue: (key) => key,
};

/** The flag a message uses: the first of '-o, --output'. */
export function flagName(spec: OptionSpec): string | undefined {
  return spec.flag?.split(', ')[0];
}

/** Names from the tables' flags ('--mask', '<file>' → '--mask FILE'); the input image is "the input image". */
export function flagNaming(tables: readonly Record<string, OptionSpec>[]): Naming {
  const spec = (key: string) => tables.find((t) => key in t)?.[key];
  const name = (key: string) => {
    const s = spec(key);
    return key === 'image' ? 'the input image' : ((s && flagName(s)) ?? key);
  };
  return {
    name,
    withValue: (key) => {
      const s = spec(key);
      if (!s?.flag || !s.arg) return name(key);
      return `${name(key)} ${s.kind.choices ? s.kind.describe : s.arg.replace(/[<>]/g, '').toUpperCase()}`;
    },
  };
}
