/**
 * Child processes that fit batch files in parallel (--concurrency N > 1): each takes one file at a
 * time; a child that dies (a crash, the out-of-memory killer) fails only the file it was fitting
 * and is replaced for the next one. From source (.ts) the children load through tsx.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, RunError } from '../util/errors.js';
import type { FitHooks, FitRunner } from './fit-file.js';
import type { PlannedFile } from './plan.js';
import type { FileEvent } from './progress.js';
import type { BatchRequest } from './request.js';

export type ParentMessage = { type: 'fit'; req: BatchRequest; file: PlannedFile } | { type: 'abort' };
export type ChildMessage =
  | { type: 'ready' }
  | { type: 'fraction'; fraction: number }
  | { type: 'log'; message: string }
  | { type: 'result'; event: FileEvent }
  | { type: 'error'; message: string; code: string; exitCode: number };

function childFile(): { file: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const ext = path.extname(here);
  return { file: path.join(path.dirname(here), `fit-child${ext}`), execArgv: ext === '.ts' ? ['--import', 'tsx'] : [] };
}

export class FitPool {
  private readonly idle: ChildProcess[] = [];
  private readonly all = new Set<ChildProcess>();

  /** The pool as a FitRunner. */
  readonly run: FitRunner = (req, f, hooks) => this.fit(req, f, hooks);

  private spawn(): ChildProcess {
    const { file, execArgv } = childFile();
    const child = fork(file, [], { execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    this.all.add(child);
    child.once('exit', () => this.all.delete(child));
    return child;
  }

  private async fit(req: BatchRequest, f: PlannedFile, hooks: FitHooks): Promise<FileEvent> {
    const child = this.idle.pop() ?? this.spawn();
    try {
      const event = await exchange(child, req, f, hooks);
      this.idle.push(child);
      return event;
    } catch (e) {
      if (child.connected && child.exitCode === null) this.idle.push(child);
      throw e;
    }
  }

  close(): void {
    for (const c of this.all) c.disconnect();
  }
}

/** Sends one file to a child and waits for its outcome (or its death). */
function exchange(child: ChildProcess, req: BatchRequest, f: PlannedFile, hooks: FitHooks): Promise<FileEvent> {
  return new Promise((resolve, reject) => {
    const abort = () => child.send({ type: 'abort' } satisfies ParentMessage);
    const done = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
      hooks.signal.removeEventListener('abort', abort);
    };
    const onMessage = (m: ChildMessage) => {
      if (m.type === 'fraction') hooks.onFraction(m.fraction);
      else if (m.type === 'log') hooks.onLog(m.message);
      else if (m.type === 'result' || m.type === 'error') {
        done();
        if (m.type === 'result') resolve(m.event);
        else reject(m.exitCode === 2 ? new InputError(m.message, { code: m.code }) : new RunError(m.message, { code: m.code }));
      }
    };
    const onExit = (code: number | null, signal: string | null) => {
      done();
      reject(
        new RunError(`the process fitting it ended (${signal ?? `exit code ${code}`}): out of memory, or a crash; the other files go on`, {
          code: 'FIT_PROCESS_DIED',
        }),
      );
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    hooks.signal.addEventListener('abort', abort, { once: true });
    child.send({ type: 'fit', req, file: f } satisfies ParentMessage);
  });
}
