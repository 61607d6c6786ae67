/**
 * train-flow's refusals before any training: an output that is one of its training or validation
 * images (whatever --force says), the implicit checkpoint's folder named by -o, and --until checked
 * against the checkpoint's --steps when a --resume leaves --steps out. No training runs here.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRunSettings } from '../src/cli/train-flow.js';
import { checkResumable } from '../src/cli/train-flow-resume.js';
import type { TrainingCheckpoint } from '../src/flow/train-checkpoint.js';
import type { FlowRun } from '../src/flow/training-run.js';
import { validateFlowSettings } from '../src/validate-flow.js';
import { runCli, tempDir, writeRandomPng } from './helpers/cli.js';

let dir: string;
const p = (name: string) => path.join(dir, name);
const TRAIN = ['--hold-out', '1', '--scale', '2', '--size', 'tiny', '--batch', '2', '--patch', '16', '--threads', '1', '--quiet'];
const trainFlow = (args: string[]) => runCli(['train-flow', '--data', p('data'), ...TRAIN, ...args]);
// A check that wrongly lets the run start ends it in moments.
const SHORT = ['--steps', '2'];

beforeAll(async () => {
  dir = await tempDir('deep-prior-train-flow-checks-');
  await fs.mkdir(p('data'));
  for (const name of ['a', 'b', 'c']) await writeRandomPng(p(`data/${name}.png`), 48, 48);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('train-flow never writes over its images', () => {
  it('refuses -o, --checkpoint or --curve naming a training or validation image, even with --force', async () => {
    // --hold-out 1 of a, b, c holds out b: a and c are training images.
    const cases: [string, string[], string][] = [
      ['-o', ['-o', p('data/a.png')], 'a.png'],
      ['--curve', ['-o', p('m.hcflow'), '--curve', p('data/b.png')], 'b.png'],
      ['--checkpoint', ['-o', p('m.hcflow'), '--checkpoint', p('data/c.png')], 'c.png'],
    ];
    for (const [flag, args, name] of cases) {
      const before = await fs.readFile(p(`data/${name}`));
      const r = await trainFlow([...SHORT, ...args, '--force']);
      expect(r.code, flag).toBe(2);
      expect(r.stderr, flag).toBe(
        `deep-prior: output path is the input file (${p(`data/${name}`)}): choose another ${flag} path; deep-prior never overwrites an input\n`,
      );
      expect(await fs.readFile(p(`data/${name}`)), flag).toEqual(before);
    }
    await expect(fs.stat(p('m.hcflow'))).rejects.toThrow();
  });
});

describe('train-flow names the option of each output', () => {
  it('the implicit checkpoint (next to -o) is -o; a --checkpoint FILE is --checkpoint', async () => {
    const implicit = await trainFlow([...SHORT, '-o', '/proc/m.hcflow']);
    expect(implicit.code).toBe(2);
    expect(implicit.stderr).toMatch(/^deep-prior: -o: cannot write into the folder \/proc/);
    const explicit = await trainFlow([...SHORT, '-o', p('m.hcflow'), '--checkpoint', '/proc/m.dpckpt']);
    expect(explicit.stderr).toMatch(/^deep-prior: --checkpoint: cannot write into the folder \/proc/);
  });
});

describe('--until on a --resume without --steps', () => {
  const data = { train: ['data/a.png', 'data/c.png'], validation: ['data/b.png'] };
  const checkpoint = (steps: number): TrainingCheckpoint => ({
    run: { settings: newRunSettings({ scale: 2, size: 'tiny', steps }) } as unknown as FlowRun,
    data,
  });
  const resume = (o: Record<string, unknown>) => validateFlowSettings('train-flow', { data: 'data', holdOut: 1, scale: 2, resume: true, ...o });

  it('is not checked against the default --steps, which the checkpoint may not have', async () => {
    expect(() => resume({ until: 30000 })).not.toThrow();
    expect(() => resume({ until: 30000, steps: 20000 })).toThrow('until 30000 is after the last step (steps 20000)');
    const r = await trainFlow(['-o', p('fresh.hcflow'), '--resume', '--until', '30000']);
    expect(r.stderr).toMatch(/^deep-prior: --resume: there is no checkpoint /);
  });

  it("is checked against the checkpoint's --steps", () => {
    expect(() => checkResumable(checkpoint(50000), resume({ until: 30000 }), data)).not.toThrow();
    expect(() => checkResumable(checkpoint(50000), resume({ until: 50000 }), data)).not.toThrow();
    expect(() => checkResumable(checkpoint(50000), resume({ until: 60000 }), data)).toThrow(
      "--resume: --until 60000 is after the checkpoint's last step (--steps 50000): give --until 50000 or less",
    );
  });
});
