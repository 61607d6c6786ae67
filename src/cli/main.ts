#!/usr/bin/env node
/**
 * The `deep-prior` command. `main(argv, deps)` runs one command line in process and returns its
 * exit code (0 success, 1 run-time failure, 2 bad usage or input); `deps` lets tests inject a fake
 * restore, captured streams and a simulated Ctrl-C. Run directly, it sets process.exitCode.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultDeps, type CliDeps } from './deps.js';
import { describeError, formatError } from './errors.js';
import { buildProgram } from './program.js';
import { toJsonLine } from './progress.js';

export type { CliDeps } from './deps.js';

/** `argv` is the user's arguments only (process.argv.slice(2)). */
export async function main(argv: string[], deps: Partial<CliDeps> = {}): Promise<number> {
  const d: CliDeps = { ...defaultDeps(), ...deps };
  let code = 0;
  const program = buildProgram(d, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    const err = describeError(e);
    if (err.exitCode === 0) return 0; // --help, --version
    if (err.code === 'USAGE') {
      const cmd = program.commands.find((c) => c.name() === argv[0]);
      err.message += `; see deep-prior ${cmd ? `${cmd.name()} ` : ''}--help`;
    }
    if (argv.includes('--json')) d.stdout.write(toJsonLine({ type: 'error', code: err.code, message: err.message, exitCode: err.exitCode }));
    d.stderr.write(formatError(err, argv.includes('--debug')));
    return err.exitCode;
  }
}

function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  // `deep-prior --help | head`: a closed pipe ends the output, not the process with a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  // A closed terminal (SIGHUP) or log pipe: progress is lost, but the fit still saves its result.
  process.stderr.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && e.code !== 'EIO') throw e;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`deep-prior: internal error: ${String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
