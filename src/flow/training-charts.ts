/** The pictures of a flow training: validation PSNR against steps (with bicubic), and the loss. */
import { lineChart } from '../report/svg-chart.js';
import type { FlowRun } from './training-run.js';

function what(run: FlowRun): string {
  const { model } = run.settings.spec;
  return `${model.kind === 'rescaling' ? 'rescaling' : 'SR'} ×${model.scale} (${run.settings.size})`;
}

export function validationChart(run: FlowRun): string {
  const v = run.history.validation;
  const flow: [number, number][] = v.map((p) => [p.step, p.psnr]);
  const bicubic: [number, number][] = v.filter((p) => Number.isFinite(p.bicubic)).map((p) => [p.step, p.bicubic]);
  const series = [{ name: 'HCFlow (τ = 0)', points: flow }];
  if (bicubic.length) series.push({ name: 'bicubic', points: bicubic, dashed: true } as (typeof series)[number]);
  return lineChart(series, { title: `${what(run)}: validation Y-PSNR`, xLabel: 'training step', yLabel: 'Y-PSNR (dB)' });
}

export function lossChart(run: FlowRun): string {
  const points: [number, number][] = run.history.loss.map((p) => [p.step, p.loss]);
  return lineChart([{ name: 'training loss', points }], { title: `${what(run)}: training loss`, xLabel: 'training step', yLabel: 'loss' });
}
