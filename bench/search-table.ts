/** The table of bench/search.ts, from the saved units: PSNR of each method, cost per step, each phase's CPU time, and the goals. */
import { choicesOf, type BenchSettings, type FitRow, type SearchUnit } from './search-units.js';

type Timed<T> = T & { wallSeconds: number; cpuSeconds: number; loadAverage: [number, number] };
type Saved = <T>(image: string, unit: string) => T | null;

interface Row {
  image: string;
  skip: Timed<FitRow>;
  search: Timed<SearchUnit>;
  psnr: (g: string) => number;
  /** Seconds per step at full resolution, as the search measured it. */
  step: (g: string) => number;
  /** CPU seconds of the full fit of g (the cohort fit itself when the copy is the image). */
  fitCpu: (g: string) => number;
}

function rowOf(image: string, saved: Saved): Row | null {
  const skip = saved<Timed<FitRow>>(image, 'skip');
  const search = saved<Timed<SearchUnit>>(image, 'search');
  if (!skip || !search) return null;
  if (search.copyIsImage) search.choices = choicesOf(search.summary, search.members);
  const final = (g: string) => saved<Timed<FitRow>>(image, `final-${g}`);
  const member = (g: string) => search.summary.cohort.find((m) => m.genotype === g)!;
  const cohortCpu = search.summary.phases.cohort.cpuSeconds ?? Number.NaN;
  const cohortIterations = search.summary.phases.cohort.units;
  return {
    image,
    skip,
    search,
    psnr: (g) => (search.copyIsImage ? search.members.find((m) => m.genotype === g)!.psnr : (final(g)?.psnr ?? Number.NaN)),
    step: (g) => member(g).cost.secondsPerStep,
    // A cohort fit's CPU share: the phase's CPU time in proportion to its iterations.
    fitCpu: (g) => (search.copyIsImage ? (cohortCpu * member(g).fit.iterations) / cohortIterations : (final(g)?.cpuSeconds ?? Number.NaN)),
  };
}

const f = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function line(r: Row): string {
  const c = r.search.choices;
  const ph = r.search.summary.phases;
  const speedup = r.step(c.quality) / r.step(c.balanced);
  const compete = r.search.summary.contender ? `${f(r.psnr(c.compete))}${c.compete === r.search.summary.contender.arch ? ' (default kept)' : ''}` : 'n/a';
  const loo = c.leaveOneOut ? `${f(r.psnr(c.leaveOneOut))} (${f(r.step(c.leaveOneOut), 3)})` : 'n/a';
  return `| ${r.image} | ${f(r.skip.psnr)} (${r.skip.iterations} it, ${f(r.skip.secondsPerStep, 3)} s/it) | ${f(r.psnr(c.quality))} (${f(r.step(c.quality), 3)}) | ${loo} | ${compete} | ${f(r.psnr(c.oracle))} | ${f(r.psnr(c.balanced))} (${f(r.step(c.balanced), 3)}, ${f(speedup)}×) | ${f(r.psnr(c.speed))} (${f(r.step(c.speed), 3)}) | ${f(ph.screen.cpuSeconds ?? Number.NaN, 0)} | ${f(ph.cohort.cpuSeconds ?? Number.NaN, 0)} (${ph.cohort.units} it) | ${f(ph.cost.cpuSeconds ?? Number.NaN, 0)} | ${f(r.fitCpu(c.quality), 0)} | ${f(r.skip.cpuSeconds, 0)} |`;
}

function goals(rows: Row[]): string[] {
  const d = (g: (r: Row) => number) => mean(rows.map(g));
  const gain = d((r) => r.psnr(r.search.choices.quality) - r.skip.psnr);
  const loss = d((r) => r.psnr(r.search.choices.quality) - r.psnr(r.search.choices.balanced));
  const speedup = d((r) => r.step(r.search.choices.quality) / r.step(r.search.choices.balanced));
  const screenVsFit = rows.map((r) => (r.search.summary.phases.screen.cpuSeconds ?? Number.NaN) / r.fitCpu(r.search.choices.quality));
  const total = rows.map((r) => (r.search.cpuSeconds + (r.search.copyIsImage ? 0 : r.fitCpu(r.search.choices.balanced))) / r.skip.cpuSeconds);
  const competing = rows.filter((r) => r.search.summary.contender);
  const withDefault = competing.length
    ? [
        `- with the default competing (--default-net compete) − skip net: ${f(mean(competing.map((r) => r.psnr(r.search.choices.compete) - r.skip.psnr)))} dB on average (${competing.map((r) => f(r.psnr(r.search.choices.compete) - r.skip.psnr)).join(', ')}); the default kept on ${competing.filter((r) => r.search.choices.compete === r.search.summary.contender!.arch).length} of ${competing.length}`,
      ]
    : [];
  const withLoo = rows.filter((r) => r.search.choices.leaveOneOut);
  const looLine = withLoo.length
    ? [
        `- leave-one-out choice (--selection leave-one-out, from the same cohort) − skip net: ${f(mean(withLoo.map((r) => r.psnr(r.search.choices.leaveOneOut!) - r.skip.psnr)))} dB on average (${withLoo.map((r) => f(r.psnr(r.search.choices.leaveOneOut!) - r.skip.psnr)).join(', ')}); the same member as ISNAS-DIP's on ${withLoo.filter((r) => r.search.choices.leaveOneOut === r.search.choices.quality).length} of ${withLoo.length}`,
      ]
    : [];
  const weightOf = (r: Row) => r.search.summary.cohort.find((m) => m.genotype === r.search.choices.quality)!.weight ?? Number.NaN;
  return [
    `- ISNAS-DIP's choice − skip net: ${f(gain)} dB on average (${rows.map((r) => f(r.psnr(r.search.choices.quality) - r.skip.psnr)).join(', ')})`,
    `- ISNAS-DIP's choice's weight in the average it is closest to: ${rows.map((r) => f(weightOf(r))).join(', ')} (1 = the best-screened member)`,
    ...looLine,
    ...withDefault,
    `- oracle − ISNAS-DIP's choice: ${f(d((r) => r.psnr(r.search.choices.oracle) - r.psnr(r.search.choices.quality)))} dB on average`,
    `- screening CPU / one full fit of the chosen network: ${screenVsFit.map((x) => f(x)).join(', ')}`,
    `- cost-aware (balanced) vs ISNAS-DIP's choice: ${f(speedup)}× cheaper per step on average, ${f(loss)} dB lower on average`,
    `- whole search (+ final fit) CPU / skip-net fit CPU: ${total.map((x) => f(x, 1)).join(', ')}`,
  ];
}

export function printTable(images: string[], s: BenchSettings, saved: Saved, dir: string): void {
  const rows = images.map((i) => rowOf(i, saved)).filter((r): r is Row => r !== null);
  console.log(
    `\nISNAS-DIP search, ${s.crop > 0 ? `${s.crop}² centre crops` : 'whole images'}, ${s.candidates} candidates, cohort ${s.cohort} (${s.metrics.join(', ')}), paper preset, ${s.threads} thread(s), CPU; results in ${dir}`,
  );
  console.log('PSNR in dB (seconds per step at full resolution); CPU seconds of each phase');
  console.log(
    '| image | skip net (paper) | ISNAS choice | leave-one-out choice | with the default competing | oracle | cost-aware balanced (× cheaper) | speed | screen CPU s | cohort CPU s | cost CPU s | chosen fit CPU s | skip fit CPU s |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(line(r));
  if (rows.length) console.log(`\n${goals(rows).join('\n')}`);
  const loads = rows.flatMap((r) => [...r.skip.loadAverage, ...r.search.loadAverage]);
  if (loads.length) console.log(`load average during the units: ${f(Math.min(...loads), 1)}–${f(Math.max(...loads), 1)}`);
}
