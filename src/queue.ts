/**
 * The queue entry point: restoration jobs on BullMQ over Redis.
 *   import { enqueueRestore, queueCounts, startWorker } from 'deep-prior/queue';
 */
export { enqueueRestore, queueCounts, type EnqueueOptions, type Enqueued, type JobCounts, type QueueAddress } from './worker/client.js';
export { jobId, jobRequest, type RestoreJob, type RestoreJobResult } from './worker/job.js';
export { startWorker, type WorkerSettings } from './worker/worker.js';
