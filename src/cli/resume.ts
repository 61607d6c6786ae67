/**
 * The command that continues an interrupted fit: the same command with the checkpoint named and
 * --resume, quoted for a POSIX shell, printed so it can be pasted as it is.
 */
import { RESTORE_OPTIONS, type OptionSpec } from '../options/table.js';
import { CLI_OPTIONS } from './cli-options.js';
import type { CliRequest } from './request.js';

/**
 * The words after the program: task, input and every option given, in the order given (commander
 * records values as it meets them), then --checkpoint FILE --resume. After `--arch auto`, the
 * network the search chose (`searched`) takes its place and the search options go: the
 * continued fit does not search again.
 */
export function resumeArgs(r: CliRequest, checkpoint: string, searched?: string): string[] {
  const words = [r.task, r.input];
  const tables: Record<string, OptionSpec>[] = [RESTORE_OPTIONS, CLI_OPTIONS];
  for (const [key, value] of Object.entries(r.flags)) {
    const spec = tables.find((t) => key in t)?.[key];
    if (!spec?.flag || key === 'checkpoint' || key === 'resume' || value === undefined || value === false) continue;
    if (searched && spec.group === 'search') continue;
    words.push(spec.flag.split(',')[0].trim());
    if (value !== true) words.push(searched && key === 'arch' ? searched : String(value));
  }
  return [...words, '--checkpoint', checkpoint, '--resume'];
}

/** A word as a POSIX shell reads it back: bare when safe, else in single quotes. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function commandLine(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}
