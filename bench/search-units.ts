/** The units of bench/search.ts: the skip net, the search, and a full-resolution fit of one genotype. */
import { psnr, type Image, type RestoreOptions, type RestoreResult } from '../src/node.js';
import { restoreWith } from '../src/restore/index.js';
import { nodePlatform } from '../src/runtime/platform-node.js';
import { cheapestWithin, PREFER_TOLERANCE_DB, PREFERENCES, tradeoffs } from '../src/search/cost-aware.js';
import { medianStepSeconds } from '../src/autoarch/cost.js';
import { searchWith } from '../src/autoarch/procedure.js';
import { cohortCopy } from '../src/autoarch/small-copy.js';
import type { SearchSummary } from '../src/search/types.js';
import { validateRestoreOptions, type ValidRequest } from '../src/validate.js';
import type { BenchImage } from './search-images.js';

/** What bench/search.ts's command line sets. */
export interface BenchSettings {
  crop: number;
  candidates: number;
  cohort: number;
  metrics: string[];
  threads: number;
  iterations: Record<'denoise' | 'inpaint' | 'super-resolve', number>;
  defaultNet: 'compete' | 'exclude';
  /** Narrower copies of the choice fitted for the cost-aware choice (--width-variants). */
  widthVariants: number;
}

export type UnitName = 'skip' | 'search' | `final-${string}`;

export interface FitRow {
  psnr: number;
  /** The best smoothed PSNR along the run (history, RGB on the canvas): what an oracle stop would return. */
  best: number;
  iterations: number;
  stopReason: string;
  seconds: number;
  secondsPerStep: number;
}

export interface SearchUnit {
  summary: SearchSummary;
  /** Each fitted member's PSNR on the cohort copy against the clean image brought to that size. */
  members: { genotype: string; psnr: number; iterations: number }[];
  /** The cohort copy is the image itself: the members' fits are full fits. */
  copyIsImage: boolean;
  /**
   * quality = ISNAS-DIP's choice, compete = that or the preset's own network where it scores higher
   * (--default-net compete), balanced and speed the cost-aware ones (from compete's), oracle = the best
   * screened member by ground truth.
   */
  /** leaveOneOut: the primary cohort's member the leave-one-out rule picks, from the same run's scores (absent in units saved before it). */
  choices: Record<'quality' | 'compete' | 'balanced' | 'speed' | 'oracle', string> & { leaveOneOut?: string };
  /** Genotypes to fit at full resolution (none when the copy is the image). */
  finals: string[];
}

function fitRow(r: RestoreResult, clean: Image, channel: 'rgb' | 'y'): FitRow {
  const curve = r.history.map((h) => h.psnrSmoothed ?? h.psnr ?? Number.NaN);
  return {
    psnr: psnr(r.image, clean, { channel }),
    best: Math.max(...curve),
    iterations: r.iterations,
    stopReason: r.stopReason,
    seconds: r.seconds,
    secondsPerStep: medianStepSeconds(r.history),
  };
}

function fitting(request: RestoreOptions, clean: Image, s: BenchSettings): RestoreOptions {
  const task = request.task as keyof BenchSettings['iterations'];
  return { ...request, preset: 'paper', reference: clean, iterations: s.iterations[task], backend: 'cpu', threads: s.threads };
}

/** Recomputed by the table from the saved summary, so the tolerances can change without refitting a full-size cohort. */
export function choicesOf(summary: SearchSummary, members: SearchUnit['members']): SearchUnit['choices'] {
  const trade = tradeoffs(summary.cohort.map((m) => ({ score: m.selectionScore, cost: m.cost.secondsPerStep, weight: m.weight, narrowerOf: m.narrowerOf })));
  const isnas = summary.cohort.findIndex((m) => m.genotype === summary.selected[summary.metrics[0]]);
  // Where the product's choice started (its summary says whether the contender won; old units have none).
  const from = summary.contender?.preferred ? summary.cohort.findIndex((m) => m.genotype === summary.contender!.arch) : isnas;
  const pick = Object.fromEntries(PREFERENCES.map((p) => [p, summary.cohort[cheapestWithin(trade, from, PREFER_TOLERANCE_DB[p])].genotype]));
  // The oracle is the best network of the cohort: neither the competing default nor a narrower copy of the choice.
  const copies = new Set(summary.cohort.filter((m) => m.narrowerOf).map((m) => m.genotype));
  const screened = members.filter((m) => m.genotype !== summary.contender?.arch && !copies.has(m.genotype));
  const oracle = screened.reduce((a, b) => (b.psnr > a.psnr ? b : a)).genotype;
  const loo = leaveOneOutChoice(summary);
  return {
    ...pick,
    quality: summary.cohort[isnas].genotype,
    compete: summary.cohort[from].genotype,
    oracle,
    ...(loo && { leaveOneOut: loo }),
  } as SearchUnit['choices'];
}

/** The primary cohort's member closest to the others' average (`--selection leave-one-out`), where the summary has both rules' scores. */
function leaveOneOutChoice(summary: SearchSummary): string | undefined {
  const primary = summary.cohort.filter((m) => m.cohortOf.includes(summary.metrics[0]) && m.scoreByRule);
  if (!primary.length) return undefined;
  return primary.reduce((a, b) => (b.scoreByRule['leave-one-out'] > a.scoreByRule['leave-one-out'] ? b : a)).genotype;
}

async function searchUnit(valid: ValidRequest, clean: Image, channel: 'rgb' | 'y'): Promise<SearchUnit> {
  const copy = cohortCopy(valid);
  const reference = copy.images.reference ?? clean;
  const out = await searchWith(nodePlatform, valid, (r, h) => restoreWith(nodePlatform, r, h), {
    onProgress: (p) => {
      if (p.index === p.count || (p.fit?.iteration ?? 1) % 200 === 0)
        process.stderr.write(`  ${p.phase} ${p.index}/${p.count} ETA ${p.etaSeconds.toFixed(0)} s\n`);
    },
  });
  const members = [...out.fits].map(([genotype, f]) => ({ genotype, psnr: psnr(f.result.image, reference, { channel }), iterations: f.result.iterations }));
  const choices = choicesOf(out.summary, members);
  const finals = copy.downscaled ? [...new Set(Object.values(choices))] : [];
  return { summary: out.summary, members, copyIsImage: !copy.downscaled, choices, finals };
}

export async function runUnit(image: BenchImage, unit: UnitName, s: BenchSettings): Promise<object> {
  const { request, clean, channel } = await image.load(s.crop);
  const base = fitting(request, clean, s);
  if (unit === 'skip') return fitRow(await restoreWith(nodePlatform, base, {}), clean, channel);
  if (unit === 'search') {
    const valid = validateRestoreOptions({
      ...base,
      arch: 'auto',
      candidates: s.candidates,
      cohort: s.cohort,
      metrics: s.metrics,
      prefer: 'balanced',
      defaultNet: s.defaultNet,
      widthVariants: s.widthVariants,
    });
    return searchUnit(valid, clean, channel);
  }
  const genotype = unit.slice('final-'.length);
  return { genotype, ...fitRow(await restoreWith(nodePlatform, { ...base, arch: genotype }, {}), clean, channel) };
}
