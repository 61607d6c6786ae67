/**
 * A stop signal during a fit (Ctrl-C, SIGTERM from `timeout`/systemd/a container runtime, SIGHUP
 * from a closed terminal): the fit stops after the current step and the command saves what it has.
 * The message says when that step should end, as steps of a large photo take seconds.
 */
import type { Progress } from '../options/index.js';
import { SIGNAL_EXIT_CODES, type CliDeps, type StopSignal } from './deps.js';
import { formatDuration, type ProgressReporter } from './progress.js';

export class InterruptWatch {
  /** The signal that stopped the fit, once one came. */
  signal: StopSignal | null = null;
  private readonly controller = new AbortController();
  private readonly uninstall: () => void;

  constructor(
    deps: Pick<CliDeps, 'onInterrupt' | 'now'>,
    reporter: ProgressReporter,
    /** What is saved, for the message: "the best result so far and a checkpoint". */
    saved: string,
  ) {
    this.uninstall = deps.onInterrupt((signal) => {
      this.signal = signal;
      this.controller.abort();
      reporter.log(interruptMessage(signal, saved, reporter.latest, deps.now()));
    });
  }

  get abortSignal(): AbortSignal {
    return this.controller.signal;
  }

  /** The exit code after the fit: the signal's (130 INT, 143 TERM, 129 HUP), or null when none came. */
  get exitCode(): number | null {
    return this.signal && SIGNAL_EXIT_CODES[this.signal];
  }

  stop(): void {
    this.uninstall();
  }
}

/** Steps shorter than this are "after this step"; longer ones also say roughly when it ends. */
const LONG_STEP_SECONDS = 1;

export function interruptMessage(signal: StopSignal, saved: string, latest: { progress: Progress; at: number } | null, now: number): string {
  const who = signal === 'SIGINT' ? 'Ctrl-C (SIGINT)' : signal;
  const again = signal === 'SIGINT' ? 'press Ctrl-C again' : `send ${signal} again`;
  return `interrupted by ${who}: stopping after this step${whenStepEnds(latest, now)} and saving ${saved} (${again} to quit at once without saving)`;
}

/** " (in about 0:12)" for a long step, "" for a short one. */
export function whenStepEnds(latest: { progress: Progress; at: number } | null, now: number): string {
  if (!latest) return ' (the first step is still running)';
  const step = 1 / latest.progress.iterationsPerSecond;
  if (!Number.isFinite(step) || step < LONG_STEP_SECONDS) return '';
  const left = Math.max(1, step - (now - latest.at) / 1000);
  return ` (in about ${formatDuration(left)})`;
}
