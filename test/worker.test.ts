/**
 * The queue worker against a real local Redis (test/setup/redis.ts): two workers, 20 jobs, one
 * worker killed with SIGKILL in the middle of a job. Every result must be present and correct
 * (the same bytes as the same job fitted here), every write of an output must carry the same
 * content, the killed worker's job must be finished by the other, and a job with a bad input
 * fails once without retries.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, inject, it } from 'vitest';
import { fitToFiles } from '../src/batch/fit-to-files.js';
import { fileSha256 } from '../src/batch/keys.js';
import { defaultDeps } from '../src/cli/deps.js';
import { enqueueRestore, queueCounts } from '../src/worker/client.js';
import { jobRequest, type RestoreJob } from '../src/worker/job.js';
import { runCli, tempDir, writeRandomPng } from './helpers/cli.js';
import { spawnCli, waitFor, type Spawned } from './helpers/spawn.js';

const redis = inject('redisUrl');
const missing = inject('redisMissing');
if (!redis) console.warn(`skipping test/worker.test.ts: ${missing}`);

let dir: string;
const workers: Spawned[] = [];
afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

const events = (w: Spawned) =>
  w
    .stdout()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown> & { type: string; job?: string });

const OPTIONS = { iterations: 100, stop: 'fixed', arch: 'decoder', channels: 2, backend: 'cpu', threads: 1, seed: 5 };

it.skipIf(!redis)(
  '2 workers, 20 jobs, one worker SIGKILLed mid-job: all 20 results present and correct, no output written with two contents',
  async () => {
    dir = await tempDir('deep-prior-worker-');
    const at = { redis, queue: `q${process.pid}` };
    await fs.mkdir(path.join(dir, 'in'));
    const jobs: RestoreJob[] = [];
    for (let i = 0; i < 20; i++) {
      const input = await writeRandomPng(path.join(dir, 'in', `p${i}.png`), 16 + (i % 3) * 8, 16, 3);
      jobs.push({ task: 'denoise', input, output: path.join(dir, 'out', `p${i}.png`), options: { ...OPTIONS, seed: i } });
    }
    const bad = path.join(dir, 'in', 'bad.png');
    await fs.writeFile(bad, 'not an image');
    for (const job of jobs) expect((await enqueueRestore(at, job, { backoff: 200 })).created).toBe(true);
    expect((await enqueueRestore(at, jobs[0])).created).toBe(false); // the same job is not added twice
    await enqueueRestore(at, { task: 'denoise', input: bad, output: path.join(dir, 'out', 'bad.png'), options: OPTIONS });

    const args = ['worker', '--redis', redis, '--queue', at.queue, '--json', '--lock-duration', '3000', '--stalled-interval', '1000'];
    const [a, b] = [spawnCli(args), spawnCli(args)];
    workers.push(a, b);
    // Kill A while it is fitting a job (it reported progress on it and has not finished it).
    let victim: string | undefined;
    await waitFor(
      () => {
        const ev = events(a);
        const done = new Set(ev.filter((e) => e.type === 'completed' || e.type === 'failed').map((e) => e.job));
        // Early in a fit (progress is reported at most every 500 ms), so it cannot finish before the kill lands.
        const early = (e: (typeof ev)[number]) => {
          const p = e.progress as { iteration: number; total: number } | undefined;
          return e.type === 'progress' && p !== undefined && p.iteration <= p.total / 4;
        };
        victim = ev.find((e) => early(e) && !done.has(e.job) && e.job !== undefined)?.job;
        return victim !== undefined;
      },
      120_000,
      'worker A fitting a job',
    );
    a.child.kill('SIGKILL');
    await a.exited;

    let seen = {};
    await waitFor(
      async () => {
        seen = await queueCounts(at);
        const c = seen as { completed: number; failed: number };
        return c.completed === 20 && c.failed === 1;
      },
      360_000,
      'all 20 jobs completed and the bad one failed',
    ).catch((e) => {
      throw new Error(`${e.message}; counts ${JSON.stringify(seen)}; worker B said: ${b.stdout().slice(-1500)} ${b.stderr().slice(-500)}`);
    });
    const counts = await queueCounts(at);
    expect(counts).toMatchObject({ completed: 20, failed: 1, active: 0, waiting: 0 });
    const failed = events(b)
      .concat(events(a))
      .find((e) => e.type === 'failed');
    expect(failed?.message).toMatch(/bad\.png is not an image/);
    expect(failed?.attempt).toBe(1); // bad input is not retried
    expect(events(a).some((e) => e.type === 'completed' && e.job === victim)).toBe(false);
    expect(events(b).some((e) => e.type === 'completed' && e.job === victim)).toBe(true); // the dead worker's job, finished by the other

    // Every write of an output carried one content, the one in the file.
    const writes = [...events(a), ...events(b)].filter((e) => e.type === 'written');
    for (const job of jobs) {
      const shas = new Set(writes.filter((w) => w.output === job.output).map((w) => w.sha256));
      expect(shas.size, job.output).toBe(1);
      expect([...shas][0]).toBe(await fileSha256(job.output));
    }
    // Correct: the killed job and three others give the same bytes when fitted here.
    for (const i of [...new Set([jobs.findIndex((j) => events(b).some((e) => e.job === victim && e.input === j.input)), 0, 7, 19])].filter((i) => i >= 0)) {
      const here = { ...jobs[i], output: path.join(dir, 'check', `p${i}.png`) };
      await fitToFiles(jobRequest(here), defaultDeps(), {});
      expect(await fileSha256(here.output), `job ${i}`).toBe(await fileSha256(jobs[i].output));
    }
    const shown = await runCli(['queue', '--redis', redis, '--queue', at.queue]);
    expect(shown.stdout).toMatch(/0 waiting, 0 active, 0 delayed \(retrying\), 20 done, 1 failed/);
    b.child.kill('SIGTERM');
    expect((await b.exited).code).toBe(0);
  },
  480_000,
);

it("enqueue checks the job with the fitting commands' validator before reaching Redis", async () => {
  const r = await runCli(['enqueue', 'denoise', 'x.png', '-o', 'y.png', '--redis', 'redis://127.0.0.1:1', '--queue', 'q', '--scale', '2']);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe('deep-prior: --scale only applies to super-resolve, not to denoise\n');
  const lib = enqueueRestore({ redis: 'redis://127.0.0.1:1', queue: 'q' }, { task: 'denoise', input: 'x.png', output: 'y.png', options: { regNoise: -1 } });
  await expect(lib).rejects.toThrow(/^regNoise must be a number from 0 to 1/);
  const url = await runCli(['queue', '--redis', 'localhost:6379', '--queue', 'q']);
  expect(url.code).toBe(2);
  expect(url.stderr).toMatch(/--redis must be a Redis URL such as redis:\/\/127\.0\.0\.1:6379/);
});
