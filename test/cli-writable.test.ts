/**
 * Unwritable outputs are found before the fit: every output path's folder is created and a file is
 * written there and removed first. Tests run as root, where a 0555 folder is still writable, so the
 * unwritable places are a path through a regular file (ENOTDIR/EEXIST) and the kernel's /proc and
 * /sys (ENOENT, EPERM, EACCES).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDir, checkWritableDir } from '../src/cli/writable.js';
import { fakeRestore, runCli, tempDir, writeRandomPng, type FakeRestoreLog } from './helpers/cli.js';

let dir: string;
let input: string;
const p = (name: string) => path.join(dir, name);

beforeAll(async () => {
  dir = await tempDir('deep-prior-writable-');
  input = await writeRandomPng(p('in.png'), 16, 16);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Runs a fitting command with a fake fit; the fit must never start. */
async function refused(args: string[]) {
  const log: FakeRestoreLog = { calls: [] };
  const r = await runCli(['denoise', input, '-o', p('ok.png'), ...args], { restore: fakeRestore({ log }) });
  expect(log.calls, r.stderr).toHaveLength(0);
  expect(r.code).toBe(2);
  expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  return r.stderr;
}

describe('unwritable outputs stop the command before the fit (exit 2, one line)', () => {
  it.each([
    ['-o', 'in.png/out.png', /^deep-prior: -o: cannot create the folder .*in\.png: a file is in the way/],
    ['--report', 'in.png/sub/r.json', /^deep-prior: --report: cannot create the folder .*in\.png: a file is in the way/],
    ['--checkpoint', 'in.png/c.ckpt', /^deep-prior: --checkpoint: cannot create the folder .*in\.png: a file is in the way/],
    ['--snapshots', 'in.png/snaps', /^deep-prior: --snapshots: cannot create the folder .*in\.png: a file is in the way/],
  ])('%s through a regular file (%s)', async (flag, rel, message) => {
    const args = flag === '-o' ? ['-o', p(rel)] : [flag, p(rel)];
    expect(await refused(args)).toMatch(message);
  });

  it.each([
    ['-o', '/proc/deep-prior-out.png', /^deep-prior: -o: cannot write into the folder \/proc: the file system does not accept new files there/],
    ['-o', '/sys/deep-prior-out.png', /^deep-prior: -o: cannot write into the folder \/sys: permission denied/],
    ['--report', '/proc/deep-prior/r.json', /^deep-prior: --report: cannot create the folder \/proc\/deep-prior: the file system does not accept/],
    ['--checkpoint', '/sys/deep-prior/c.ckpt', /^deep-prior: --checkpoint: cannot create the folder \/sys\/deep-prior: permission denied/],
    ['--snapshots', '/proc/deep-prior-snaps', /^deep-prior: --snapshots: cannot create the folder \/proc\/deep-prior-snaps: /],
  ])('%s on a kernel file system (%s)', async (flag, where, message) => {
    expect(await refused(flag === '-o' ? ['-o', where] : [flag, where])).toMatch(message);
  });

  it('analyze and degrade check their outputs with the same function', async () => {
    const a = await runCli(['analyze', input, '-o', '/proc/deep-prior.svg', '--iterations', '2']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/^deep-prior: -o: cannot write into the folder \/proc/);
    const d = await runCli(['degrade', input, '--noise', '10', '-o', p('in.png/noisy.png')]);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/^deep-prior: -o: cannot create the folder .*in\.png: a file is in the way/);
  });
});

describe('folders', () => {
  it('missing parents are created level by level, and the probe file is removed', async () => {
    const deep = p('a/b/c');
    await checkWritableDir(deep, '-o');
    expect((await fs.stat(deep)).isDirectory()).toBe(true);
    expect(await fs.readdir(deep)).toEqual([]);
  });
  it('a folder under /proc is refused at once (a recursive mkdir there never returns)', async () => {
    await expect(ensureDir('/proc/deep-prior/x/y')).rejects.toThrow(/cannot create the folder \/proc\/deep-prior: /);
  });
});
