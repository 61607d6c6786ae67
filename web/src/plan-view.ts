/**
 * The plan of a fit, shown before it starts: sizes, network, iterations, memory (weights and Adam
 * moments, the estimated peak, the largest tensor against the GPU's buffer limit), the expected time
 * from this device's measured speed, the backend and why — and, when it does not fit the device,
 * why not, a one-click downscale to a size that does and the tiles that fit it at full size (tiles.ts);
 * when it fits but would run long, the largest copy that this device fits in a few minutes
 * (quicker.ts), also one click away.
 */
import { h } from './dom.js';
import { formatBytes, formatCount, formatSeconds } from './format.js';
import { gpuBufferLimit, wasmNeed, type Verdict } from './backend-choice.js';
import { stepSeconds, type DeviceSpeed } from './calibrate.js';
import type { GpuInfo } from './gpu-probe.js';
import type { FitPlan } from './plan-estimate.js';
import type { QuickerRun } from '../../src/plan/types.js';
import type { BackendPick } from './protocol.js';
import type { TileOffer } from './tiles.js';
import { fitSeconds } from './quicker.js';

export interface PlanShown {
  plan: FitPlan;
  pick: BackendPick;
  verdict: Verdict;
  gpu: GpuInfo;
  /** The chosen backend's measured speed (null: not measured yet, or it failed). */
  speed: DeviceSpeed | null;
  /** For a long fit, the quicker copy (null: none is quick enough; absent: not asked). */
  quicker?: QuickerRun | null;
  /** For a picture too large for one fit, the tiles that fit, with their backend's speed (null: none does; absent: not asked). */
  tiles?: (TileOffer & { speed: DeviceSpeed | null }) | null;
}

/** What the offers' buttons do. */
export interface PlanActions {
  downscale(size: { width: number; height: number }): void;
  tiles(tileSize: number): void;
}

type Size = { width: number; height: number };

export function renderPlan(root: HTMLElement, s: PlanShown, act: PlanActions): void {
  const { plan, pick } = s;
  const rows: [string, string][] = [
    ['Picture', `${plan.input.width} × ${plan.input.height}${sameSize(plan) ? '' : ` → ${plan.output.width} × ${plan.output.height}`}`],
    ...tilesRow(plan),
    ['Network', `${plan.arch} (preset ${plan.preset}), ${formatCount(plan.parameters)} weights`],
    ['Iterations', iterationsText(plan)],
    ['Memory', memoryText(s)],
    ['Time', timeText(s)],
    ['Runs on', `${pick.backend === 'webgpu' ? 'WebGPU' : 'WebAssembly'} — ${pick.reason}`],
  ];
  const list = h('dl', { class: 'plan' });
  for (const [k, v] of rows) list.append(h('dt', { text: k }), h('dd', { text: v }));
  root.replaceChildren(list);
  if (!s.verdict.fits) root.append(tooLarge(s, act));
  else if (s.quicker && s.speed) root.append(quickerOffer(s.quicker, fitSeconds(s.speed, plan), act.downscale));
}

const dims = (s: Size) => `${s.width} × ${s.height}`;

function tilesRow(plan: FitPlan): [string, string][] {
  if (!plan.tile) return [];
  return [['Tiles', `${plan.tiles} tiles of ${dims(plan.tile)}, fitted one after another and blended so that no seam shows`]];
}

function iterationsText(plan: FitPlan): string {
  const each = plan.tile ? ' per tile' : '';
  return plan.autoStop ? `at most ${formatCount(plan.iterations)}${each}: it stops on its own when the fit peaks` : `${formatCount(plan.iterations)}${each}`;
}

const sameSize = (p: FitPlan) => p.output.width === p.input.width && p.output.height === p.input.height;

function memoryText({ plan, pick, gpu }: PlanShown): string {
  const tensors = `${plan.tile ? 'one tile at a time: ' : ''}tensors of a step about ${formatBytes(plan.peakBytes)} at their peak (estimate); weights and Adam moments ${formatBytes(plan.stateBytes)}`;
  if (pick.backend === 'webgpu')
    return `${tensors}; largest tensor ${formatBytes(plan.largestTensorBytes)} (GPU buffer limit ${formatBytes(gpuBufferLimit(gpu))})`;
  return `about ${formatBytes(wasmNeed(plan).total)} in all with the WebAssembly runtime; ${tensors}`;
}

function timeText({ plan, speed }: PlanShown): string {
  const work = `${formatCount(plan.nodesPerStep)} operations, ${(plan.macsPerStep / 1e9).toFixed(2)} G multiply-adds per iteration`;
  if (!speed) return `${work}; measuring this device's speed…`;
  const perStep = stepSeconds(speed, plan);
  const total = formatSeconds(fitSeconds(speed, plan));
  return `about ${formatSeconds(perStep)} per iteration, ${plan.autoStop ? 'at most ' : ''}${total} in all, plus compiling (${work}, timed on this device; a rough guide)`;
}

function tooLarge(s: PlanShown, act: PlanActions): HTMLElement {
  const v = s.verdict;
  const box = h('div', { class: 'warning', role: 'alert' }, h('p', { text: `Too large for this device: ${v.problems.join('; ')}.` }));
  if (v.downscaleTo) {
    const size = v.downscaleTo;
    const button = h('button', { type: 'button', id: 'downscale', text: `Downscale to ${dims(size)}` });
    button.addEventListener('click', () => act.downscale(size));
    box.append(button);
  }
  if (s.tiles) box.append(...tilesOffer(s.tiles, s.tiles.speed, act.tiles));
  return box;
}

/** The whole picture at full size, in tiles that each fit: what it costs here, and the one click that asks for it. */
function tilesOffer(offer: TileOffer, speed: DeviceSpeed | null, onTiles: (tileSize: number) => void): HTMLElement[] {
  const { plan } = offer;
  const time = speed ? ` (at most ${formatSeconds(fitSeconds(speed, plan))} here)` : '';
  const text = `Or keep every pixel: fit it in ${plan.tiles} tiles of ${dims(plan.tile!)}, one after another${time}, blended so that no seam shows.`;
  const button = h('button', { type: 'button', id: 'tiles', text: `Fit in ${plan.tiles} tiles` });
  button.addEventListener('click', () => onTiles(offer.tileSize));
  return [h('p', { text }), button];
}

function quickerOffer(q: QuickerRun, seconds: number, onDownscale: (size: Size) => void): HTMLElement {
  const text =
    `This fit may take up to ${formatSeconds(seconds)} here. For a quicker result, fit a ${q.width} × ${q.height} copy ` +
    `(at most ${formatSeconds(q.totalSeconds)}); detail finer than about ${q.factor.toFixed(1)} pixels is lost.`;
  const button = h('button', { type: 'button', id: 'quicker', text: `Downscale to ${q.width} × ${q.height}` });
  button.addEventListener('click', () => onDownscale({ width: q.width, height: q.height }));
  return h('div', { class: 'note', role: 'note' }, h('p', { text }), button);
}

/** How often to redraw the estimate: about every 0.4 s of fitting, between every 1 and 50 iterations. */
export function previewInterval(s: PlanShown | null): number {
  if (!s?.speed) return 5;
  return Math.min(50, Math.max(1, Math.round(0.4 / stepSeconds(s.speed, s.plan))));
}
