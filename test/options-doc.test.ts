import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI_OPTIONS } from '../src/cli/cli-options.js';
import { FLOW_OPTIONS } from '../src/options/flow-table.js';
import { RESTORE_OPTIONS, type OptionSpec } from '../src/options/index.js';
import { withOptionTables } from '../scripts/options-doc.js';

describe('the option table is the one source', () => {
  it('the README option tables are generated from it and current (npx tsx scripts/options-doc.ts)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(withOptionTables(readme)).toBe(readme);
  });
  it('every flag is the kebab-case of its key, and help lines are single sentences without a default', () => {
    for (const [key, spec] of Object.entries({ ...RESTORE_OPTIONS, ...CLI_OPTIONS, ...FLOW_OPTIONS } as Record<string, OptionSpec>)) {
      if (!spec.flag) continue;
      expect(spec.flag.split(', ').at(-1), key).toBe(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
      expect(spec.help, key).not.toMatch(/\(default:|\n/);
    }
  });
  it('needs and conflicts name options of the same table', () => {
    for (const table of [RESTORE_OPTIONS, CLI_OPTIONS, FLOW_OPTIONS] as Record<string, OptionSpec>[]) {
      for (const [key, spec] of Object.entries(table)) {
        for (const other of [spec.needs, ...(spec.conflicts ?? [])].filter(Boolean)) expect(table, `${key} → ${other}`).toHaveProperty(other as string);
      }
    }
  });
});
