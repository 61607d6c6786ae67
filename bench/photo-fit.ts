/**
 * One fit of bench:photos in a process of its own: the library's restore with the given options,
 * recording the process's CPU time at every step. Prints one JSON line: the plan, how the fit went,
 * the median wall and CPU seconds per step (within a tile; the first step of each left out) and the
 * process's peak RSS (VmHWM). With "planOnly": true, only the plan ("recalibrate": true measures the calibration again).
 * With "checkpoint": a file, the fit checkpoints there every 25 steps and a later process resumes it.
 *   npx tsx bench/photo-fit.ts '{"task":"denoise","input":"in.png","output":"out.png","options":{"threads":2}}'
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { FileCheckpointStore } from '../src/cli/checkpoint-node.js';
import { maskFromImage, plan, readImage, restore, writeImage } from '../src/node.js';
import type { RestoreHooks } from '../src/options/types.js';
import type { Carried, FitArgs } from './photo-fit-args.js';

const args = JSON.parse(process.argv[2]) as FitArgs;
const image = (await readImage(args.input)).image;
const mask = args.mask ? maskFromImage((await readImage(args.mask)).image) : undefined;
if (args.planOnly) {
  const hooks = { recalibrate: args.recalibrate, log: (m: string) => process.stderr.write(`${m}\n`) };
  console.log(JSON.stringify({ plan: await plan({ task: args.task, image, ...(mask && { mask }), ...args.options }, hooks) }));
  process.exit(0);
}
const steps: { tile: number; wall: number; cpu: number }[] = [];
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const peakRss = () => Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? Number.NaN) * 1024;
const started = performance.now();
const carried: Carried =
  args.checkpoint && existsSync(`${args.checkpoint}.json`)
    ? JSON.parse(readFileSync(`${args.checkpoint}.json`, 'utf8'))
    : { wallSeconds: 0, cpuSeconds: 0, peakRssBytes: 0, processes: 0 };

/** Checkpointing of a resumable row: the fit state, and beside it what every process so far has spent. */
function checkpointHooks(file: string): Pick<RestoreHooks, 'checkpoint' | 'checkpointEvery'> {
  const store = new FileCheckpointStore(file, { resume: existsSync(file) });
  const spent = (): Carried => ({
    wallSeconds: carried.wallSeconds + (performance.now() - started) / 1000,
    cpuSeconds: carried.cpuSeconds + cpuNow(),
    peakRssBytes: Math.max(carried.peakRssBytes, peakRss()),
    processes: carried.processes + 1,
  });
  const save: typeof store.save = async (d) => {
    await store.save(d);
    writeFileSync(`${file}.json.tmp`, JSON.stringify(spent()));
    renameSync(`${file}.json.tmp`, `${file}.json`);
  };
  return { checkpoint: { load: () => store.load(), save }, checkpointEvery: 25 };
}

const r = await restore(
  { task: args.task, image, ...(mask && { mask }), ...args.options },
  {
    log: (m) => process.stderr.write(`${m}\n`),
    onProgress: (p) => void steps.push({ tile: p.tile ?? 0, wall: p.seconds, cpu: cpuNow() }),
    ...(args.checkpoint && checkpointHooks(args.checkpoint)),
  },
);
await writeImage(args.output, r.image);

/** Median of a quantity's step-to-step differences within each tile. */
function median(key: 'wall' | 'cpu'): number {
  const d: number[] = [];
  for (let i = 1; i < steps.length; i++) if (steps[i].tile === steps[i - 1].tile) d.push(steps[i][key] - steps[i - 1][key]);
  d.sort((a, b) => a - b);
  return d[Math.floor(d.length / 2)] ?? Number.NaN;
}
const hwm = peakRss();
const perIteration = r.plan?.tiling?.mode === 'joint' ? r.plan.tiles : 1;
console.log(
  JSON.stringify({
    plan: r.plan,
    iterations: r.iterations,
    stopReason: r.stopReason,
    seconds: r.seconds,
    tiles: r.plan?.tiles ?? 1,
    // A joint tiled fit's iteration passes over every tile: per tile, as the plan counts it.
    wallPerStep: median('wall') / perIteration,
    cpuPerStep: median('cpu') / perIteration,
    peakRssBytes: hwm,
    carried,
  }),
);
