/** In-process CLI runs for tests: captured streams, a fake restore, temporary folders. */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createImage, type Image } from '../../src/image/image.js';
import { writeImage } from '../../src/image/io-node.js';
import type { HistoryEntry, RestoreHooks, RestoreOptions, RestoreResult } from '../../src/options/index.js';
import { main, type CliDeps } from '../../src/cli/main.js';
import { AbortError } from '../../src/util/errors.js';
import { Rng } from '../../src/util/random.js';

export interface Captured {
  text: string;
  isTTY?: boolean;
  columns?: number;
  write(s: string): boolean;
}

export function capture(isTTY = false): Captured {
  return {
    text: '',
    isTTY,
    columns: 100,
    write(s: string) {
      this.text += s;
      return true;
    },
  };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[], deps: Partial<CliDeps> = {}): Promise<CliRun> {
  const stdout = capture();
  const stderr = capture();
  const code = await main(argv, { stdout, stderr, onInterrupt: () => () => {}, invocation: () => ['deep-prior'], ...deps });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The words of a command line as a POSIX shell (the real sh) reads them. */
export function shellWords(command: string): string[] {
  return execFileSync('sh', ['-c', `printf '%s\\0' ${command}`])
    .toString('utf8')
    .split('\0')
    .slice(0, -1);
}

/** The command a fitting command printed after "to continue, run:", as words. */
export function printedCommand(stderr: string): string[] {
  const prefix = 'deep-prior: to continue, run: ';
  const line = stderr.split('\n').find((l) => l.startsWith(prefix));
  if (!line) throw new Error(`no command to continue in:\n${stderr}`);
  return shellWords(line.slice(prefix.length));
}

export async function tempDir(prefix = 'deep-prior-cli-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

export function randomImage(w: number, h: number, c: 1 | 2 | 3 | 4 = 3, seed = 1): Image {
  const rng = new Rng(seed);
  const img = createImage(w, h, c);
  for (let i = 0; i < img.data.length; i++) img.data[i] = Math.round(rng.uniform() * 255) / 255;
  return img;
}

export async function writeRandomPng(file: string, w: number, h: number, c: 1 | 2 | 3 | 4 = 3, bitDepth: 8 | 16 = 8): Promise<string> {
  await writeImage(file, randomImage(w, h, c), { bitDepth });
  return file;
}

export interface FakeRestoreLog {
  calls: { options: RestoreOptions; hooks: RestoreHooks }[];
}

/**
 * A stand-in for restore(): runs `iterations` fake steps (o.iterations, default 5), reporting
 * progress, snapshots and checkpoints through the hooks like the real fit (which also saves the
 * checkpoint when it is aborted), and stops with 'aborted' when the signal fires. `interruptAt`
 * simulates a signal through `trigger` at that step (0: before the first, which the real fit
 * reports as an AbortError). Its output's pixels are iteration / total, where it stopped.
 */
export function fakeRestore(opts: { log?: FakeRestoreLog; interruptAt?: number; trigger?: () => void } = {}) {
  return async (o: RestoreOptions, hooks: RestoreHooks = {}): Promise<RestoreResult> => {
    opts.log?.calls.push({ options: o, hooks });
    const total = o.iterations ?? 5;
    const f = o.task === 'super-resolve' ? (o.scale ?? 1) : 1;
    const out = createImage(o.image.width * f, o.image.height * f, o.image.channels);
    const history: HistoryEntry[] = [];
    const resumed = await hooks.checkpoint?.load();
    let t = resumed ? resumed.iteration : 0;
    let stopReason: RestoreResult['stopReason'] = 'fixed';
    while (t < total) {
      if (opts.interruptAt === t) opts.trigger?.();
      if (hooks.signal?.aborted) {
        stopReason = 'aborted';
        break;
      }
      t++;
      out.data.fill(t / total);
      const e: HistoryEntry = {
        iteration: t,
        loss: 1 / t,
        seconds: t / 10,
        ...(o.reference && { psnr: 20 + t }),
        ...(o.stop === 'watch' && { stopStatistic: 10 / t }),
      };
      history.push(e);
      hooks.onProgress?.({ ...e, total, iterationsPerSecond: 10, etaSeconds: (total - t) / 10 });
      if (hooks.onSnapshot && hooks.snapshotEvery && t % hooks.snapshotEvery === 0) await hooks.onSnapshot(t, out);
      if (hooks.checkpointEvery && t % hooks.checkpointEvery === 0) await fakeCheckpoint(hooks, t, history);
    }
    if (stopReason === 'aborted') {
      await fakeCheckpoint(hooks, t, history);
      if (t === (resumed?.iteration ?? 0)) throw new AbortError('the run was aborted before the first iteration finished');
    }
    return {
      image: out,
      iterations: t,
      stopReason,
      bestIteration: t,
      history,
      seconds: t / 10,
      backend: 'fake',
      options: { task: o.task, iterations: total, lr: o.lr ?? 0.01, seed: o.seed ?? 0 },
      recoveries: 0,
      // --stop watch: the fake rule "fires" two iterations before the end and picks the one before.
      ...(o.stop === 'watch' && total > 3 && { watched: { stoppedAt: total - 2, iteration: total - 3, image: out, reason: 'fake rule fired' } }),
    };
  };
}

async function fakeCheckpoint(hooks: RestoreHooks, t: number, history: HistoryEntry[]): Promise<void> {
  await hooks.checkpoint?.save({
    version: 1,
    fingerprint: 'fake',
    iteration: t,
    params: [new Float32Array([t, 2])],
    m: [new Float32Array(2)],
    v: [new Float32Array(2)],
    z: new Float32Array(3),
    avg: null,
    history,
    best: null,
  });
}
