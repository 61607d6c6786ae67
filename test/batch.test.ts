/** `deep-prior batch` in process with a fake restore: naming, journal, skipping, failures, companions, exit codes. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readImage } from '../src/image/io-node.js';
import { parseJournal } from '../src/batch/journal.js';
import { globMatcher } from '../src/batch/sources.js';
import { batchEta } from '../src/batch/progress.js';
import { lockFolder } from '../src/batch/lock.js';
import { parseBatchRequest } from '../src/batch/request.js';
import { fakeRestore, runCli, tempDir, writeRandomPng, type FakeRestoreLog } from './helpers/cli.js';

let dir: string;
let inDir: string;
let outDir: string;
beforeEach(async () => {
  dir = await tempDir('deep-prior-batch-');
  inDir = path.join(dir, 'in');
  outDir = path.join(dir, 'out');
  await fs.mkdir(path.join(inDir, 'sub'), { recursive: true });
  await writeRandomPng(path.join(inDir, 'a.png'), 16, 12);
  await writeRandomPng(path.join(inDir, 'b.png'), 10, 10, 1);
  await writeRandomPng(path.join(inDir, 'sub', 'c.png'), 12, 16, 4);
  await fs.writeFile(path.join(inDir, 'notes.txt'), 'not an image');
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const journal = async () => parseJournal(await fs.readFile(path.join(outDir, '.deep-prior', 'journal.jsonl'), 'utf8'));
const summary = async () => JSON.parse(await fs.readFile(path.join(outDir, '.deep-prior', 'summary.json'), 'utf8'));

function batch(args: string[], log: FakeRestoreLog = { calls: [] }, extra = {}) {
  return runCli(['batch', ...args], { restore: fakeRestore({ log }), ...extra });
}

describe('deep-prior batch', () => {
  it('writes every output under its relative path, a report per file and a summary; exit 0', async () => {
    const r = await batch(['denoise', inDir, '-o', outDir, '--iterations', '3']);
    expect(r.code, r.stderr).toBe(0);
    for (const [rel, w, h, c] of [
      ['a.png', 16, 12, 3],
      ['b.png', 10, 10, 1],
      ['sub/c.png', 12, 16, 4],
    ] as const) {
      expect((await readImage(path.join(outDir, rel))).image).toMatchObject({ width: w, height: h, channels: c });
      const report = JSON.parse(await fs.readFile(path.join(outDir, '.deep-prior', 'reports', `${rel}.json`), 'utf8'));
      expect(report).toMatchObject({ task: 'denoise', iterations: 3 });
    }
    expect(await summary()).toMatchObject({ total: 3, done: 3, skipped: 0, failed: 0, unfinished: 0 });
    expect(r.stdout).toMatch(/batch denoise: 3 done, 0 skipped, 0 failed of 3/);
    expect((await journal()).filter((j) => j.event === 'done').map((j) => j.file)).toEqual(['a.png', 'b.png', 'sub/c.png']);
  });

  it('a bad file is recorded with its one-line error and the others finish; exit 1 naming it', async () => {
    await fs.writeFile(path.join(inDir, 'broken.png'), Buffer.from('\x89PNG\r\n\x1a\nnot really'));
    const r = await batch(['denoise', inDir, '-o', outDir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^deep-prior: failed broken\.png: .*broken\.png is not an image.*$/m);
    expect(await summary()).toMatchObject({ done: 3, failed: 1, failures: [{ file: 'broken.png' }] });
    const failed = (await journal()).find((j) => j.event === 'failed');
    expect(failed?.error).not.toMatch(/\n/);
    expect(await fs.stat(path.join(outDir, 'broken.png')).catch(() => null)).toBeNull();
  });

  it('a rerun skips finished files by content and settings; an edited input or a changed option is redone', async () => {
    await batch(['denoise', inDir, '-o', outDir]);
    const log: FakeRestoreLog = { calls: [] };
    const again = await batch(['denoise', inDir, '-o', outDir], log);
    expect(again.code).toBe(0);
    expect(log.calls).toHaveLength(0);
    expect(await summary()).toMatchObject({ done: 0, skipped: 3 });
    await writeRandomPng(path.join(inDir, 'b.png'), 10, 10, 1, 16); // new content
    const edited = await batch(['denoise', inDir, '-o', outDir], log);
    expect(edited.code).toBe(0);
    expect(log.calls.map((c) => c.options.image.width)).toEqual([10]);
    const changed: FakeRestoreLog = { calls: [] };
    await batch(['denoise', inDir, '-o', outDir, '--seed', '7'], changed);
    expect(changed.calls).toHaveLength(3);
  });

  it('a damaged output is redone; an existing output it did not write needs --force', async () => {
    await fs.mkdir(outDir, { recursive: true });
    await writeRandomPng(path.join(outDir, 'a.png'), 4, 4);
    const r = await batch(['denoise', inDir, '-o', outDir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/failed a\.png: .*a\.png already exists and was not written by this batch: add --force/);
    expect((await batch(['denoise', inDir, '-o', outDir, '--force'])).code).toBe(0);
    await fs.writeFile(path.join(outDir, 'b.png'), 'damaged');
    const log: FakeRestoreLog = { calls: [] };
    expect((await batch(['denoise', inDir, '-o', outDir], log)).code).toBe(0);
    expect(log.calls.map((c) => c.options.image.width)).toEqual([10]);
  });

  it('--format changes the type and extension; a glob selects files', async () => {
    const r = await batch(['denoise', path.join(inDir, '**', '*.png'), '-o', outDir, '--format', 'jpeg']);
    expect(r.code, r.stderr).toBe(0);
    expect((await readImage(path.join(outDir, 'sub', 'c.jpg'))).format).toBe('jpeg');
    expect(await fs.readdir(outDir)).toEqual(expect.arrayContaining(['a.jpg', 'b.jpg', 'sub']));
    expect(globMatcher('**/*.{png,jpg}')('x/y/z.jpg')).toBe(true);
    expect(globMatcher('*.png')('x/z.png')).toBe(false);
  });

  it('inpaint finds each mask by pattern; a missing mask fails that file only', async () => {
    const masks = path.join(dir, 'masks');
    await fs.mkdir(path.join(masks, 'sub'), { recursive: true });
    await writeRandomPng(path.join(masks, 'a_mask.png'), 16, 12, 1);
    await writeRandomPng(path.join(masks, 'sub', 'c_mask.png'), 12, 16, 1);
    const log: FakeRestoreLog = { calls: [] };
    const r = await batch(['inpaint', inDir, '-o', outDir, '--mask-dir', masks], log);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/failed b\.png: .*b_mask\.png: no such file/);
    expect(log.calls.map((c) => c.options.mask?.width)).toEqual([16, 12]);
  });

  it('masks beside their photos are companions, not inputs', async () => {
    await writeRandomPng(path.join(inDir, 'a_mask.png'), 16, 12, 1);
    await writeRandomPng(path.join(inDir, 'b_mask.png'), 10, 10, 1);
    await writeRandomPng(path.join(inDir, 'sub', 'c_mask.png'), 12, 16, 1);
    const r = await batch(['inpaint', inDir, '-o', outDir, '--mask-pattern', '{name}_mask.png']);
    expect(r.code, r.stderr).toBe(0);
    expect(await summary()).toMatchObject({ total: 3, done: 3 });
  });

  it('--reference-dir gives each file a PSNR, the summary their mean', async () => {
    const refs = path.join(dir, 'refs');
    await fs.cp(inDir, refs, { recursive: true });
    const r = await batch(['denoise', inDir, '-o', outDir, '--reference-dir', refs]);
    expect(r.code, r.stderr).toBe(0);
    const s = await summary();
    expect(s.psnr.files).toBe(3);
    expect(Number.isFinite(s.psnr.mean)).toBe(true);
    expect(r.stdout).toMatch(/mean PSNR [\d.]+ dB over 3 file/);
  });

  it('--concurrency N shares the cores: threads per fit = cores / N unless --threads', async () => {
    const threads = async (flags: Record<string, unknown>) => (await parseBatchRequest('denoise', inDir, { output: outDir, ...flags }, 8)).threads;
    expect(await threads({})).toBe(8);
    expect(await threads({ concurrency: '2' })).toBe(4);
    expect(await threads({ concurrency: '3' })).toBe(2);
    expect(await threads({ concurrency: '16' })).toBe(1);
    expect(await threads({ concurrency: '3', threads: '5' })).toBe(5);
  });

  it('Ctrl-C stops after the running fit, exits 1, and the rerun finishes the rest', async () => {
    let handler: ((signal: 'SIGINT') => void) | undefined;
    const log: FakeRestoreLog = { calls: [] };
    const r = await runCli(['batch', 'denoise', inDir, '-o', outDir, '--iterations', '5'], {
      restore: fakeRestore({ log, interruptAt: 2, trigger: () => handler?.('SIGINT') }),
      onInterrupt: (h) => {
        handler = h;
        return () => {};
      },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/interrupted with 3 file\(s\) unfinished: run the same command again/);
    expect(await fs.stat(path.join(outDir, 'a.png')).catch(() => null)).toBeNull(); // an aborted fit writes nothing
    expect((await batch(['denoise', inDir, '-o', outDir])).code).toBe(0);
    expect(await summary()).toMatchObject({ done: 3 });
  });

  it.each([
    [['nonsense', 'IN', '-o', 'OUT'], /unknown task "nonsense"/],
    [['denoise', 'IN', '-o', 'OUT', '--scale', '2'], /--scale only applies to super-resolve, not to denoise/],
    [['inpaint', 'IN', '-o', 'OUT'], /inpaint needs --mask FILE or --mask-color COLOR .*--mask-dir/],
    [['inpaint', 'IN', '-o', 'OUT', '--mask-dir', 'M', '--mask-color', 'red'], /give either --mask-dir DIR or --mask-color COLOR, not both/],
    [['denoise', 'IN', '-o', 'OUT', '--concurrency', '0'], /--concurrency must be a whole number from 1 to 64/],
    [['denoise', 'IN', '-o', 'IN'], /is the input folder/],
    [['denoise', 'IN/a.png', '-o', 'OUT'], /is a file: give a folder of images/],
    [['denoise', 'IN/*.jpg', '-o', 'OUT'], /holds no image files/],
    [['denoise', 'IN', '-o', 'OUT', '--mask-pattern', 'x.png'], /--mask-pattern must be a file-name pattern/],
    [
      ['denoise', 'IN', '-o', 'OUT', '--format', 'jpeg', '--bit-depth', '16'],
      /^deep-prior: --bit-depth 16 needs --format png or tiff; --format jpeg is written 8-bit/,
    ],
    [
      ['denoise', 'IN', '-o', 'OUT', '--format', 'avif', '--bit-depth', '16'],
      /^deep-prior: --bit-depth 16 needs --format png or tiff; --format avif is written/,
    ],
    [
      ['denoise', 'IN', '-o', 'OUT', '--format', 'png', '--quality', '50'],
      /^deep-prior: --quality applies to --format jpeg, webp or avif; --format png is lossless/,
    ],
    [['inpaint', 'IN', '-o', 'OUT', '--mask-dir', 'NOWHERE'], /^deep-prior: --mask-dir .*nowhere: no such folder/],
    [['denoise', 'IN', '-o', 'OUT', '--reference-dir', 'NOWHERE'], /^deep-prior: --reference-dir .*nowhere: no such folder/],
    [['inpaint', 'IN', '-o', 'OUT', '--mask-dir', 'IN/a.png'], /^deep-prior: --mask-dir .*a\.png is a file, not a folder/],
    [['denoise', 'IN', '-o', 'OUT', '--mask-dir', 'M'], /^deep-prior: --mask-dir only applies to inpaint or reconstruct, not to denoise/],
    [['denoise', 'IN', '-o', 'OUT', '--mask-pattern', '{name}_m.png'], /^deep-prior: --mask-pattern only applies to inpaint or reconstruct/],
    [['denoise', 'IN', '-o', 'IN/a.png'], /^deep-prior: -o .*a\.png is a file, not a folder/],
    [['denoise', 'IN', '-o', '/proc/deep-prior-batch'], /^deep-prior: -o: cannot create the folder \/proc\/deep-prior-batch: /],
  ])('bad usage exits 2 with one line: %j', async (args, message) => {
    const argv = args.map((a) =>
      a
        .replace(/^IN/, inDir)
        .replace(/^OUT/, outDir)
        .replace(/^M$/, dir)
        .replace(/^NOWHERE$/, path.join(dir, 'nowhere')),
    );
    const log: FakeRestoreLog = { calls: [] };
    const r = await batch(argv, log);
    expect(log.calls).toHaveLength(0);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(await fs.stat(path.join(outDir, '.deep-prior', 'journal.jsonl')).catch(() => null)).toBeNull();
  });

  it('the lock folder is made level by level: under /proc it is refused, not waited for forever', async () => {
    await expect(lockFolder('/proc/deep-prior-batch/.deep-prior/lock', '/proc/deep-prior-batch')).rejects.toThrow(
      /-o: cannot create the folder \/proc\/deep-prior-batch: /,
    );
  });

  it('the ETA counts fitted work only', () => {
    expect(batchEta({ total: 10, done: 2, skipped: 4, failed: 0 }, [0.5, 0.5], 30)).toBeCloseTo((30 * 3) / 3); // 3 files of work in 30 s, 3 left
    expect(Number.isNaN(batchEta({ total: 3, done: 0, skipped: 0, failed: 0 }, [], 1))).toBe(true);
  });
});

describe('deep-prior batch never writes over a file it reads (exit 2 before any fit, whatever --force says)', () => {
  async function refused(args: string[]) {
    const log: FakeRestoreLog = { calls: [] };
    const r = await batch(args, log);
    expect(log.calls).toHaveLength(0);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    return r.stderr;
  }

  it('a nested input tree: -o nest for nest/sub would write sub/x.png over the input nest/sub/x.png', async () => {
    const nest = path.join(dir, 'nest');
    await fs.mkdir(path.join(nest, 'sub', 'sub'), { recursive: true });
    const input = await writeRandomPng(path.join(nest, 'sub', 'x.png'), 8, 8);
    await writeRandomPng(path.join(nest, 'sub', 'sub', 'x.png'), 6, 6);
    const before = await fs.readFile(input);
    const stderr = await refused(['denoise', path.join(nest, 'sub'), '-o', nest, '--force']);
    expect(stderr).toMatch(/^deep-prior: -o .*nest would write the result of sub\/x\.png over .*nest\/sub\/x\.png, an input:/);
    expect(await fs.readFile(input)).toEqual(before);
    expect(await fs.stat(path.join(nest, '.deep-prior')).catch(() => null)).toBeNull();
  });

  it('a reference in the output folder', async () => {
    const refs = path.join(dir, 'refs');
    await fs.cp(inDir, refs, { recursive: true });
    const stderr = await refused(['denoise', inDir, '-o', refs, '--reference-dir', refs, '--force']);
    expect(stderr).toMatch(/^deep-prior: -o .*refs would write the result of a\.png over .*refs\/a\.png, the reference of a\.png:/);
  });

  it('one --mask FILE for every input, in the output folder', async () => {
    await fs.mkdir(outDir);
    const mask = await writeRandomPng(path.join(outDir, 'b.png'), 10, 10, 1);
    const stderr = await refused(['inpaint', inDir, '-o', outDir, '--mask', mask, '--force']);
    expect(stderr).toMatch(/^deep-prior: -o .*out would write the result of b\.png over .*out\/b\.png, the --mask file:/);
  });
});
