/**
 * A queue worker: takes restoration jobs from a BullMQ queue and fits each in a sandboxed child
 * process (src/worker/processor.ts), so the worker's own event loop stays free to renew job locks.
 * A worker that dies leaves its jobs locked until --lock-duration passes; another worker's stalled
 * check then puts them back on the queue and they are fitted again (at-least-once delivery, and the
 * output write is idempotent).
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { QueueAddress } from './client.js';

export interface WorkerSettings extends QueueAddress {
  concurrency?: number;
  threads?: number;
  lockDuration?: number;
  stalledInterval?: number;
  /** Called for each job event: active, progress, completed, failed, stalled. */
  onEvent?: (event: Record<string, unknown>) => void;
}

/** The processor beside this file (.ts when run from source, .js once built). */
function processorFile(): string {
  const here = fileURLToPath(import.meta.url);
  return path.join(path.dirname(here), `processor${path.extname(here)}`);
}

export function startWorker(s: WorkerSettings): Worker {
  const concurrency = s.concurrency ?? 1;
  const threads = s.threads ?? Math.max(1, Math.floor(availableParallelism() / concurrency));
  const connection = new Redis(s.redis, { maxRetriesPerRequest: null });
  const emit = s.onEvent ?? (() => {});
  connection.on('error', (e) => emit({ type: 'redis-error', message: e.message }));
  const worker = new Worker(s.queue, processorFile(), {
    connection,
    concurrency,
    lockDuration: s.lockDuration ?? 30_000,
    stalledInterval: s.stalledInterval ?? 30_000,
    maxStalledCount: 3,
    useWorkerThreads: false,
    workerForkOptions: { env: { ...process.env, DEEP_PRIOR_WORKER_THREADS: String(threads) } },
  });
  worker.on('active', (job) => emit({ type: 'active', job: job.id, attempt: job.attemptsMade, input: job.data?.input }));
  worker.on('progress', (job, progress) => emit({ type: 'progress', job: job.id, progress }));
  worker.on('completed', (job, result) => emit({ type: 'completed', job: job.id, ...result }));
  worker.on('failed', (job, err) => emit({ type: 'failed', job: job?.id, attempt: job?.attemptsMade, message: err.message }));
  worker.on('stalled', (id) => emit({ type: 'stalled', job: id }));
  worker.on('error', (e) => emit({ type: 'error', message: e.message }));
  worker.on('closed', () => connection.disconnect());
  return worker;
}
