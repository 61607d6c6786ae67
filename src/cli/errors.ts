/**
 * Turns anything thrown during a command into what the user sees: one line and an exit code.
 * DeepPriorError → its message and exit code (2 = bad input, 1 = run-time failure); commander's
 * usage errors → 2; anything else is a bug → exit 1 with "internal error: …". Stack traces only
 * with --debug.
 */
import { CommanderError } from 'commander';
import { isDeepPriorError, oneLine } from '../util/errors.js';

export interface DescribedError {
  message: string;
  exitCode: 0 | 1 | 2;
  /** Stable machine-readable code, for --json output. */
  code: string;
  /** The stack (and causes), for --debug. */
  detail?: string;
}

export function describeError(e: unknown): DescribedError {
  if (isDeepPriorError(e)) return { message: oneLine(e), exitCode: e.exitCode, code: e.code, detail: stackOf(e) };
  if (e instanceof CommanderError) {
    // Help and version requests arrive as errors too (exit code 0).
    if (e.exitCode === 0) return { message: '', exitCode: 0, code: e.code };
    // No command given: commander has printed the overview to stderr.
    if (e.code === 'commander.help') return { message: 'no command given: pick one of the commands listed above', exitCode: 2, code: 'USAGE' };
    const msg = oneLine(e.message).replace(/^error:\s*/i, '');
    return { message: msg, exitCode: 2, code: 'USAGE' };
  }
  const msg = e instanceof Error ? oneLine(e) : oneLine(String(e));
  return { message: `internal error: ${msg} (run with --debug for the stack)`, exitCode: 1, code: 'INTERNAL', detail: stackOf(e) };
}

function stackOf(e: unknown): string | undefined {
  const parts: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; cur !== undefined && cur !== null && depth < 5; depth++) {
    parts.push(cur instanceof Error ? (cur.stack ?? `${cur.name}: ${cur.message}`) : String(cur));
    cur = cur instanceof Error ? cur.cause : undefined;
  }
  return parts.length ? parts.join('\ncaused by: ') : undefined;
}

/** What `deep-prior` prints for an error: "deep-prior: <message>", plus the stack with --debug. */
export function formatError(d: DescribedError, debug: boolean): string {
  let out = `deep-prior: ${d.message}\n`;
  if (debug && d.detail) out += `${d.detail}\n`;
  return out;
}
