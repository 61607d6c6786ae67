/**
 * What the CLI needs from the outside world, injectable so tests run `main()` in process with a
 * fake restore, captured streams and a simulated Ctrl-C.
 */
import { fileURLToPath } from 'node:url';
import type { RestoreHooks, RestoreOptions, RestoreResult } from '../options/index.js';
import type { Plan } from '../plan/types.js';
import type { PlanHooks } from '../restore/index.js';
import { PACKAGE_ROOT, packageVersion } from '../util/version-node.js';
import type { OutStream } from './progress.js';

export type RestoreFn = (options: RestoreOptions, hooks?: RestoreHooks) => Promise<RestoreResult>;
export type PlanFn = (options: RestoreOptions, hooks?: PlanHooks) => Promise<Plan>;

export interface CliDeps {
  /** The library's restore (default: src/node.ts, loaded on first use so --help and metrics start fast). */
  restore: RestoreFn;
  /** The library's plan (default: src/node.ts), for `deep-prior plan`. */
  plan: PlanFn;
  /** Results, --json events, help. */
  stdout: OutStream;
  /** Progress bar, log lines, errors. */
  stderr: OutStream;
  /** Milliseconds clock for progress throttling. */
  now: () => number;
  /**
   * Installs a Ctrl-C handler and returns its uninstaller. The default calls `handler` on the
   * first SIGINT and exits at once (code 130) on the second.
   */
  onInterrupt: (handler: () => void) => () => void;
  /** deep-prior's version, for --version and reports. */
  version: string;
  /** Folder of the bundled example images (demo). */
  examplesDir: string;
}

function sigint(handler: () => void): () => void {
  let count = 0;
  const listener = () => {
    count++;
    if (count === 1) handler();
    else {
      process.stderr.write('\ndeep-prior: interrupted twice, quitting without saving\n');
      process.exit(130);
    }
  };
  process.on('SIGINT', listener);
  return () => process.off('SIGINT', listener);
}

export function defaultDeps(): CliDeps {
  return {
    restore: async (options, hooks) => {
      const { restore } = await import('../node.js');
      return restore(options, hooks);
    },
    plan: async (options, hooks) => {
      const { plan } = await import('../node.js');
      return plan(options, hooks);
    },
    stdout: process.stdout,
    stderr: process.stderr,
    now: () => performance.now(),
    onInterrupt: sigint,
    version: packageVersion(),
    examplesDir: fileURLToPath(new URL('examples/', PACKAGE_ROOT)),
  };
}
