/**
 * Errors that deep-prior reports to its users. Each carries a stable machine-readable `code`
 * (for `--json` output and library callers) and the process exit code the CLI should use:
 * 2 = bad usage or bad input (the user can fix it), 1 = failure at run time.
 * Messages are one line that says what is wrong and what to do about it.
 */
export type ExitCode = 1 | 2;

export interface ErrorOptions {
  code?: string;
  cause?: unknown;
  /** The option the error is about, as the library names it ('regNoise'), when there is one. */
  option?: string;
}

export class DeepPriorError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly option?: string;

  constructor(message: string, opts: ErrorOptions & { exitCode?: ExitCode } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = opts.code ?? 'ERROR';
    this.exitCode = opts.exitCode ?? 1;
    if (opts.option !== undefined) this.option = opts.option;
  }
}

/** Bad user input: a missing or unreadable file, an invalid option value, mismatched sizes. Exit code 2. */
export class InputError extends DeepPriorError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super(message, { code: opts.code ?? 'BAD_INPUT', cause: opts.cause, option: opts.option, exitCode: 2 });
  }
}

/**
 * An image value that breaks the Image invariants (wrong buffer length, bad size, crop out of
 * bounds). Usually reached from user-supplied sizes or crops, hence a kind of InputError.
 */
export class ImageError extends InputError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super(message, { code: opts.code ?? 'INVALID_IMAGE', cause: opts.cause, option: opts.option });
  }
}

/** Something failed while running (I/O, runtime, numerical divergence). Exit code 1. */
export class RunError extends DeepPriorError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super(message, { code: opts.code ?? 'RUN_FAILED', cause: opts.cause, exitCode: 1 });
  }
}

export function isDeepPriorError(e: unknown): e is DeepPriorError {
  return e instanceof DeepPriorError;
}

/** Collapses a foreign (library) error message to one line, for embedding in our messages. */
export function oneLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.replace(/\s+/g, ' ').trim();
}

/**
 * An invalid computation graph (shape mismatch, bad op arguments). A programming error inside
 * deep-prior rather than something the user typed, hence exit code 1.
 */
export class GraphError extends DeepPriorError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super(message, { code: opts.code ?? 'GRAPH_INVALID', cause: opts.cause, exitCode: 1 });
  }
}

/** The compute engine failed (provider missing, session error, out of memory). Exit code 1. */
export class EngineError extends RunError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super(message, { code: opts.code ?? 'ENGINE_FAILED', cause: opts.cause });
  }
}

/** The run was cancelled through an AbortSignal or Ctrl-C. Exit code 1. */
export class AbortError extends RunError {
  constructor(message = 'the run was aborted', opts: ErrorOptions = {}) {
    super(message, { code: opts.code ?? 'ABORTED', cause: opts.cause });
  }
}
