/** `deep-prior analyze`: a real (short) fit, FBC and PSNR pictures, the JSON report, bad input. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir, writeRandomPng } from './helpers/cli.js';

describe('cli analyze', () => {
  it('writes the FBC picture, the PSNR picture and the data', async () => {
    const dir = await tempDir();
    const noisy = await writeRandomPng(path.join(dir, 'noisy.png'), 24, 24, 3);
    const clean = await writeRandomPng(path.join(dir, 'clean.png'), 24, 24, 3);
    const out = path.join(dir, 'fbc.svg');
    const report = path.join(dir, 'fbc.json');
    const r = await runCli([
      'analyze',
      noisy,
      '--reference',
      clean,
      '--iterations',
      '12',
      '--stop',
      'fixed',
      '--fbc-every',
      '4',
      '--threads',
      '1',
      '-o',
      out,
      '--report',
      report,
      '--quiet',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(await fs.readFile(out, 'utf8')).toMatch(/^<svg[\s\S]*band 5 \(highest\)[\s\S]*<\/svg>$/);
    expect(await fs.readFile(path.join(dir, 'fbc-psnr.svg'), 'utf8')).toMatch(/PSNR/);
    const data = JSON.parse(await fs.readFile(report, 'utf8'));
    expect(data.fbc.map((p: { iteration: number }) => p.iteration)).toEqual([4, 8, 12]);
    for (const p of data.fbc) {
      expect(p.bands).toHaveLength(5);
      for (const b of p.bands) {
        expect(b).toBeGreaterThanOrEqual(0);
        expect(b).toBeLessThanOrEqual(1);
      }
    }
    expect(data.history).toHaveLength(12);
  });

  it('refuses an output that is not .svg and an unknown task', async () => {
    const dir = await tempDir();
    const noisy = await writeRandomPng(path.join(dir, 'noisy.png'), 16, 16, 3);
    const a = await runCli(['analyze', noisy, '-o', path.join(dir, 'x.png')]);
    expect(a.code).toBe(2);
    expect(a.stderr.trim().split('\n')).toHaveLength(1);
    const b = await runCli(['analyze', noisy, '--task', 'flash', '-o', path.join(dir, 'x.svg')]);
    expect(b.code).toBe(2);
  });

  it('takes only the options it honours, and names its own in errors', async () => {
    const dir = await tempDir();
    const noisy = await writeRandomPng(path.join(dir, 'noisy.png'), 16, 16, 3);
    const out = path.join(dir, 'x.svg');
    const every = await runCli(['analyze', noisy, '-o', out, '--fbc-every', '0']);
    expect(every.code).toBe(2);
    expect(every.stderr).toMatch(/^deep-prior: --fbc-every must be a whole number from 1 to 1,000,000, got 0/);
    for (const ignored of [['--snapshots', dir], ['--checkpoint', path.join(dir, 'c')], ['--resume'], ['--bit-depth', '16']]) {
      const r = await runCli(['analyze', noisy, '-o', out, ...ignored]);
      expect(r.code, ignored[0]).toBe(2);
      expect(r.stderr, ignored[0]).toMatch(new RegExp(`unknown option '${ignored[0]}'`));
    }
  });
});
