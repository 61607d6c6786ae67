/**
 * The options of the queue commands (worker, enqueue, queue): where the queue is and how jobs are
 * delivered, in the form of the option tables (src/options/table.ts): flags, help and checks.
 */
import { int, text } from '../options/kinds.js';
import type { OptionSpec } from '../options/table.js';

const redisUrl = text('a Redis URL such as redis://127.0.0.1:6379 (rediss:// for TLS)', (s) => /^rediss?:\/\/[^\s]+$/.test(s));

export const QUEUE_OPTIONS = {
  redis: { kind: redisUrl, flag: '--redis', arg: '<url>', help: 'the Redis server holding the queue', group: 'output' },
  queue: {
    kind: text('a queue name (letters, digits, - _ .)', (s) => /^[A-Za-z0-9._-]{1,100}$/.test(s)),
    flag: '--queue',
    arg: '<name>',
    help: 'the queue name',
    group: 'output',
  },
} as const satisfies Record<string, OptionSpec>;

export const WORKER_OPTIONS = {
  concurrency: { kind: int(1, 64), flag: '--concurrency', arg: '<n>', help: 'jobs fitted at once, each in its own process', default: '1', group: 'output' },
  threads: {
    kind: int(1, 1024),
    flag: '--threads',
    arg: '<n>',
    help: 'CPU threads per fit (a job may set its own)',
    default: 'cores / --concurrency',
    group: 'output',
  },
  lockDuration: {
    kind: int(1000, 3_600_000),
    flag: '--lock-duration',
    arg: '<ms>',
    help: 'how long a job stays locked to this worker without a renewal; a dead worker’s job is retried after it',
    default: '30000',
    group: 'output',
  },
  stalledInterval: {
    kind: int(500, 3_600_000),
    flag: '--stalled-interval',
    arg: '<ms>',
    help: 'how often this worker looks for jobs of dead workers',
    default: '30000',
    group: 'output',
  },
} as const satisfies Record<string, OptionSpec>;

export const ENQUEUE_OPTIONS = {
  attempts: {
    kind: int(1, 100),
    flag: '--attempts',
    arg: '<n>',
    help: 'tries of a job that fails at run time (with exponential backoff)',
    default: '3',
    group: 'output',
  },
  backoff: {
    kind: int(0, 3_600_000),
    flag: '--backoff',
    arg: '<ms>',
    help: 'delay before the first retry (doubling after each)',
    default: '2000',
    group: 'output',
  },
} as const satisfies Record<string, OptionSpec>;
