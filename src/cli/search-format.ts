/** The lines `deep-prior search` prints: phase costs, the fitted cohort with scores and costs, the frontier and the choice. */
import { formatBytes } from '../options/kinds.js';
import type { CohortMember, SearchSummary } from '../search/types.js';
import { formatDuration } from './progress.js';

const cpu = (s: number | null) => (s === null ? 'n/a' : `${s.toFixed(1)} s`);
// A member equal to the weighted average (a cohort of two: the worse one weighs 0) is infinitely close.
const db = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '∞');

function phaseLines(s: SearchSummary): string[] {
  const { screen, cohort, cost } = s.phases;
  return [
    `screening   ${formatDuration(screen.seconds).padStart(7)}  CPU ${cpu(screen.cpuSeconds).padStart(9)}  ${screen.units} networks`,
    `cohort fits ${formatDuration(cohort.seconds).padStart(7)}  CPU ${cpu(cohort.cpuSeconds).padStart(9)}  ${cohort.units} iterations at ${s.cohortImage.width}×${s.cohortImage.height}`,
    `costs       ${formatDuration(cost.seconds).padStart(7)}  CPU ${cpu(cost.cpuSeconds).padStart(9)}  ${cost.units ? `${cost.units} timed steps at full size` : 'from the cohort fits (already full size)'}`,
  ];
}

function memberLine(s: SearchSummary, m: CohortMember, rank: number, width: number): string {
  const isnas = Object.entries(s.selected)
    .filter(([, g]) => g === m.genotype)
    .map(([metric]) => `ISNAS(${metric})`);
  const isDefault = m.genotype === s.contender?.arch;
  const marks = [
    ...isnas,
    ...(isDefault ? ['DEFAULT'] : []),
    ...(m.narrowerOf ? ['narrower'] : []),
    ...(m.genotype === s.chosen ? ['CHOSEN'] : []),
    ...(m.onFrontier ? ['frontier'] : []),
  ].join(' ');
  const mem = m.cost.memoryBytes === null ? 'n/a' : formatBytes(m.cost.memoryBytes);
  const primary = m.scores[s.metrics[0]];
  return `${String(rank).padStart(2)}  ${m.genotype.padEnd(width)}  ${(primary === undefined ? '–' : primary.toPrecision(4)).padStart(Math.max(9, s.metrics[0].length))}  ${db(m.selectionScore).padStart(6)} dB  ${m.cost.secondsPerStep.toFixed(3).padStart(7)} s  ${mem.padStart(7)}  ${String(m.fit.iterations).padStart(5)}  ${marks}`;
}

/** Whether the preset's own network beat ISNAS-DIP's choice, when it competed. */
function contenderLine(s: SearchSummary): string[] {
  const c = s.contender;
  if (!c) return [];
  const isnas = s.cohort.find((m) => m.genotype === s.selected[s.metrics[0]])!;
  const verdict = c.preferred ? 'closer to the average: the choice starts from it' : "further from the average: the choice starts from ISNAS-DIP's";
  return [`the preset's own network ${c.arch}: selection ${db(c.selectionScore)} dB against ISNAS-DIP's ${db(isnas.selectionScore)} dB, ${verdict}`];
}

/** The choice against the one it started from (ISNAS-DIP's, or the preset's network): how much cheaper per step, how much lower the selection score. */
function choiceLine(s: SearchSummary): string {
  const isnas = s.selected[s.metrics[0]];
  const from = s.contender?.preferred ? s.contender.arch : isnas;
  const whose = from === isnas ? "ISNAS-DIP's" : "the preset's";
  const start = s.cohort.find((m) => m.genotype === from)!;
  const chosen = s.cohort.find((m) => m.genotype === s.chosen)!;
  if (chosen === start) return `chosen (--prefer ${s.prefer}): ${s.chosen}, ${from === isnas ? "ISNAS-DIP's own choice" : "the preset's own network"}`;
  const speedup = start.cost.secondsPerStep / chosen.cost.secondsPerStep;
  const loss = start.selectionScore - chosen.selectionScore;
  return `chosen (--prefer ${s.prefer}, within ${s.toleranceDb} dB): ${s.chosen}, ${speedup.toFixed(2)}× cheaper per step than ${whose} ${start.genotype}, selection score ${loss.toFixed(2)} dB lower`;
}

export function formatSearchSummary(s: SearchSummary): string[] {
  const width = Math.max(...s.cohort.map((m) => m.genotype.length));
  const frontier = s.cohort
    .filter((m) => m.onFrontier)
    .sort((a, b) => a.cost.secondsPerStep - b.cost.secondsPerStep)
    .map((m) => `${m.genotype} (${db(m.selectionScore)} dB, ${m.cost.secondsPerStep.toFixed(3)} s/step)`);
  return [
    `search: ${s.candidates} networks screened, ${s.cohort.length} fitted, ${formatDuration(s.seconds)} on ${s.backend} (${s.threads} thread${s.threads === 1 ? '' : 's'})`,
    ...phaseLines(s),
    '',
    ` #  ${'genotype'.padEnd(width)}  ${s.metrics[0].padStart(9)}  selection  time/step   memory  iters`,
    ...s.cohort.map((m, i) => memberLine(s, m, i + 1, width)),
    '',
    `quality/cost frontier, cheapest first: ${frontier.join(' → ')}`,
    ...Object.entries(s.selected).map(([metric, g]) => `ISNAS-DIP's choice by ${metric}: ${g}`),
    ...contenderLine(s),
    choiceLine(s),
  ];
}
