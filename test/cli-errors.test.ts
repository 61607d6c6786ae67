/** Every bad usage or bad input answers with one line on stderr and exit code 2, before any fit. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeImage } from '../src/image/io-node.js';
import { RunError } from '../src/util/errors.js';
import { fakeRestore, runCli, tempDir, writeRandomPng, type CliRun, type FakeRestoreLog } from './helpers/cli.js';

let dir: string;
let input: string;
const p = (name: string) => path.join(dir, name);

beforeAll(async () => {
  dir = await tempDir();
  input = await writeRandomPng(p('in.png'), 32, 32);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Runs with a fake restore; asserts a one-line error with the exit code and that no fit started. */
async function expectError(argv: string[], code: 1 | 2, re: RegExp): Promise<CliRun> {
  const log: FakeRestoreLog = { calls: [] };
  const r = await runCli(argv, { restore: fakeRestore({ log }) });
  expect(r.code, r.stderr).toBe(code);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^deep-prior: /);
  expect(lines[0]).toMatch(re);
  expect(r.stderr).not.toMatch(/\bat .*\(.*:\d+:\d+\)/); // no stack trace
  if (code === 2) expect(log.calls).toHaveLength(0);
  return r;
}

describe('bad input files', () => {
  it('missing input file', async () => {
    await expectError(['denoise', p('nope.png'), '-o', p('o1.png')], 2, /nope\.png: no such file; check the path/);
  });
  it('a text file named .png', async () => {
    await fs.writeFile(p('text.png'), 'hello, I am not a picture\n');
    await expectError(['denoise', p('text.png'), '-o', p('o2.png')], 2, /text\.png is not an image/);
  });
  it('a truncated PNG', async () => {
    const full = await fs.readFile(input);
    await fs.writeFile(p('half.png'), full.subarray(0, Math.floor(full.length / 2)));
    await expectError(['denoise', p('half.png'), '-o', p('o3.png')], 2, /half\.png is truncated or corrupt/);
  });
  it('an empty file', async () => {
    await fs.writeFile(p('empty.png'), '');
    await expectError(['denoise', p('empty.png'), '-o', p('o4.png')], 2, /empty \(0 bytes\)/);
  });
  it('a mask of another size', async () => {
    const mask = await writeRandomPng(p('mask16.png'), 16, 16, 1);
    await expectError(['inpaint', input, '--mask', mask, '-o', p('o5.png')], 2, /mask is 16×16 but the image is 32×32/);
  });
  it('a reference of another size', async () => {
    const ref = await writeRandomPng(p('ref16.png'), 16, 16);
    await expectError(['denoise', input, '--reference', ref, '-o', p('o6.png')], 2, /--reference is 16×16 but the output will be 32×32/);
  });
  it('a flash guide of another size', async () => {
    const g = await writeRandomPng(p('guide.png'), 32, 24);
    await expectError(['flash', input, '--guide', g, '-o', p('o7.png')], 2, /--guide is 32×24 but the image is 32×32/);
  });
  it('an image too small to restore', async () => {
    const tiny = await writeRandomPng(p('tiny.png'), 4, 40);
    await expectError(['denoise', tiny, '-o', p('o8.png')], 2, /4×40, too small: it needs at least 8 pixels/);
  });
});

describe('bad usage', () => {
  it('an unknown option', async () => {
    await expectError(['denoise', input, '-o', p('o.png'), '--bogus'], 2, /unknown option '--bogus'; see deep-prior denoise --help/);
    // search picks the network: a skip net's --upsample is not one of its options.
    await expectError(['search', input, '--task', 'denoise', '--upsample', 'nearest'], 2, /unknown option '--upsample'; see deep-prior search --help/);
  });
  it('an unknown command', async () => {
    await expectError(['denoize', input], 2, /unknown command 'denoize'/);
  });
  it('no command at all', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Commands:/); // the overview, then the one-line error
    expect(r.stderr.trimEnd().split('\n').at(-1)).toMatch(/^deep-prior: no command given/);
  });
  it('a missing -o', async () => {
    await expectError(['denoise', input], 2, /required option '-o, --output <file>' not specified/);
  });
  it('a missing input argument', async () => {
    await expectError(['denoise', '-o', p('o.png')], 2, /missing required argument 'input'/);
  });
  it('an extra argument', async () => {
    await expectError(['denoise', input, input, '-o', p('o.png')], 2, /too many arguments/);
  });
  it('--scale 3', async () => {
    await expectError(['super-resolve', input, '--scale', '3', '-o', p('o.png')], 2, /--scale must be 2, 4 or 8, got "3"$/);
  });
  it('super-resolve without --scale', async () => {
    await expectError(['super-resolve', input, '-o', p('o.png')], 2, /super-resolve needs --scale 2, 4 or 8$/);
  });
  it('a number that is not one', async () => {
    await expectError(['denoise', input, '-o', p('o.png'), '--iterations', 'lots'], 2, /--iterations must be a whole number from 1 to 1,000,000, got "lots"/);
    await expectError(['denoise', input, '-o', p('o.png'), '--iterations', '0'], 2, /--iterations must be a whole number from 1 to 1,000,000, got 0/);
    await expectError(
      ['denoise', input, '-o', p('o.png'), '--lr', '0x10'],
      2,
      /--lr must be a number greater than 0 and at most 1 \(0.01 is typical\), got "0x10"/,
    );
  });
  it('a choice outside its set', async () => {
    await expectError(
      ['denoise', input, '-o', p('o.png'), '--backend', 'tensorflow'],
      2,
      /--backend must be auto, cpu, webgpu, cuda or wasm, got "tensorflow"/,
    );
    await expectError(['impulse', input, '-o', p('o.png'), '--impulse-loss', 'l2'], 2, /--impulse-loss must be mask or l1/);
    await expectError(['denoise', input, '-o', p('o.png'), '--bit-depth', '12'], 2, /--bit-depth must be 8 or 16, got "12"/);
  });
  it('inpaint without a mask, and conflicting mask options', async () => {
    await expectError(['inpaint', input, '-o', p('o.png')], 2, /inpaint needs --mask FILE or --mask-color COLOR$/);
    await expectError(['inpaint', input, '-o', p('o.png'), '--mask', input, '--mask-color', 'red'], 2, /either --mask FILE or --mask-color COLOR, not both/);
    await expectError(['inpaint', input, '-o', p('o.png'), '--mask-color', 'mauve'], 2, /--mask-color must be a colour: #rrggbb, .*got "mauve"/);
    await expectError(
      ['inpaint', input, '-o', p('o.png'), '--mask-color', '#123456'],
      2,
      /--mask-color #123456: no pixel of the input image has that colour; .*raise --mask-tolerance \(now 0\)/,
    );
    await expectError(
      ['inpaint', input, '-o', p('o.png'), '--mask-color', 'red', '--mask-tolerance', '300'],
      2,
      /--mask-tolerance must be a number from 0 to 255, got 300/,
    );
  });
  it('inpaint with nothing to fill, or nothing known', async () => {
    const white = p('white-mask.png');
    await writeImage(white, { width: 32, height: 32, channels: 1, data: new Float32Array(32 * 32).fill(1) });
    await expectError(['inpaint', input, '-o', p('o.png'), '--mask', white], 2, /--mask marks no pixel to fill \(all white\): .*use --mask-invert if/);
    const black = p('black-mask.png');
    await writeImage(black, { width: 32, height: 32, channels: 1, data: new Float32Array(32 * 32) });
    await expectError(['inpaint', input, '-o', p('o.png'), '--mask', black, '--mask-invert'], 2, /all white after inversion\): .*drop --mask-invert/);
    await expectError(
      ['inpaint', input, '-o', p('o.png'), '--mask-color', 'red', '--mask-tolerance', '255'],
      2,
      /--mask-color red: every pixel of the input image has that colour, so nothing is known; lower --mask-tolerance \(now 255\)/,
    );
  });
  it('options that need another option', async () => {
    await expectError(['denoise', input, '-o', p('o.png'), '--every', '10'], 2, /--every needs --snapshots DIR/);
    await expectError(['denoise', input, '-o', p('o.png'), '--resume'], 2, /--resume: the checkpoint .*o\.png\.dpckpt does not exist/);
  });
  it('--resume with --arch auto: refused before any search, pointing to the printed command', async () => {
    await expectError(
      ['denoise', input, '-o', p('o.png'), '--arch', 'auto', '--resume'],
      2,
      /--resume continues the fit of the network the search chose: .*not --arch auto/,
    );
  });
  it('--resume with a missing checkpoint', async () => {
    await expectError(
      ['denoise', input, '-o', p('o.png'), '--checkpoint', p('none.ckpt'), '--resume'],
      2,
      /--resume: the checkpoint .*none\.ckpt does not exist/,
    );
  });
  it('a corrupt checkpoint with --resume', async () => {
    await fs.writeFile(p('bad.ckpt'), 'garbage');
    await expectError(
      ['denoise', input, '-o', p('o-ck.png'), '--checkpoint', p('bad.ckpt'), '--resume'],
      2,
      /bad\.ckpt is not a deep-prior checkpoint or is corrupt/,
    );
  });
});

describe('output paths', () => {
  it('refuses the input as output, however it is spelled', async () => {
    await expectError(['denoise', input, '-o', input], 2, /output path is the input file/);
    const other = path.join(dir, 'sub', '..', 'in.png');
    await expectError(['denoise', input, '-o', other], 2, /output path is the input file/);
    await fs.symlink(input, p('link.png'));
    await expectError(['denoise', input, '-o', p('link.png'), '--force'], 2, /output path is the input file/);
  });
  it('refuses the mask or reference as output', async () => {
    const mask = await writeRandomPng(p('mask32.png'), 32, 32, 1);
    await expectError(['inpaint', input, '--mask', mask, '-o', mask, '--force'], 2, /output path is the input file/);
    await expectError(['denoise', input, '--report', input, '-o', p('x.png')], 2, /output path is the input file/);
  });
  it('refuses an existing output without --force', async () => {
    await writeRandomPng(p('exists.png'), 8, 8);
    await expectError(['denoise', input, '-o', p('exists.png')], 2, /exists\.png already exists: add --force to overwrite it/);
    const r = await runCli(['denoise', input, '-o', p('exists.png'), '--force', '--quiet'], { restore: fakeRestore() });
    expect(r.code).toBe(0);
  });
  it('refuses an existing report or checkpoint without --force', async () => {
    await fs.writeFile(p('old.json'), '{}');
    await expectError(['denoise', input, '-o', p('n1.png'), '--report', p('old.json')], 2, /old\.json already exists/);
    await fs.writeFile(p('old.ckpt'), 'x');
    await expectError(
      ['denoise', input, '-o', p('n2.png'), '--checkpoint', p('old.ckpt')],
      2,
      /old\.ckpt already exists: add --resume to continue that run, or --force to start afresh, or choose another --checkpoint path/,
    );
  });
  it('refuses two outputs in one file', async () => {
    await expectError(['denoise', input, '-o', p('same.png'), '--report', p('same.png')], 2, /-o and --report name the same file/);
  });
  it('refuses a --snapshots folder on the path of another output, before any folder is made', async () => {
    await expectError(['denoise', input, '-o', p('o-snap.png'), '--snapshots', p('o-snap.png')], 2, /-o and --snapshots name the same file/);
    await expectError(['denoise', input, '-o', p('o-snap2.png'), '--report', p('r-snap.json'), '--snapshots', p('r-snap.json')], 2, /--report and --snapshots/);
    await expectError(['denoise', input, '-o', p('o-snap3.png'), '--checkpoint', p('c.ck'), '--snapshots', p('c.ck')], 2, /--snapshots and --checkpoint/);
    for (const made of ['o-snap.png', 'r-snap.json', 'c.ck']) expect(await fs.stat(p(made)).catch(() => null)).toBeNull();
  });
  it('refuses a --snapshots folder that holds the input under a snapshot name, even with --force', async () => {
    await fs.mkdir(p('held'));
    const held = p('held/iter-000100.png');
    await fs.copyFile(input, held);
    await expectError(['denoise', held, '-o', p('h.png'), '--snapshots', p('held'), '--force'], 2, /--snapshots .*held would write over the input/);
    expect(await fs.readFile(held)).toEqual(await fs.readFile(input));
  });
  it('plan refuses the outputs the fitting command would refuse, and creates nothing', async () => {
    await expectError(['plan', 'denoise', input, '-o', input], 2, /output path is the input file .*choose another -o path/);
    await expectError(['plan', 'denoise', input, '-o', p('planned/o.xyz')], 2, /unknown extension "\.xyz"/);
    await expectError(['plan', 'denoise', input, '-o', p('planned/o.jpg'), '--bit-depth', '16'], 2, /--bit-depth 16 needs a \.png or \.tif output/);
    expect(await fs.stat(p('planned')).catch(() => null)).toBeNull();
  });
  it('analyze refuses its chart and report in one file', async () => {
    await expectError(['analyze', input, '-o', p('a.svg'), '--report', p('a.svg')], 2, /-o and --report name the same file/);
  });
  it('refuses unknown output extensions and 16 bits in JPEG', async () => {
    await expectError(['denoise', input, '-o', p('out.gif')], 2, /unknown extension "\.gif"/);
    await expectError(['denoise', input, '-o', p('out.jpg'), '--bit-depth', '16'], 2, /--bit-depth 16 needs a \.png or \.tif output/);
    await expectError(['denoise', input, '-o', p('out.avif'), '--bit-depth', '16'], 2, /--bit-depth 16 needs a \.png or \.tif output; .*AVIF/);
  });
  it('refuses a directory as output', async () => {
    await fs.mkdir(p('adir.png'));
    await expectError(['denoise', input, '-o', p('adir.png'), '--force'], 2, /is a directory/);
  });
  it('refuses a snapshots folder that already holds snapshots, unless --force', async () => {
    await fs.mkdir(p('snaps'));
    await fs.writeFile(p('snaps/iter-000010.png'), 'x');
    await expectError(['denoise', input, '-o', p('s.png'), '--snapshots', p('snaps')], 2, /already holds 1 snapshot/);
  });
});

describe('run-time failures', () => {
  it('a RunError from the fit: exit 1 with its message', async () => {
    const r = await runCli(['denoise', input, '-o', p('rt1.png')], {
      restore: async () => {
        throw new RunError('the engine ran out of memory: use a smaller image');
      },
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe('deep-prior: the engine ran out of memory: use a smaller image');
  });
  it('an unexpected error: "internal error", no stack unless --debug', async () => {
    const boom = async () => {
      throw new TypeError('boom\nsecond line');
    };
    const r = await runCli(['denoise', input, '-o', p('rt2.png'), '--quiet'], { restore: boom });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('deep-prior: internal error: boom second line (run with --debug for the stack)\n');
    const d = await runCli(['denoise', input, '-o', p('rt3.png'), '--quiet', '--debug'], { restore: boom });
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/^deep-prior: internal error: boom/);
    expect(d.stderr).toMatch(/TypeError: boom\n.*\n\s+at /);
  });
  it('--json adds an error event on stdout', async () => {
    const r = await runCli(['denoise', p('nope.png'), '-o', p('j.png'), '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ type: 'error', code: 'FILE_NOT_FOUND', message: expect.stringMatching(/no such file/), exitCode: 2 });
  });
});

describe('help and version', () => {
  it('--help on every command shows examples and exits 0', async () => {
    for (const cmd of ['denoise', 'inpaint', 'super-resolve', 'deblock', 'impulse', 'reconstruct', 'flash', 'enhance', 'degrade', 'metrics', 'demo']) {
      const r = await runCli([cmd, '--help']);
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toMatch(new RegExp(`Usage: deep-prior ${cmd}`));
      expect(r.stdout, cmd).toMatch(new RegExp(`Examples:\\n  \\$ deep-prior (${cmd}|degrade)[ \\n]`));
    }
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/Exit codes: 0 success, 1 failure at run time, 2 bad usage or input/);
  });
  it('--version prints the package version', async () => {
    const r = await runCli(['--version'], { version: '9.8.7' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('9.8.7\n');
  });
});
