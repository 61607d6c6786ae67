/**
 * The queue commands, on BullMQ over Redis: `worker` fits jobs from a queue, `enqueue` adds one
 * (the fitting commands' options, from the same tables and checked by the same validator), and
 * `queue` counts jobs by state.
 */
import type { Command } from 'commander';
import { RESTORE_OPTIONS, TASKS, type TaskName } from '../options/index.js';
import { flagNaming, type Naming } from '../options/naming.js';
import { listOr, show } from '../options/kinds.js';
import { checkCombinations, checkValues } from '../options/values.js';
import { InputError } from '../util/errors.js';
import type { QueueAddress } from '../worker/client.js';
import type { RestoreJob } from '../worker/job.js';
import { ENQUEUE_OPTIONS, QUEUE_OPTIONS, WORKER_OPTIONS } from '../worker/options.js';
import { CLI_OPTIONS } from './cli-options.js';
import type { CliDeps } from './deps.js';
import { examples } from './command-options.js';
import { addOptions, valuesFromFlags, type OptionTable } from './flags.js';
import { toJsonLine } from './progress.js';

const pick = (keys: readonly (keyof typeof CLI_OPTIONS)[]) => Object.fromEntries(keys.map((k) => [k, CLI_OPTIONS[k]])) as OptionTable;
const SHOW = pick(['json', 'quiet', 'debug']);
const WRITE_KEYS = ['bitDepth', 'quality', 'stripMetadata'] as const;
const ENQUEUE_TABLE: OptionTable = { ...pick(['output', 'report', ...WRITE_KEYS]), ...QUEUE_OPTIONS, ...ENQUEUE_OPTIONS, ...SHOW };
const WORKER_TABLE: OptionTable = { ...QUEUE_OPTIONS, ...WORKER_OPTIONS, ...SHOW };
const QUEUE_TABLE: OptionTable = { ...QUEUE_OPTIONS, ...SHOW };
const NAMING: Naming = flagNaming([RESTORE_OPTIONS, CLI_OPTIONS, QUEUE_OPTIONS, WORKER_OPTIONS, ENQUEUE_OPTIONS]);
const IMAGE_KEYS = ['mask', 'guide', 'reference'] as const;

// BullMQ and ioredis load only when a queue command runs (the other commands start fast).
const client = () => import('../worker/client.js');

/** The command's own values, typed and checked through its table; --redis and --queue are mandatory. */
function ownValues(flags: Record<string, unknown>, table: OptionTable): Record<string, unknown> & QueueAddress {
  const v = valuesFromFlags(flags, table);
  checkValues(v, table, NAMING);
  checkCombinations(v, table, NAMING);
  return v as Record<string, unknown> & QueueAddress;
}

function command(program: Command, name: string, description: string, table: OptionTable): Command {
  const cmd = program.command(name).description(description);
  addOptions(cmd, table, Object.keys(table));
  for (const key of ['redis', 'queue', 'output']) cmd.options.find((o) => o.attributeName() === key)?.makeOptionMandatory();
  return cmd;
}

export function addQueueCommands(program: Command, deps: CliDeps, setExitCode: (code: number) => void): void {
  const enqueue = command(program, 'enqueue', 'add a restoration job to a queue (BullMQ on Redis) for `deep-prior worker`', ENQUEUE_TABLE)
    .argument('<task>', `what to restore: ${listOr([...TASKS])}`)
    .argument('<input>', 'the damaged image (a path the workers can read)');
  addOptions(enqueue, RESTORE_OPTIONS, Object.keys(RESTORE_OPTIONS));
  enqueue.addHelpText(
    'after',
    examples(['deep-prior enqueue denoise /data/in/a.png -o /data/out/a.png --redis redis://127.0.0.1:6379 --queue restore --seed 1']),
  );
  enqueue.action(async (task: string, input: string, flags: Record<string, unknown>) => setExitCode(await runEnqueue(task, input, flags, deps)));

  const worker = command(
    program,
    'worker',
    'fit jobs from a queue (BullMQ on Redis), each in a child process; stops on Ctrl-C or SIGTERM after its jobs',
    WORKER_TABLE,
  );
  worker.addHelpText('after', examples(['deep-prior worker --redis redis://127.0.0.1:6379 --queue restore --concurrency 2 --json']));
  worker.action(async (flags: Record<string, unknown>) => setExitCode(await runWorker(flags, deps)));

  const queue = command(program, 'queue', 'show how many jobs of a queue wait, run, are done or failed', QUEUE_TABLE);
  queue.action(async (flags: Record<string, unknown>) => setExitCode(await runQueue(flags, deps)));
}

async function runEnqueue(task: string, input: string, flags: Record<string, unknown>, deps: CliDeps): Promise<number> {
  if (!TASKS.includes(task as TaskName)) throw new InputError(`unknown task ${show(task)}: use ${listOr([...TASKS])}`, { code: 'USAGE' });
  const own = ownValues(flags, ENQUEUE_TABLE);
  const options = valuesFromFlags(flags, RESTORE_OPTIONS);
  const files: RestoreJob['files'] = {};
  for (const k of IMAGE_KEYS) {
    if (typeof options[k] === 'string') files[k] = options[k] as string;
    delete options[k];
  }
  const write = Object.fromEntries(WRITE_KEYS.filter((k) => own[k] !== undefined).map((k) => [k, own[k]]));
  const job: RestoreJob = {
    task: task as TaskName,
    input,
    output: own.output as string,
    options,
    files,
    write,
    ...(own.report !== undefined && { report: own.report as string }),
  };
  const added = await (await client()).enqueueRestore(own, job, {
    attempts: own.attempts as number | undefined,
    backoff: own.backoff as number | undefined,
    naming: NAMING,
  });
  if (own.json) deps.stdout.write(toJsonLine({ type: 'enqueued', ...added }));
  else if (!own.quiet) deps.stdout.write(added.created ? `queued ${added.id}\n` : `${added.id} is already on the queue (${added.state}); not added again\n`);
  return 0;
}

async function runQueue(flags: Record<string, unknown>, deps: CliDeps): Promise<number> {
  const own = ownValues(flags, QUEUE_TABLE);
  const c = await (await client()).queueCounts(own);
  if (own.json) deps.stdout.write(toJsonLine({ type: 'counts', queue: own.queue, ...c }));
  else
    deps.stdout.write(
      `${own.queue}: ${c.waiting + c.prioritized} waiting, ${c.active} active, ${c.delayed} delayed (retrying), ${c.completed} done, ${c.failed} failed\n`,
    );
  return 0;
}

async function runWorker(flags: Record<string, unknown>, deps: CliDeps): Promise<number> {
  const own = ownValues(flags, WORKER_TABLE);
  const say = (e: Record<string, unknown>) => {
    if (own.json) deps.stdout.write(toJsonLine(e));
    else if (!own.quiet && e.type !== 'progress') deps.stderr.write(`${plainEvent(e)}\n`);
  };
  const { startWorker } = await import('../worker/worker.js');
  const worker = startWorker({ ...own, onEvent: say } as Parameters<typeof startWorker>[0]);
  say({ type: 'started', queue: own.queue, redis: own.redis, pid: process.pid });
  await new Promise<void>((resolve) => {
    const stop = () => {
      say({ type: 'stopping', message: 'finishing the running jobs (signal again to quit at once)' });
      resolve();
    };
    const uninstall = deps.onInterrupt(stop);
    process.once('SIGTERM', stop);
    worker.once('closed', () => {
      uninstall();
      resolve();
    });
  });
  await worker.close();
  return 0;
}

function plainEvent(e: Record<string, unknown>): string {
  const parts = Object.entries(e)
    .filter(([k]) => k !== 'type')
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return `worker: ${e.type} ${parts.join(' ')}`;
}
