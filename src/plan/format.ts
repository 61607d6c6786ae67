/** The plan in two lines for people: layout and memory, then time. */
import { formatBytes } from '../options/kinds.js';
import type { Naming } from '../options/naming.js';
import { formatDuration } from '../util/duration.js';
import type { Plan } from './types.js';

const dims = (s: { width: number; height: number }) => `${s.width}×${s.height}`;

const CALIBRATION = {
  measured: 'calibrated on this machine just now',
  cached: 'calibration cached for this machine',
  shipped: 'shipped calibration, not measured here',
};

export function planLines(p: Plan, naming: Naming): string[] {
  const t = p.tiling;
  const layout = t
    ? `${dims(p.image)} in ${p.tiles} tiles of ${t.tileWidth}×${t.tileHeight} (${t.columns}×${t.rows}${t.holeTiles ? ` + ${t.holeTiles} around holes` : ''}, overlap ${t.overlap}; canvas ${dims(t.tileCanvas)})`
    : `${dims(p.image)} as one fit (canvas ${dims(p.canvas)})`;
  const budget = p.memoryBudgetBytes === null ? `no memory limit known (${p.budget})` : `of ${formatBytes(p.memoryBudgetBytes)} (${budgetSource(p, naming)})`;
  const whole = t ? `; the whole image would need ${formatBytes(p.whole.peakMemoryBytes)}` : '';
  const clock = p.timeClock === 'cpu' ? ' (cores to itself)' : '';
  const steps =
    t?.mode === 'joint'
      ? `${secondsText(p.secondsPerIteration)} per tile${clock} × ${p.tiles} tiles per iteration (one network over them) × ${p.iterations} iterations`
      : `${secondsText(p.secondsPerIteration)} per iteration${clock} × ${p.iterations} iterations${t ? ` per tile × ${p.tiles} tiles` : ''}`;
  const fitSeconds = p.totalSeconds - (p.search?.seconds ?? 0);
  return [
    ...searchLine(p, naming),
    `plan: ${layout}; peak memory ≈ ${formatBytes(p.peakMemoryBytes)} ${budget}${whole}`,
    `plan: ≈ ${steps} (${p.iterationsReason}) ≈ ${totalText(fitSeconds)} on ${p.backend} with ${p.threads} thread(s) (${CALIBRATION[p.calibration]})`,
    ...(p.search ? [`plan: search and fit together ≈ ${totalText(p.totalSeconds)}`] : []),
    ...presetLine(p),
    ...previewLine(p, naming),
    ...p.warnings.map((w) => `warning: ${w}`),
  ];
}

/** With --arch auto: the search's phases, and what the fit lines below are planned for. */
function searchLine(p: Plan, naming: Naming): string[] {
  const s = p.search;
  if (!s) return [];
  const cohortOn = s.costSeconds > 0 ? `a ${dims(s.cohortImage)} copy` : `the image`;
  const timed = s.costSeconds > 0 ? `, each timed at full size (≈ ${totalText(s.costSeconds)})` : '';
  return [
    `plan: ${naming.name('arch')} auto searches first: ${s.candidates} networks screened at ${dims(p.image)} (≈ ${totalText(s.screenSeconds)}), ` +
      `${s.members} fitted on ${cohortOn} for about ${s.cohortIterations} iterations each (≈ ${totalText(s.cohortSeconds)})${timed}; ` +
      `then the chosen network's fit, planned below for a typical one (${s.genotype}): cells and skips change the cost, and the chosen one's own plan is printed when it is chosen`,
  ];
}

/** Only when --preset auto chose a cheaper preset for the size: which, and the slower, better one with its time. */
function presetLine(p: Plan): string[] {
  const better = p.preset.better;
  if (!p.preset.chosenForSize || !better) return [];
  return [
    `plan: the ${p.preset.name} preset (chosen for the size and machine); --preset ${better.name} for the slower, better fit (≈ ${totalText(better.totalSeconds)})`,
  ];
}

/** Only for a long plan: the quicker run (a cheaper preset, a downscaled copy) that gives a result in minutes. */
function previewLine(p: Plan, naming: Naming): string[] {
  const q = p.quickerRun;
  if (!q) return [];
  const flags = [q.maxSize !== undefined && `${naming.name('maxSize')} ${q.maxSize}`, q.preset && `${naming.name('preset')} ${q.preset}`]
    .filter(Boolean)
    .join(' ');
  const what = q.maxSize === undefined ? `fits the whole image with a cheaper network` : `fits a ${q.width}×${q.height} copy`;
  const loss = q.maxSize === undefined ? 'lower quality' : `detail finer than about ${q.factor.toFixed(1)} pixels is lost`;
  return [`plan: for a quicker result, ${flags} ${what} in ≈ ${totalText(q.totalSeconds)} (${loss})`];
}

function budgetSource(p: Plan, naming: Naming): string {
  return p.budget === 'max-memory' ? naming.name('maxMemory') : p.budget;
}

function secondsText(s: number): string {
  return s >= 10 ? `${s.toFixed(0)} s` : s >= 1 ? `${s.toFixed(1)} s` : `${(s * 1000).toFixed(0)} ms`;
}

/** h:mm:ss, or days beyond two of them (a plan of weeks reads better as "26.1 days"). */
function totalText(s: number): string {
  return s >= 2 * 86400 ? `${(s / 86400).toFixed(1)} days` : formatDuration(s);
}
