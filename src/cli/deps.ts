/**
 * What the CLI needs from the outside world, injectable so tests run `main()` in process with a
 * fake restore, captured streams and simulated signals.
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { RestoreHooks, RestoreOptions, RestoreResult } from '../options/index.js';
import type { Plan } from '../plan/types.js';
import type { PlanHooks } from '../restore/index.js';
import { PACKAGE_ROOT, packageVersion } from '../util/version-node.js';
import type { SearchHooks } from '../autoarch/procedure.js';
import type { SearchSummary } from '../search/types.js';
import { invocationOf } from './invocation.js';
import { nodeCudaSetup, type CudaSetupEnv } from './cuda-setup-env.js';
import type { OutStream } from './progress.js';

export type RestoreFn = (options: RestoreOptions, hooks?: RestoreHooks) => Promise<RestoreResult>;
export type PlanFn = (options: RestoreOptions, hooks?: PlanHooks) => Promise<Plan>;
export type SearchFn = (options: RestoreOptions, hooks?: SearchHooks) => Promise<SearchSummary>;

export interface CliDeps {
  /** The library's restore (default: src/node.ts, loaded on first use so --help and metrics start fast). */
  restore: RestoreFn;
  /** The library's plan (default: src/node.ts), for `deep-prior plan`. */
  plan: PlanFn;
  /** The architecture search alone (default: src/node.ts's searchArchitecture, loaded on first use). */
  search: SearchFn;
  /** Results, --json events, help. */
  stdout: OutStream;
  /** Progress bar, log lines, errors. */
  stderr: OutStream;
  /** Milliseconds clock for progress throttling. */
  now: () => number;
  /**
   * Installs a handler of the stop signals (SIGINT, SIGTERM, SIGHUP) and returns its uninstaller.
   * The default calls `handler` on the first signal and exits at once on a second one.
   */
  onInterrupt: (handler: (signal: StopSignal) => void) => () => void;
  /** The words that start deep-prior again as this process was started (for the command that continues a run). */
  invocation: () => string[];
  /** Cores of this machine (more --threads than this are capped). */
  cpuCount: number;
  /** What `setup cuda` checks and runs (loaded on first use). */
  cudaSetup: () => CudaSetupEnv;
  /** deep-prior's version, for --version and reports. */
  version: string;
  /** Folder of the bundled example images (demo). */
  examplesDir: string;
}

/** The signals that stop a fit: Ctrl-C; `kill`, `timeout`, systemd and container runtimes; a closed terminal. */
export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
export const STOP_SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** A shell's exit code for a process ended by the signal: 128 + its number. */
export const SIGNAL_EXIT_CODES: Readonly<Record<StopSignal, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/** What signal handling needs from the process (a fake one in tests). */
export interface SignalTarget {
  on(signal: StopSignal, listener: () => void): unknown;
  off(signal: StopSignal, listener: () => void): unknown;
  exit(code: number): void;
  stderr: OutStream;
}

/** The first stop signal calls `handler`; a second one (any of them) quits at once with its exit code. */
export function handleStopSignals(target: SignalTarget, handler: (signal: StopSignal) => void): () => void {
  let count = 0;
  const listeners = STOP_SIGNALS.map((signal) => {
    const listener = () => {
      count++;
      if (count === 1) return handler(signal);
      target.stderr.write(`\ndeep-prior: ${signal} again: quitting without saving\n`);
      target.exit(SIGNAL_EXIT_CODES[signal]);
    };
    target.on(signal, listener);
    return [signal, listener] as const;
  });
  return () => {
    for (const [signal, listener] of listeners) target.off(signal, listener);
  };
}

const processSignals: SignalTarget = {
  on: (signal, listener) => process.on(signal, listener),
  off: (signal, listener) => process.off(signal, listener),
  exit: (code) => process.exit(code),
  stderr: process.stderr,
};

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
    search: async (options, hooks) => {
      const { searchArchitecture } = await import('../node.js');
      return searchArchitecture(options, hooks);
    },
    stdout: process.stdout,
    stderr: process.stderr,
    now: () => performance.now(),
    onInterrupt: (handler) => handleStopSignals(processSignals, handler),
    invocation: () => invocationOf(process),
    cpuCount: availableParallelism(),
    cudaSetup: nodeCudaSetup,
    version: packageVersion(),
    examplesDir: fileURLToPath(new URL('examples/', PACKAGE_ROOT)),
  };
}
