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
  // After a search, its options go and --arch names the chosen genotype: a resume does not search again.
  const skip = (spec: OptionSpec) => spec.group === 'search' && !!searched;
  const words = optionWords(r.flags, [RESTORE_OPTIONS, CLI_OPTIONS], ['checkpoint', 'resume'], { skip, arch: searched });
  return [r.task, r.input, ...words, '--checkpoint', checkpoint, '--resume'];
}

/** The options given (commander's values, in the order given) as words, but those of `skip` (and `also.skip`); `also.arch` replaces --arch's value. */
export function optionWords(
  flags: Readonly<Record<string, unknown>>,
  tables: readonly Record<string, OptionSpec>[],
  skip: readonly string[],
  also: { skip?: (spec: OptionSpec) => boolean; arch?: string } = {},
): string[] {
  const words: string[] = [];
  for (const [key, value] of Object.entries(flags)) {
    const spec = tables.find((t) => key in t)?.[key];
    if (!spec?.flag || skip.includes(key) || value === undefined || value === false) continue;
    if (also.skip?.(spec)) continue;
    words.push(spec.flag.split(',')[0].trim());
    if (value !== true) words.push(also.arch && key === 'arch' ? also.arch : String(value));
  }
  return words;
}

/** A word as a POSIX shell reads it back: bare when safe, else in single quotes. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function commandLine(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}
