/**
 * A batch killed with SIGKILL in the middle and started again finishes every file exactly once:
 * one output and one report per input, one 'done' journal record per file, the files finished
 * before the kill skipped (not redone), no temporary file left. Real processes, real fits.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { parseJournal } from '../src/batch/journal.js';
import { readImage } from '../src/image/io-node.js';
import { tempDir, writeRandomPng } from './helpers/cli.js';
import { spawnCli, waitFor } from './helpers/spawn.js';

let dir: string;
afterAll(async () => {
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

async function listFiles(root: string, rel = ''): Promise<string[]> {
  const entries = await fs.readdir(path.join(root, rel), { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(root, child)));
    else out.push(child);
  }
  return out;
}

/** A batch of tiny two-channel decoder fits, two at a time, with JSON progress. */
function batchArgs(inDir: string, outDir: string, iterations: number): string[] {
  const fit = ['--iterations', String(iterations), '--stop', 'fixed', '--arch', 'decoder', '--channels', '2'];
  return ['batch', 'denoise', inDir, '-o', outDir, ...fit, '--backend', 'cpu', '--concurrency', '2', '--json'];
}

it('SIGKILL mid-batch, then a rerun: every file exactly once', async () => {
  dir = await tempDir('deep-prior-batch-kill-');
  const inDir = path.join(dir, 'in');
  const outDir = path.join(dir, 'out');
  const N = 12;
  const names = Array.from({ length: N }, (_, i) => (i % 3 === 0 ? `sub/p${i}.png` : `p${i}.png`));
  await fs.mkdir(path.join(inDir, 'sub'), { recursive: true });
  for (const [i, n] of names.entries()) await writeRandomPng(path.join(inDir, n), 16 + (i % 2) * 8, 16, 3);
  const args = batchArgs(inDir, outDir, 3);
  const journalFile = path.join(outDir, '.deep-prior', 'journal.jsonl');
  const records = async () => parseJournal(await fs.readFile(journalFile, 'utf8').catch(() => ''));

  const first = spawnCli(args);
  await waitFor(async () => (await records()).filter((r) => r.event === 'done').length >= 3 || first.child.exitCode !== null, 90_000, 'three finished files');
  first.child.kill('SIGKILL');
  const killed = await first.exited;
  expect(killed.signal, first.stderr()).toBe('SIGKILL');
  const before = (await records()).filter((r) => r.event === 'done').map((r) => r.file);
  expect(before.length).toBeGreaterThanOrEqual(3);
  expect(before.length).toBeLessThan(N);

  const second = spawnCli(args);
  const { code } = await second.exited;
  expect(code, second.stderr()).toBe(0);

  const all = await records();
  const done = all.filter((r) => r.event === 'done').map((r) => r.file);
  expect(done.sort()).toEqual([...names].sort()); // each file done exactly once across both runs
  const summary = JSON.parse(await fs.readFile(path.join(outDir, '.deep-prior', 'summary.json'), 'utf8'));
  expect(summary).toMatchObject({ total: N, skipped: before.length, done: N - before.length, failed: 0 });
  const files = await listFiles(outDir);
  expect(files.filter((f) => !f.startsWith('.deep-prior/')).sort()).toEqual([...names].sort());
  expect(files.filter((f) => f.startsWith('.deep-prior/reports/')).sort()).toEqual(names.map((n) => `.deep-prior/reports/${n}.json`).sort());
  expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  for (const n of names) expect((await readImage(path.join(outDir, n))).image.width).toBeGreaterThan(0);
}, 240_000);

it('a fit process killed mid-file (as the out-of-memory killer would) fails only its file; the batch goes on and a rerun completes it', async () => {
  const base = await tempDir('deep-prior-batch-oom-');
  const inDir = path.join(base, 'in');
  const outDir = path.join(base, 'out');
  await fs.mkdir(inDir);
  for (let i = 0; i < 6; i++) await writeRandomPng(path.join(inDir, `q${i}.png`), 16, 16, 3);
  const args = batchArgs(inDir, outDir, 120);
  try {
    const run = spawnCli(args);
    // A fit is under way once its backend line arrives from a child.
    await waitFor(() => /"type":"log","file":"[^"]+","message":"backend:/.test(run.stdout()), 90_000, 'a fit in a child process');
    const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(run.child.pid)], { encoding: 'utf8' })
      .trim()
      .split(/\s+/)
      .map(Number);
    expect(children.length).toBeGreaterThan(0);
    for (const pid of children) process.kill(pid, 'SIGKILL');
    const { code } = await run.exited;
    expect(code, run.stderr()).toBe(1);
    const summary = JSON.parse(await fs.readFile(path.join(outDir, '.deep-prior', 'summary.json'), 'utf8'));
    expect(summary.failed).toBeGreaterThanOrEqual(1);
    expect(summary.done + summary.failed).toBe(6);
    for (const f of summary.failures) expect(f.error).toMatch(/^the process fitting it ended \(SIGKILL\)/);
    const again = spawnCli(args);
    expect((await again.exited).code, again.stderr()).toBe(0);
    const after = JSON.parse(await fs.readFile(path.join(outDir, '.deep-prior', 'summary.json'), 'utf8'));
    expect(after).toMatchObject({ done: summary.failed, skipped: summary.done, failed: 0 });
  } finally {
    await fs.rm(base, { recursive: true, force: true });
  }
}, 240_000);
