/**
 * The queue from a producer's side (library and CLI): add a restoration job, count jobs by state.
 * One-shot connections fail fast with a one-line error when Redis cannot be reached.
 */
import { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { LIBRARY_NAMING, type Naming } from '../options/index.js';
import { RunError, oneLine } from '../util/errors.js';
import { absoluteJob, jobId, jobRequest, type RestoreJob } from './job.js';

export interface QueueAddress {
  /** redis://host:port (rediss:// for TLS). */
  redis: string;
  queue: string;
}

export interface EnqueueOptions {
  /** Tries of a job that fails at run time (default 3); bad input fails at once. */
  attempts?: number;
  /** Milliseconds before the first retry, doubling after each (default 2000). */
  backoff?: number;
  naming?: Naming;
}

export interface Enqueued {
  id: string;
  /** False when the same job was already on the queue (it is not added twice). */
  created: boolean;
  state: string;
}

export type JobCounts = Record<'waiting' | 'active' | 'completed' | 'failed' | 'delayed' | 'prioritized' | 'paused', number>;

/** A connection for one-shot commands: a few quick retries, then an error. */
export function shortConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 2, connectTimeout: 5000, retryStrategy: (n) => (n > 2 ? null : 200) });
}

async function withQueue<T>(at: QueueAddress, use: (q: Queue) => Promise<T>): Promise<T> {
  const connection = shortConnection(at.redis);
  connection.on('error', () => {}); // reported by the command that fails
  const queue = new Queue(at.queue, { connection });
  queue.on('error', () => {});
  try {
    await queue.waitUntilReady().catch((e) => {
      throw new RunError(`cannot reach Redis at ${at.redis}: ${oneLine(e)}; is the server running?`, { code: 'REDIS_UNREACHABLE', cause: e });
    });
    return await use(queue);
  } finally {
    await queue.close().catch(() => {});
    connection.disconnect();
  }
}

/** Checks the job (the same validator as the fitting commands) and adds it once. */
export async function enqueueRestore(at: QueueAddress, job: RestoreJob, opts: EnqueueOptions = {}): Promise<Enqueued> {
  const full = absoluteJob(job);
  jobRequest(full, opts.naming ?? LIBRARY_NAMING);
  const id = jobId(full);
  return withQueue(at, async (queue) => {
    const existing = await Job.fromId(queue, id);
    if (existing) return { id, created: false, state: await existing.getState() };
    await queue.add('restore', full, {
      jobId: id,
      attempts: opts.attempts ?? 3,
      backoff: { type: 'exponential', delay: opts.backoff ?? 2000 },
      removeOnComplete: false,
      removeOnFail: false,
    });
    return { id, created: true, state: 'waiting' };
  });
}

export async function queueCounts(at: QueueAddress): Promise<JobCounts> {
  return withQueue(at, async (queue) => {
    const c = await queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized', 'paused');
    return { waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0, prioritized: 0, paused: 0, ...c } as JobCounts;
  });
}
