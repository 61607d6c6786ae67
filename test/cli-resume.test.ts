/**
 * Continuing an interrupted fit with exactly the command deep-prior prints: the checkpoint (next to
 * the output when no --checkpoint was given) lists the files its run wrote with their hashes, and
 * --resume replaces exactly those while unchanged. The printed command is read back by the real
 * shell (sh). The fit is the fake of helpers/cli.ts; cli-resume-e2e.test.ts runs the real one.
 */
import { createHash } from 'node:crypto';
import { promises as fs, realpathSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpointFile } from '../src/cli/checkpoint-node.js';
import type { StopSignal } from '../src/cli/deps.js';
import { invocationOf } from '../src/cli/invocation.js';
import { readImage } from '../src/image/io-node.js';
import { fakeRestore, printedCommand, runCli, shellWords, tempDir, writeRandomPng } from './helpers/cli.js';

let dir: string;
let input: string;
const p = (...names: string[]) => path.join(dir, ...names);

beforeAll(async () => {
  dir = await tempDir('deep-prior-resume-');
  input = await writeRandomPng(p('in.png'), 16, 16);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** A fitting command interrupted by SIGTERM after `at` of its fake steps. */
async function interrupted(args: string[], at = 5) {
  let handler: (s: StopSignal) => void = () => {};
  return runCli(args, {
    restore: fakeRestore({ interruptAt: at, trigger: () => handler('SIGTERM') }),
    onInterrupt: (h) => {
      handler = h;
      return () => {};
    },
  });
}

/** Runs a printed command (its first word is the program). */
async function runPrinted(words: string[]) {
  expect(words[0]).toBe('deep-prior');
  return runCli(words.slice(1), { restore: fakeRestore() });
}

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex');

describe('SIGTERM, then the printed command', () => {
  it('without --checkpoint: saved next to the output; the printed command continues from there and finishes', async () => {
    await fs.mkdir(p('a'));
    const args = [
      'denoise',
      input,
      '-o',
      p('a', 'out.png'),
      '--iterations',
      '10',
      '--report',
      p('a', 'r.json'),
      '--snapshots',
      p('a', 'snaps'),
      '--every',
      '2',
    ];
    const r = await interrupted(args);
    expect(r.code).toBe(143);
    const ckpt = p('a', 'out.png.dpckpt');
    expect(r.stderr).toContain(`checkpoint saved to ${ckpt} (next to the output, as no --checkpoint was given)`);
    const words = printedCommand(r.stderr);
    expect(words).toEqual(['deep-prior', ...args, '--checkpoint', ckpt, '--resume']);

    // The checkpoint lists what the run wrote, with the hashes of the files as they are.
    const { data, outputs } = decodeCheckpointFile(await fs.readFile(ckpt));
    expect(data.iteration).toBe(5);
    const written = ['out.png', 'r.json', 'snaps/iter-000002.png', 'snaps/iter-000004.png'].map((f) => realpathSync(p('a', f)));
    expect(outputs.map((o) => o.path).sort()).toEqual(written.sort());
    for (const o of outputs) expect(o.sha256, o.path).toBe(await sha256(o.path));

    const again = await runPrinted(words);
    expect(again.code, again.stderr).toBe(0);
    const report = JSON.parse(await fs.readFile(p('a', 'r.json'), 'utf8'));
    expect(report).toMatchObject({ iterations: 10, stopReason: 'fixed' });
    expect(report.history[0].iteration).toBe(6); // continued after the checkpoint's iteration 5
    expect((await fs.readdir(p('a', 'snaps'))).sort()).toEqual([2, 4, 6, 8, 10].map((i) => `iter-${String(i).padStart(6, '0')}.png`));
    // The same result as a run that was never interrupted.
    const whole = await runCli(['denoise', input, '-o', p('a', 'whole.png'), '--iterations', '10', '--quiet'], { restore: fakeRestore() });
    expect(whole.code).toBe(0);
    expect((await readImage(p('a', 'out.png'))).image.data).toEqual((await readImage(p('a', 'whole.png'))).image.data);
  });

  it('--resume replaces only the files its run wrote, unchanged; anything else still needs --force', async () => {
    await fs.mkdir(p('b'));
    const args = ['denoise', input, '-o', p('b', 'out.png'), '--iterations', '10', '--snapshots', p('b', 'snaps'), '--every', '2'];
    const words = printedCommand((await interrupted(args)).stderr);
    await writeRandomPng(p('b', 'snaps', 'iter-000099.png'), 4, 4); // not the run's
    let r = await runPrinted(words);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--snapshots .*snaps already holds 1 snapshot\(s\) \(iter-000099\.png, \.\.\.\): add --force/);
    await fs.rm(p('b', 'snaps', 'iter-000099.png'));
    await writeRandomPng(p('b', 'out.png'), 16, 16, 3); // the user's own picture now, not the run's partial result
    r = await runPrinted(words);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/out\.png already exists: add --force to overwrite it/);
    r = await runPrinted([...words, '--force']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('a new run next to an interrupted one is told how to continue it, not silently started', async () => {
    await fs.mkdir(p('c'));
    const args = ['denoise', input, '-o', p('c', 'out.png'), '--iterations', '10'];
    expect((await interrupted(args)).code).toBe(143);
    const r = await runCli(args, { restore: fakeRestore() });
    expect(r.code).toBe(2);
    const ckpt = p('c', 'out.png.dpckpt');
    expect(r.stderr).toBe(
      `deep-prior: ${ckpt} already exists: it holds an interrupted run of -o ${p('c', 'out.png')}: add --checkpoint ${ckpt} --resume to continue it, or --force to start afresh\n`,
    );
    // --resume alone finds the checkpoint next to the output.
    const resumed = await runCli([...args, '--resume', '--quiet'], { restore: fakeRestore() });
    expect(resumed.code, resumed.stderr).toBe(0);
  });

  it('paths with spaces and quotes survive the printed command', async () => {
    const odd = p('my photos', "it's (1).png");
    await fs.mkdir(path.dirname(odd));
    const args = ['denoise', input, '-o', odd, '--iterations', '10', '--lr', '1/50'];
    const r = await interrupted(args);
    const words = printedCommand(r.stderr);
    expect(words).toEqual(['deep-prior', ...args, '--checkpoint', `${odd}.dpckpt`, '--resume']);
    expect((await runPrinted(words)).code).toBe(0);
  });

  it('--json: the aborted event carries the command as words and as a line', async () => {
    await fs.mkdir(p('d'));
    const r = await interrupted(['denoise', input, '-o', p('d', 'out.png'), '--iterations', '10', '--json']);
    const aborted = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((e) => e.type === 'aborted');
    expect(aborted).toMatchObject({ iterations: 5, stopReason: 'aborted', checkpoint: p('d', 'out.png.dpckpt') });
    expect(shellWords(aborted.resume.command)).toEqual(aborted.resume.argv);
    expect(aborted.resume.argv).toEqual(printedCommand(r.stderr));
  });
});

describe('how deep-prior was started', () => {
  const info = (argv1: string, over: Partial<Parameters<typeof invocationOf>[0]> = {}) => ({
    argv: ['/usr/bin/node', argv1],
    execArgv: [],
    execPath: '/usr/bin/node',
    env: {},
    ...over,
  });
  it('the installed command, npx, node with a loader, or an absolute path', async () => {
    const bin = p('bin', 'deep-prior');
    await fs.mkdir(p('bin'));
    await fs.writeFile(bin, '#!/bin/sh\n', { mode: 0o755 });
    const onPath = (name: string) => (name === 'deep-prior' ? bin : name === 'node' ? '/usr/bin/node' : null);
    expect(invocationOf(info(bin), onPath)).toEqual(['deep-prior']);
    expect(invocationOf(info(bin), () => null)).toEqual([bin]);
    expect(invocationOf(info(bin, { env: { npm_command: 'exec' } }), onPath)).toEqual(['npx', 'deep-prior']);
    const loader = ['--import', 'tsx'];
    expect(invocationOf(info('src/cli/main.ts', { execArgv: loader }), onPath)).toEqual(['node', ...loader, path.resolve('src/cli/main.ts')]);
    expect(invocationOf(info('dist/cli/main.js'), () => null)).toEqual(['/usr/bin/node', path.resolve('dist/cli/main.js')]);
  });
});
