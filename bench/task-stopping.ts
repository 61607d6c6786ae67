/**
 * Every task against its fixed budget: each example of bench/task-cases.ts is fitted once with the fast
 * preset's whole budget and `--stop watch`, so one run gives both where `--stop auto` would have stopped
 * (and what it would have returned) and the best iterate of the whole run (from the reference, when the
 * example has a ground truth). Each row is saved under bench/results/task-stopping/<set>/ as it ends and
 * reused by later runs (resumable; --fresh refits); the table is printed at the end.
 *
 *   npm run bench:task-stopping                         # the examples of docs/RESULTS.md
 *   npm run bench:task-stopping -- --set tune           # the images the rules' constants were chosen on
 *   npm run bench:task-stopping -- --only kate,vase --rule wmv   # another rule, watched on the same kind of run
 *
 * Run it under the CPU lock on a shared machine: `flock /tmp/deep-prior-cpu.lock npm run bench:task-stopping`.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { effectiveSettings, psnr, restore, type Image, type RestoreResult, type StopRule } from '../src/node.js';
import { TASK_CASES, type TaskCase } from './task-cases.js';

const { values } = parseArgs({
  options: {
    set: { type: 'string', default: 'bench' },
    only: { type: 'string' },
    rule: { type: 'string' },
    fresh: { type: 'boolean', default: false },
    threads: { type: 'string', default: '2' },
    out: { type: 'string', default: 'bench/results/task-stopping.md' },
  },
});

interface Row {
  name: string;
  task: string;
  what: string;
  size: string;
  rule: string;
  budget: number;
  /** Where the rule fired (null: it did not, and auto would have run the whole budget). */
  stoppedAt: number | null;
  /** The iterate the rule returns. */
  picked: number;
  /** PSNR of the returned estimate (the history's, so stop, best and ceiling are measured alike), with a ground truth. */
  psnrStop?: number;
  best?: { psnr: number; iteration: number };
  psnrCeiling?: number;
  /** PSNR at the budget minus PSNR at half the budget: whether the fit was still improving when it ended. */
  lastHalfGain?: number;
  /** PSNR of the stopped result against the ceiling's: how much the remaining iterations changed it. */
  stopVsCeiling: number;
  /** CPU threads of the fit (absent in rows saved before it was recorded). */
  threads?: number;
  /** Wall seconds to the stop and for the whole run; process CPU seconds of the whole run; load average at the start. */
  secondsToStop: number;
  seconds: number;
  cpuSeconds: number;
  load: number;
  reason: string;
  /** The data loss of every iteration and the rule's statistic, for replaying other rules on the run. */
  losses: number[];
  statistic: (number | null)[];
  /** MSE of the input against the ground truth (deblock: the JPEG's error), for loss-based replays. */
  inputMse?: number;
}

/** The returned estimate's PSNR at each iteration (smoothed when the run returns the smoothed estimate). */
function psnrCurve(r: RestoreResult): number[] | undefined {
  if (r.history[0]?.psnr === undefined) return undefined;
  return r.history.map((h) => (r.options.returnSmoothed ? (h.psnrSmoothed ?? h.psnr!) : h.psnr!));
}

interface Fitted {
  c: TaskCase;
  rule: StopRule;
  input: Image;
  clean?: Image;
  result: RestoreResult;
  cpuSeconds: number;
  load: number;
}

function rowOf({ c, rule, input, clean, result: r, cpuSeconds, load }: Fitted): Row {
  const curve = psnrCurve(r);
  const w = r.watched;
  const picked = w?.iteration ?? r.iterations;
  const at = (it: number) => curve?.[it - 1];
  const bestValue = curve ? Math.max(...curve) : undefined;
  return {
    name: c.name,
    task: String(r.options.task),
    what: c.what,
    size: `${r.image.width}×${r.image.height}`,
    rule,
    budget: r.iterations,
    stoppedAt: w?.stoppedAt ?? null,
    picked,
    psnrStop: at(picked),
    best: curve && bestValue !== undefined ? { psnr: bestValue, iteration: curve.indexOf(bestValue) + 1 } : undefined,
    psnrCeiling: at(r.iterations),
    lastHalfGain: curve && at(r.iterations)! - at(Math.floor(r.iterations / 2))!,
    stopVsCeiling: psnr(w?.image ?? r.image, r.image),
    secondsToStop: r.history[(w?.stoppedAt ?? r.iterations) - 1].seconds,
    seconds: r.seconds,
    cpuSeconds,
    load,
    reason: w?.reason ?? String(r.options.stopRule),
    losses: r.history.map((h) => Number(h.loss.toPrecision(6))),
    statistic: r.history.map((h) => (h.stopStatistic === undefined ? null : Number(h.stopStatistic.toPrecision(5)))),
    ...(clean && input.width === clean.width && { inputMse: 10 ** (-psnr(input, clean) / 10) }),
  };
}

/** Fits one example with its whole budget, the rule watching; or reads the row a previous run saved. */
async function runCase(c: TaskCase): Promise<Row> {
  const { options, clean } = await c.build();
  const rule = (values.rule as StopRule | undefined) ?? effectiveSettings(options).stopRule;
  const path = `bench/results/task-stopping/${values.set}/${c.name}-${rule}.json`;
  if (!values.fresh && existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as Row;
  process.stderr.write(`${c.name}: fitting (${rule})\n`);
  const load = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  const cpu0 = process.cpuUsage();
  const result = await restore({
    ...options,
    reference: clean,
    stop: 'watch',
    stopRule: values.rule ? rule : undefined,
    seed: 0,
    backend: 'cpu',
    threads: Number(values.threads),
  });
  const cpu = process.cpuUsage(cpu0);
  const row = { ...rowOf({ c, rule, input: options.image, clean, result, cpuSeconds: (cpu.user + cpu.system) / 1e6, load }), threads: Number(values.threads) };
  mkdirSync(path.slice(0, path.lastIndexOf('/')), { recursive: true });
  writeFileSync(`${path}.tmp`, JSON.stringify(row));
  renameSync(`${path}.tmp`, path);
  return row;
}

const f2 = (x?: number) => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(2));

/** One table line: where the rule stopped, what that costs against the run's best, and what it saves. */
function line(r: Row): string {
  const stop = r.stoppedAt ?? r.budget;
  const saved = `${(100 * (1 - stop / r.budget)).toFixed(0)} %`;
  const gap = r.psnrStop !== undefined && r.best ? f2(r.psnrStop - r.best.psnr) : '–';
  const best = r.best ? `${f2(r.best.psnr)} (${r.best.iteration})` : '–';
  const stopAt = r.stoppedAt === null ? `not fired (${r.budget})` : `${r.stoppedAt}${r.picked !== r.stoppedAt ? ` → ${r.picked}` : ''}`;
  const time = `${r.secondsToStop.toFixed(0)} / ${r.seconds.toFixed(0)} s`;
  return `| ${r.name} | ${r.task} | ${r.what} | ${r.size} | ${r.rule} | ${r.budget} | ${stopAt} | ${saved} | ${f2(r.psnrStop)} | ${best} | ${f2(r.psnrCeiling)} | ${f2(r.lastHalfGain)} | ${gap} | ${r.stoppedAt === null ? '–' : f2(r.stopVsCeiling)} | ${time} | ${r.cpuSeconds.toFixed(0)} s |`;
}

const HEADER = [
  '| example | task | what | size | rule | budget | stop (→ returned) | saved | PSNR at stop | best (iteration) | PSNR at budget | gain over the 2nd half of the budget | stop − best | stop vs budget result | wall to stop / whole run | CPU, whole run |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
];

const cases = TASK_CASES.filter((c) => c.set === values.set && (!values.only || values.only.split(',').includes(c.name)));
const rows: Row[] = [];
for (const c of cases) {
  const row = await runCase(c);
  rows.push(row);
  process.stderr.write(`${line(row)}\n`);
}
const table = [...HEADER, ...rows.map(line)].join('\n');
console.log(table);
console.log(`\n${medians(rows)}`);
mkdirSync('bench/results', { recursive: true });
writeFileSync(values.out!, `${table}\n`);

/** Per task: the median iteration the rule stopped at (the budget where it did not fire). */
function medians(rs: Row[]): string {
  const byTask = new Map<string, number[]>();
  for (const r of rs) byTask.set(r.task, [...(byTask.get(r.task) ?? []), r.stoppedAt ?? r.budget]);
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  return [...byTask].map(([task, xs]) => `${task}: median stop ${median(xs)} (${xs.join(', ')})`).join('; ');
}
