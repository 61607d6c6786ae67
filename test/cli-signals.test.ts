/**
 * Stop signals during a fit: SIGINT, SIGTERM and SIGHUP stop after the current step, save the best
 * result so far (and the checkpoint) and exit 130 / 143 / 129; a second signal quits at once.
 * Signals are simulated through the injected `onInterrupt` (the real ones: cli-resume-e2e.test.ts).
 */
import { EventEmitter } from 'node:events';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleStopSignals, type StopSignal } from '../src/cli/deps.js';
import { whenStepEnds } from '../src/cli/interrupt.js';
import type { Progress, RestoreHooks, RestoreOptions, RestoreResult } from '../src/options/index.js';
import { capture, fakeRestore, runCli, tempDir, writeRandomPng } from './helpers/cli.js';
import { readImage } from '../src/image/io-node.js';

let dir: string;
let input: string;
const p = (name: string) => path.join(dir, name);

beforeAll(async () => {
  dir = await tempDir('deep-prior-signals-');
  input = await writeRandomPng(p('in.png'), 16, 16);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** deps that deliver `signal` when the fake fit reaches `at`. */
function signalAt(signal: StopSignal, at: number) {
  let handler: (s: StopSignal) => void = () => {};
  return {
    restore: fakeRestore({ interruptAt: at, trigger: () => handler(signal) }),
    onInterrupt: (h: (s: StopSignal) => void) => {
      handler = h;
      return () => {};
    },
  };
}

describe('a stop signal during the fit', () => {
  it.each([
    ['SIGINT', 130, 'Ctrl-C \\(SIGINT\\)', 'press Ctrl-C again'],
    ['SIGTERM', 143, 'SIGTERM', 'send SIGTERM again'],
    ['SIGHUP', 129, 'SIGHUP', 'send SIGHUP again'],
  ] as const)('%s: stops after the step, saves the best result and the checkpoint, exits %d', async (signal, code, who, again) => {
    const out = p(`${signal}.png`);
    const ckpt = p(`${signal}.ckpt`);
    const r = await runCli(['denoise', input, '-o', out, '--iterations', '10', '--checkpoint', ckpt, '--checkpoint-every', '100'], signalAt(signal, 4));
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(
      new RegExp(`interrupted by ${who}: stopping after this step and saving the best result so far and a checkpoint \\(${again} to quit`),
    );
    expect(r.stderr).toMatch(/interrupted at iteration 4: the best result so far \(iteration 4\)/);
    expect((await readImage(out)).image.data[0]).toBeCloseTo(0.4, 2); // the fake's pixels: iteration / total
    await expect(fs.stat(ckpt)).resolves.toBeTruthy(); // saved at the interruption (no periodic save before 100)
  });

  it('before the first step ended: nothing to save, the signal exit code, no output', async () => {
    const r = await runCli(['denoise', input, '-o', p('early.png'), '--iterations', '10'], signalAt('SIGTERM', 0));
    expect(r.code).toBe(143);
    expect(r.stderr).toMatch(/\(the first step is still running\)/);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe('deep-prior: interrupted by SIGTERM before the first iteration finished: nothing to save');
    await expect(fs.stat(p('early.png'))).rejects.toThrow();
  });

  it('a long step: the message says roughly when it ends (injected clock)', async () => {
    let handler: (s: StopSignal) => void = () => {};
    let clock = 0;
    // Steps of 20 s: the signal comes 5 s after the last one ended.
    const slow = async (o: RestoreOptions, hooks: RestoreHooks = {}): Promise<RestoreResult> => {
      hooks.onProgress?.({ iteration: 1, total: 9, loss: 1, seconds: 20, iterationsPerSecond: 0.05, etaSeconds: 160 });
      clock += 5000;
      handler('SIGTERM');
      return fakeRestore()({ ...o, iterations: 1 }, hooks);
    };
    const r = await runCli(['denoise', input, '-o', p('slow.png')], {
      restore: slow,
      now: () => clock,
      onInterrupt: (h) => {
        handler = h;
        return () => {};
      },
    });
    expect(r.code, r.stderr).toBe(143);
    expect(r.stderr).toMatch(/interrupted by SIGTERM: stopping after this step \(in about 0:15\) and saving/);
  });

  it('whenStepEnds: nothing for short steps, the time left for long ones, at least a second', () => {
    const latest = (rate: number, at = 0) => ({
      progress: { iteration: 3, total: 9, loss: 1, seconds: 1, iterationsPerSecond: rate, etaSeconds: 1 } as Progress,
      at,
    });
    expect(whenStepEnds(latest(10), 50)).toBe('');
    expect(whenStepEnds(latest(0.01), 10_000)).toBe(' (in about 1:30)');
    expect(whenStepEnds(latest(0.5), 60_000)).toBe(' (in about 0:01)'); // overdue: "about a second"
    expect(whenStepEnds(null, 0)).toBe(' (the first step is still running)');
  });
});

describe('the default signal handler', () => {
  function fakeProcess() {
    const emitter = new EventEmitter();
    const exits: number[] = [];
    const stderr = capture();
    const target = {
      on: (s: StopSignal, l: () => void) => emitter.on(s, l),
      off: (s: StopSignal, l: () => void) => emitter.off(s, l),
      exit: (code: number) => void exits.push(code),
      stderr,
    };
    return { emitter, exits, stderr, target };
  }

  it('the first of SIGINT/SIGTERM/SIGHUP calls the handler; a second quits at once with its own code', () => {
    const { emitter, exits, stderr, target } = fakeProcess();
    const seen: StopSignal[] = [];
    const uninstall = handleStopSignals(target, (s) => seen.push(s));
    emitter.emit('SIGTERM');
    expect(seen).toEqual(['SIGTERM']);
    expect(exits).toEqual([]);
    emitter.emit('SIGHUP');
    expect(seen).toEqual(['SIGTERM']);
    expect(exits).toEqual([129]);
    expect(stderr.text).toBe('\ndeep-prior: SIGHUP again: quitting without saving\n');
    uninstall();
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) expect(emitter.listenerCount(s), s).toBe(0);
  });
});
