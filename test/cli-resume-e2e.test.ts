/**
 * Interrupt and resume through the real fit (onnxruntime-node, CPU, one thread): a run stopped by
 * SIGTERM — simulated in process, and real, sent to the CLI running as a child process after its
 * first progress line — exits 143 leaving the best image and a checkpoint; the command it prints
 * continues from the checkpoint's iteration and ends exactly where an uninterrupted run with the
 * same seed ends (every loss and every output pixel).
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StopSignal } from '../src/cli/deps.js';
import { decodeCheckpoint } from '../src/cli/checkpoint-node.js';
import { readImage } from '../src/image/io-node.js';
import { restore } from '../src/node.js';
import { printedCommand, runCli, tempDir, writeRandomPng } from './helpers/cli.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ITERATIONS = 80;
let dir: string;
let input: string;
const p = (name: string) => path.join(dir, name);
/** A small, fast fit: 32×32, 8 channels, fixed length, one CPU thread. */
const fitArgs = () => ['--iterations', String(ITERATIONS), '--stop', 'fixed', '--channels', '8', '--seed', '7', '--backend', 'cpu', '--threads', '1'];

interface Finished {
  losses: number[];
  pixels: Float32Array;
}

async function finished(out: string, report: string): Promise<Finished> {
  const r = JSON.parse(await fs.readFile(report, 'utf8')) as { iterations: number; history: { iteration: number; loss: number }[] };
  expect(r.iterations).toBe(ITERATIONS);
  expect(r.history.map((h) => h.iteration)).toEqual(Array.from({ length: ITERATIONS }, (_, i) => i + 1));
  return { losses: r.history.map((h) => h.loss), pixels: (await readImage(out)).image.data };
}

let whole: Finished;
beforeAll(async () => {
  dir = await tempDir('deep-prior-resume-e2e-');
  input = await writeRandomPng(p('in.png'), 32, 32);
  const r = await runCli(['denoise', input, '-o', p('whole.png'), '--report', p('whole.json'), ...fitArgs(), '--quiet'], { restore });
  expect(r.code, r.stderr).toBe(0);
  whole = await finished(p('whole.png'), p('whole.json'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

it('simulated SIGTERM at iteration 3, then the printed command: the uninterrupted result', async () => {
  let handler: (s: StopSignal) => void = () => {};
  const r = await runCli(['denoise', input, '-o', p('sim.png'), '--report', p('sim.json'), ...fitArgs()], {
    restore: (o, hooks = {}) =>
      restore(o, {
        ...hooks,
        onProgress: (q) => {
          hooks.onProgress?.(q);
          if (q.iteration === 3) handler('SIGTERM');
        },
      }),
    onInterrupt: (h) => {
      handler = h;
      return () => {};
    },
  });
  expect(r.code, r.stderr).toBe(143);
  expect(decodeCheckpoint(await fs.readFile(p('sim.png.dpckpt'))).iteration).toBe(3);
  const words = printedCommand(r.stderr);
  expect(words[0]).toBe('deep-prior');
  const again = await runCli(words.slice(1), { restore });
  expect(again.code, again.stderr).toBe(0);
  expect(again.stderr).toMatch(/resuming from iteration 3/);
  const resumed = await finished(p('sim.png'), p('sim.json'));
  expect(resumed.losses).toEqual(whole.losses);
  expect(resumed.pixels).toEqual(whole.pixels);
});

/** Runs a command line in a child process; `onStderr` sees its error output as it comes. */
function child(cmd: string, args: string[], onStderr: (text: string, proc: ReturnType<typeof spawn>) => void = () => {}) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve, reject) => {
    const proc = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      onStderr(stderr, proc);
    });
    proc.on('error', reject);
    proc.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

it('a real SIGTERM to the CLI after its first progress line: exit 143, best image and checkpoint; the printed command finishes the fit', async () => {
  const out = p('real.png');
  let sent = false;
  const first = await child(
    'node',
    ['--import', 'tsx', 'src/cli/main.ts', 'denoise', input, '-o', out, '--report', p('real.json'), ...fitArgs()],
    (text, proc) => {
      if (!sent && /^iteration \d+\//m.test(text)) {
        sent = true;
        proc.kill('SIGTERM');
      }
    },
  );
  expect(first.signal, first.stderr).toBeNull(); // handled, not killed by it
  expect(first.code, first.stderr).toBe(143);
  expect(first.stderr).toMatch(/interrupted by SIGTERM: stopping after this step/);
  const stoppedAt = decodeCheckpoint(await fs.readFile(`${out}.dpckpt`)).iteration;
  expect(stoppedAt).toBeGreaterThan(0);
  expect(stoppedAt).toBeLessThan(ITERATIONS);
  expect((await readImage(out)).image).toMatchObject({ width: 32, height: 32 });

  const words = printedCommand(first.stderr);
  expect(words.slice(0, 4)).toEqual(['node', '--import', 'tsx', path.join(ROOT, 'src/cli/main.ts')]);
  const second = await child(words[0], words.slice(1));
  expect(second.code, second.stderr).toBe(0);
  expect(second.stderr).toContain(`resuming from iteration ${stoppedAt}`);
  const resumed = await finished(out, p('real.json'));
  expect(resumed.losses).toEqual(whole.losses);
  expect(resumed.pixels).toEqual(whole.pixels);
});
