/** `deep-prior search` (the real search, tiny counts) and --arch auto on a fitting command: printed choice, JSON lines, report keys. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestoreHooks, RestoreOptions } from '../src/options/index.js';
import { parseGenotype } from '../src/search/genotype.js';
import type { SearchSummary } from '../src/search/types.js';
import type { StopSignal } from '../src/cli/deps.js';
import { fakeRestore, printedCommand, runCli, tempDir, writeRandomPng } from './helpers/cli.js';

let dir: string;
let input: string;
let summary: SearchSummary;
beforeAll(async () => {
  dir = await tempDir('deep-prior-search-');
  input = await writeRandomPng(path.join(dir, 'in.png'), 48, 40);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const SMALL = ['--candidates', '3', '--cohort', '2', '--iterations', '3', '--channels', '16', '--threads', '1', '--backend', 'cpu'];

describe('deep-prior search', () => {
  it('--json: progress as search events, then the result; --report: every phase’s cost and the whole ranking', async () => {
    const report = path.join(dir, 'search.json');
    const run = await runCli(['search', input, '--task', 'denoise', ...SMALL, '--default-net', 'compete', '--json', '--report', report]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.type === 'search').map((l) => l.phase)).toEqual(expect.arrayContaining(['screen', 'cohort']));
    const done = lines.at(-1);
    expect(done.type).toBe('done');
    const doc = JSON.parse(await fs.readFile(report, 'utf8'));
    expect(Object.keys(doc)).toEqual(['task', 'version', 'input', 'options', 'search']);
    summary = doc.search;
    expect(Object.keys(summary).sort()).toEqual(
      [
        'backend',
        'candidates',
        'chosen',
        'cohort',
        'cohortImage',
        'cohortSize',
        'contender',
        'defaultNet',
        'metrics',
        'phases',
        'prefer',
        'ranking',
        'seconds',
        'selected',
        'selection',
        'threads',
        'toleranceDb',
      ].sort(),
    );
    expect(summary.ranking).toHaveLength(3);
    expect(Object.keys(summary.phases)).toEqual(['screen', 'cohort', 'cost']);
    for (const p of Object.values(summary.phases)) expect(Object.keys(p)).toEqual(['seconds', 'cpuSeconds', 'units']);
    expect(Object.keys(summary.cohort[0]).sort()).toEqual(
      ['cohortOf', 'cost', 'description', 'fit', 'genotype', 'onFrontier', 'scoreByRule', 'scores', 'selectionScore', 'weight'].sort(),
    );
    // The preset's own network competed: it is a fitted member, and the choice is it or a genotype.
    expect(summary.defaultNet).toBe('compete');
    expect(summary.contender).toMatchObject({ arch: 'skip' });
    expect(summary.cohort.map((m: { genotype: string }) => m.genotype)).toContain('skip');
    if (summary.chosen !== 'skip') expect(() => parseGenotype(summary.chosen)).not.toThrow();
    expect(done.chosen).toBe(summary.chosen);
  }, 300_000);

  it('prints the ranking, the frontier and the command that fits the choice', async () => {
    const run = await runCli(['search', input, ...SMALL, '--prefer', 'quality', '--cohort', '1']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^search: screening 1\/3/m);
    expect(run.stdout).toMatch(/^quality\/cost frontier, cheapest first: xs1_/m);
    expect(run.stdout).toMatch(/^chosen \(--prefer quality\): (xs1_\S+), ISNAS-DIP's own choice$/m);
    expect(run.stdout).not.toMatch(/preset's own network|DEFAULT/);
    const chosen = /^chosen \(--prefer quality\): (xs1_\S+),/m.exec(run.stdout)![1];
    expect(run.stdout).toContain(`fit it: deep-prior denoise ${input} --arch ${chosen} -o OUTPUT`);
  }, 300_000);

  it('bad search options are refused before any file is read', async () => {
    const run = await runCli(['search', path.join(dir, 'missing.png'), '--cohort', '9', '--candidates', '3']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('deep-prior: --cohort 9 is more than the 3 screened: raise --candidates or lower --cohort');
  });
});

describe('--arch auto on a fitting command', () => {
  it('hands search progress to the reporter and writes the search into the report', async () => {
    const calls: { options: RestoreOptions; hooks: RestoreHooks }[] = [];
    const fake = fakeRestore({ log: { calls } });
    const restore = async (o: RestoreOptions, h?: RestoreHooks) => {
      h?.onSearchProgress?.({ phase: 'screen', index: 1, count: 3, elapsedSeconds: 1, etaSeconds: 2 });
      return { ...(await fake(o, h)), search: summary };
    };
    const out = path.join(dir, 'out.png');
    const report = path.join(dir, 'r.json');
    const run = await runCli(['denoise', input, '-o', out, '--arch', 'auto', '--candidates', '3', '--report', report, '--force'], { restore });
    expect(run.code, run.stderr).toBe(0);
    expect(calls[0].options).toMatchObject({ arch: 'auto', candidates: 3 });
    expect(run.stderr).toMatch(/^search: screening 1\/3 {2}ETA 0:02$/m);
    expect(run.stdout).toContain(`network ${summary.chosen}, chosen by a search of 3 networks`);
    const doc = JSON.parse(await fs.readFile(report, 'utf8'));
    expect(doc.search).toEqual(summary);
  });

  it('interrupted during the final fit: the printed command continues with the chosen genotype, without searching again', async () => {
    let handler: (s: StopSignal) => void = () => {};
    const fake = fakeRestore({ interruptAt: 3, trigger: () => handler('SIGTERM') });
    const restore = async (o: RestoreOptions, h?: RestoreHooks) => ({ ...(await fake(o, h)), search: summary });
    const out = path.join(dir, 'cut.png');
    const args = ['denoise', input, '-o', out, '--arch', 'auto', '--candidates', '3', '--prefer', 'speed', '--iterations', '9'];
    const run = await runCli(args, {
      restore,
      onInterrupt: (h) => {
        handler = h;
        return () => {};
      },
    });
    expect(run.code).toBe(143);
    expect(printedCommand(run.stderr)).toEqual([
      'deep-prior',
      'denoise',
      input,
      '-o',
      out,
      '--arch',
      summary.chosen,
      '--iterations',
      '9',
      '--checkpoint',
      `${out}.dpckpt`,
      '--resume',
    ]);
  });
});
