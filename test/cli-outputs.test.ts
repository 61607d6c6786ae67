/** What the fitting commands write: output image, report, snapshots, checkpoints; Ctrl-C; --json. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImage, writeImage } from '../src/image/io-node.js';
import { createImage } from '../src/image/image.js';
import { decodeCheckpoint } from '../src/cli/checkpoint-node.js';
import { DEMO_ITERATIONS } from '../src/cli/demo.js';
import type { StopSignal } from '../src/cli/deps.js';
import { fakeRestore, runCli, tempDir, writeRandomPng, type FakeRestoreLog } from './helpers/cli.js';

let dir: string;
let input: string;
let clean: string;
const p = (name: string) => path.join(dir, name);

/** Every file under `d`, relative paths. */
async function listFiles(d: string): Promise<string[]> {
  const entries = await fs.readdir(d, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(d, path.join(e.parentPath, e.name)));
}

beforeAll(async () => {
  dir = await tempDir();
  input = await writeRandomPng(p('in.png'), 32, 32);
  clean = await writeRandomPng(p('clean.png'), 32, 32);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('a full run with every output', () => {
  let files: string[];
  // biome-ignore lint/suspicious/noExplicitAny: a parsed JSON document whose keys the assertions walk
  let report: Record<string, any>;
  let stdout: string;
  let stderr: string;
  let log: FakeRestoreLog;
  beforeAll(async () => {
    log = { calls: [] };
    const out = p('run1/nested/out.png'); // parent folders are created
    const r = await runCli(
      [
        'denoise',
        input,
        '-o',
        out,
        '--iterations',
        '6',
        '--seed',
        '3',
        '--lr',
        '1/50',
        '--reference',
        clean,
        '--report',
        p('run1/report.json'),
        '--snapshots',
        p('run1/snaps'),
        '--every',
        '2',
        '--checkpoint',
        p('run1/fit.ckpt'),
        '--checkpoint-every',
        '3',
      ],
      { restore: fakeRestore({ log }) },
    );
    expect(r.code, r.stderr).toBe(0);
    stdout = r.stdout;
    stderr = r.stderr;
    files = await listFiles(p('run1'));
    report = JSON.parse(await fs.readFile(p('run1/report.json'), 'utf8'));
  });

  it('passes the parsed settings and images to restore', () => {
    const { options, hooks } = log.calls[0];
    expect(options).toMatchObject({ task: 'denoise', iterations: 6, seed: 3, lr: 0.02 });
    expect(options.image).toMatchObject({ width: 32, height: 32, channels: 3 });
    expect(options.reference).toMatchObject({ width: 32, height: 32 });
    expect(hooks).toMatchObject({ snapshotEvery: 2, checkpointEvery: 3 });
    expect(hooks.signal).toBeInstanceOf(AbortSignal);
  });

  it('writes the output, snapshots, checkpoint and report, and no temporary file', () => {
    expect(files.sort()).toEqual(['fit.ckpt', 'nested/out.png', 'report.json', 'snaps/iter-000002.png', 'snaps/iter-000004.png', 'snaps/iter-000006.png']);
  });

  it('the report has the documented shape', () => {
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining([
        'task',
        'options',
        'backend',
        'iterations',
        'stopReason',
        'bestIteration',
        'seconds',
        'history',
        'recoveries',
        'input',
        'output',
        'version',
      ]),
    );
    expect(report).toMatchObject({ task: 'denoise', backend: 'fake', iterations: 6, stopReason: 'fixed', bestIteration: 6, seconds: 0.6, recoveries: 0 });
    expect(report.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(report.options).toMatchObject({ task: 'denoise', iterations: 6, seed: 3, lr: 0.02, bitDepth: 8 });
    expect(report.history).toHaveLength(6);
    for (const h of report.history) expect(Object.keys(h)).toEqual(['iteration', 'loss', 'psnr', 'seconds']);
    expect(report.history[0]).toEqual({ iteration: 1, loss: 1, psnr: 21, seconds: 0.1 });
    expect(report.input).toEqual({ path: input, width: 32, height: 32, channels: 3, bitDepth: 8, format: 'png' });
    expect(report.output).toMatchObject({ width: 32, height: 32, channels: 3, bitDepth: 8, format: 'png' });
    expect(report.reference).toMatchObject({ path: clean, border: 0 });
    expect(typeof report.reference.psnr).toBe('number');
    expect(typeof report.reference.ssim).toBe('number');
  });

  it('the checkpoint holds the last saved state', async () => {
    const ck = decodeCheckpoint(await fs.readFile(p('run1/fit.ckpt')));
    expect(ck.iteration).toBe(6);
    expect(Array.from(ck.params[0])).toEqual([6, 2]);
  });

  it('prints a summary and the final PSNR/SSIM; plain progress lines on a non-terminal', () => {
    expect(stdout).toMatch(/^wrote .*out\.png: 6 iterations in 0:01 on fake \(fixed iteration count; result from iteration 6\)$/m);
    expect(stdout).toMatch(/^PSNR \d+\.\d\d dB, SSIM -?\d\.\d{4} against .*clean\.png$/m);
    expect(stderr).toMatch(/^iteration 6\/6 {2}loss 0\.1667 {2}PSNR 26\.00 dB/m);
    expect(stderr).not.toMatch(/\r/);
  });
});

describe('image format rules', () => {
  it('keeps 16 bits and alpha, unless --bit-depth 8', async () => {
    const in16 = await writeRandomPng(p('in16.png'), 16, 16, 4, 16);
    let r = await runCli(['denoise', in16, '-o', p('out16.png'), '--quiet'], { restore: fakeRestore() });
    expect(r.code, r.stderr).toBe(0);
    const o16 = await readImage(p('out16.png'));
    expect(o16.bitDepth).toBe(16);
    expect(o16.image.channels).toBe(4);
    r = await runCli(['denoise', in16, '-o', p('out8.png'), '--quiet', '--bit-depth', '8'], { restore: fakeRestore() });
    expect(r.code).toBe(0);
    expect((await readImage(p('out8.png'))).bitDepth).toBe(8);
  });

  it('super-resolve: scale × the input, PSNR border = scale by default', async () => {
    const hr = await writeRandomPng(p('hr.png'), 64, 64);
    const small = await writeRandomPng(p('small.png'), 16, 16);
    const r = await runCli(['super-resolve', small, '--scale', '4', '-o', p('sr.png'), '--reference', hr, '--report', p('sr.json'), '--quiet'], {
      restore: fakeRestore(),
    });
    expect(r.code, r.stderr).toBe(0);
    expect((await readImage(p('sr.png'))).image.width).toBe(64);
    const rep = JSON.parse(await fs.readFile(p('sr.json'), 'utf8'));
    expect(rep.reference.border).toBe(4);
  });
});

describe('masks', () => {
  it('--mask-invert swaps known and unknown; --mask-color keys a colour', async () => {
    const maskImg = createImage(32, 32, 1);
    maskImg.data.fill(1);
    maskImg.data.fill(0, 0, 32); // first row black = to fill
    await writeImage(p('m.png'), maskImg);
    const log: FakeRestoreLog = { calls: [] };
    let r = await runCli(['inpaint', input, '--mask', p('m.png'), '-o', p('inp1.png'), '--quiet'], { restore: fakeRestore({ log }) });
    expect(r.code, r.stderr).toBe(0);
    expect(log.calls[0].options.mask!.data[0]).toBe(0);
    expect(log.calls[0].options.mask!.data[32]).toBe(1);
    r = await runCli(['inpaint', input, '--mask', p('m.png'), '--mask-invert', '-o', p('inp2.png'), '--quiet'], { restore: fakeRestore({ log }) });
    expect(log.calls[1].options.mask!.data[0]).toBe(1);

    const wm = createImage(32, 32, 3);
    wm.data.fill(0.5);
    for (let i = 0; i < 10; i++) wm.data.set([1, 0, 0], i * 3); // 10 red pixels
    await writeImage(p('wm.png'), wm);
    r = await runCli(['inpaint', p('wm.png'), '--mask-color', 'red', '--mask-tolerance', '10', '-o', p('inp3.png')], { restore: fakeRestore({ log }) });
    expect(r.code, r.stderr).toBe(0);
    const m = log.calls[2].options.mask!;
    expect(m.data.reduce((s, v) => s + (1 - v), 0)).toBe(10);
    expect(r.stderr).toMatch(/--mask-color red: 10 pixel\(s\) \(0\.98%\) to fill/);
  });
});

describe('Ctrl-C', () => {
  it('writes the best result so far, names it, and exits 130; --resume continues from the checkpoint', async () => {
    let handler: (s: StopSignal) => void = () => {};
    const onInterrupt = (h: (s: StopSignal) => void) => {
      handler = h;
      return () => {};
    };
    const r = await runCli(
      ['denoise', input, '-o', p('partial.png'), '--iterations', '10', '--checkpoint', p('c.ckpt'), '--checkpoint-every', '2', '--report', p('partial.json')],
      {
        restore: fakeRestore({ interruptAt: 5, trigger: () => handler('SIGINT') }),
        onInterrupt,
      },
    );
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/interrupted by Ctrl-C \(SIGINT\): stopping after this step and saving/);
    expect(r.stderr.trimEnd().split('\n').at(-2)).toMatch(
      /^deep-prior: interrupted at iteration 5: the best result so far \(iteration 5\) is in .*partial\.png; checkpoint saved to .*c\.ckpt$/,
    );
    expect(r.stderr.trimEnd().split('\n').at(-1)).toMatch(/^deep-prior: to continue, run: deep-prior denoise .* --checkpoint .*c\.ckpt --resume$/);
    await expect(fs.stat(p('partial.png'))).resolves.toBeTruthy();
    expect(JSON.parse(await fs.readFile(p('partial.json'), 'utf8')).stopReason).toBe('aborted');

    const again = await runCli(
      ['denoise', input, '-o', p('resumed.png'), '--iterations', '10', '--checkpoint', p('c.ckpt'), '--resume', '--report', p('resumed.json'), '--quiet'],
      {
        restore: fakeRestore(),
      },
    );
    expect(again.code, again.stderr).toBe(0);
    const rep = JSON.parse(await fs.readFile(p('resumed.json'), 'utf8'));
    expect(rep.iterations).toBe(10);
    expect(rep.history[0].iteration).toBe(6); // continued from the checkpoint saved at the interruption (iteration 5)
  });
});

describe('output modes', () => {
  it('--json: NDJSON events on stdout, nothing else', async () => {
    const r = await runCli(['denoise', input, '-o', p('j.png'), '--iterations', '3', '--json', '--snapshots', p('jsnaps'), '--every', '1'], {
      restore: fakeRestore(),
    });
    expect(r.code).toBe(0);
    const events = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.map((e) => e.type)).toEqual(['start', 'log', 'progress', 'snapshot', 'progress', 'snapshot', 'progress', 'snapshot', 'done']);
    expect(events.at(-1)).toMatchObject({ type: 'done', iterations: 3, stopReason: 'fixed', bestIteration: 3, backend: 'fake' });
    expect(r.stderr).toBe('');
  });

  it('--quiet: silent on success', async () => {
    const r = await runCli(['denoise', input, '-o', p('q.png'), '--quiet'], { restore: fakeRestore() });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('a terminal gets a bar redrawn in place', async () => {
    const { capture } = await import('./helpers/cli.js');
    const { main } = await import('../src/cli/main.js');
    const stderr = capture(true);
    const stdout = capture();
    const code = await main(['denoise', input, '-o', p('tty.png'), '--iterations', '4'], {
      stdout,
      stderr,
      restore: fakeRestore(),
      onInterrupt: () => () => {},
    });
    expect(code).toBe(0);
    expect(stderr.text).toMatch(/\r\[█+\] 4\/4 {2}loss/);
    expect(stderr.text.endsWith('\n')).toBe(true);
  });
});

describe('--threads', () => {
  it('above the core count: capped to it, with one line saying so; within it: as given; out of range: refused first', async () => {
    const log: FakeRestoreLog = { calls: [] };
    const r = await runCli(['denoise', input, '-o', p('t8.png'), '--threads', '8', '--iterations', '2'], { restore: fakeRestore({ log }), cpuCount: 2 });
    expect(r.code, r.stderr).toBe(0);
    expect(log.calls[0].options.threads).toBe(2);
    expect(r.stderr.split('\n').filter((l) => l.includes('--threads'))).toEqual(['threads: --threads 8 is more than the 2 cores here; using 2']);
    const ok = await runCli(['denoise', input, '-o', p('t2.png'), '--threads', '2', '--iterations', '2'], { restore: fakeRestore({ log }), cpuCount: 2 });
    expect(log.calls[1].options.threads).toBe(2);
    expect(ok.stderr).not.toMatch(/cores here/);
    const bad = await runCli(['denoise', input, '-o', p('t0.png'), '--threads', '2000'], { restore: fakeRestore({ log }), cpuCount: 2 });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--threads must be a whole number from 1 to 1,024, got 2000/);
  });
});

describe('demo', () => {
  it('restores the bundled example with the fast preset and writes restored, before-after and report', async () => {
    const log: FakeRestoreLog = { calls: [] };
    const outDir = p('demo');
    const r = await runCli(['demo', '--out-dir', outDir], { restore: fakeRestore({ log }) });
    expect(r.code, r.stderr).toBe(0);
    const { options } = log.calls[0];
    expect(options).toMatchObject({ task: 'denoise', preset: 'fast', iterations: DEMO_ITERATIONS });
    expect(options.image).toMatchObject({ width: 128, height: 128, channels: 3 });
    expect(options.reference).toMatchObject({ width: 128, height: 128 });
    expect((await listFiles(outDir)).sort()).toEqual(['before-after.png', 'report.json', 'restored.png']);
    const panel = await readImage(path.join(outDir, 'before-after.png'));
    expect([panel.image.width, panel.image.height]).toEqual([3 * 128 + 2 * 4, 128 + 18]);
    const after = JSON.parse(await fs.readFile(path.join(outDir, 'report.json'), 'utf8')).reference.psnr;
    expect(r.stdout).toMatch(new RegExp(`^PSNR before 20\\.33 dB → after ${after.toFixed(2)} dB; side by side: .*before-after\\.png$`, 'm'));
    // Run again: the demo replaces its own outputs.
    const again = await runCli(['demo', '--out-dir', outDir, '--iterations', '7', '--quiet'], { restore: fakeRestore({ log }) });
    expect(again).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(log.calls[1].options.iterations).toBe(7);
  });
});

describe('--stop watch', () => {
  it('reports where --stop auto would have stopped, with the PSNR of what it would have returned', async () => {
    const r = await runCli(
      ['denoise', input, '-o', p('watch/out.png'), '--iterations', '6', '--stop', 'watch', '--reference', clean, '--report', p('watch/report.json')],
      {
        restore: fakeRestore(),
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/--stop auto would have stopped at iteration 4, returning iteration 3, PSNR [\d.]+ dB \(fake rule fired\)/);
    const report = JSON.parse(await fs.readFile(p('watch/report.json'), 'utf8'));
    expect(report.watched).toMatchObject({ stoppedAt: 4, iteration: 3, reason: 'fake rule fired' });
    expect(report.watched.reference.psnr).toBeGreaterThan(0);
    expect(report.history[1].stopStatistic).toBeCloseTo(5);
  });
});
