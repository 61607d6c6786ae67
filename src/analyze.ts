/**
 * analyze: a fit watched through the spectral-bias measure. Every `every` iterations the raw output's
 * frequency-band correspondence to the fitted target is recorded (5 bands, low → high), with the PSNR
 * when a reference is given; the curves are drawn as SVG (methods.md §3.2).
 */
import type { Platform } from './runtime/engine.js';
import type { RestoreHooks, RestoreOptions, RestoreResult } from './options/index.js';
import { restoreWith } from './restore/index.js';
import { amplitudeSpectrum, frequencyBandCorrespondence, greyPlane, FBC_BANDS } from './stop/fbc.js';
import { splitAlpha, toPlanar } from './image/image.js';
import { lineChart } from './report/svg-chart.js';

export interface FbcPoint {
  iteration: number;
  bands: number[];
}

export interface AnalyzeResult {
  result: RestoreResult;
  fbc: FbcPoint[];
  /** SVG: FBC per band over iterations. */
  fbcChart: string;
  /** SVG: PSNR (raw and smoothed) over iterations; null without a reference. */
  psnrChart: string | null;
}

export async function analyzeWith(platform: Platform, options: RestoreOptions, every = 10, hooks: RestoreHooks = {}): Promise<AnalyzeResult> {
  const { color } = splitAlpha(options.image);
  const w = color.width;
  const h = color.height;
  const target = greyPlane(toPlanar(color), color.channels, w, h, w, h);
  const targetSpectrum = amplitudeSpectrum(target, w, h);
  const fbc: FbcPoint[] = [];
  const result = await restoreWith(platform, options, {
    ...hooks,
    snapshotEvery: every,
    snapshotKind: 'raw',
    onSnapshot: async (iteration, image) => {
      const { color: c } = splitAlpha(image);
      const grey = greyPlane(toPlanar(c), c.channels, w, h, w, h);
      fbc.push({ iteration, bands: frequencyBandCorrespondence(grey, targetSpectrum, w, h) });
      await hooks.onSnapshot?.(iteration, image);
    },
  });
  const names = ['band 1 (lowest)', 'band 2', 'band 3', 'band 4', 'band 5 (highest)'];
  const fbcChart = lineChart(
    Array.from({ length: FBC_BANDS }, (_, b) => ({ name: names[b], points: fbc.map((p) => [p.iteration, p.bands[b]] as [number, number]) })),
    { title: `Frequency-band correspondence (${options.task})`, xLabel: 'iteration', yLabel: 'output / target amplitude', yMin: 0, yMax: 1 },
  );
  const withPsnr = result.history.filter((e) => e.psnr !== undefined);
  const psnrChart = withPsnr.length
    ? lineChart(
        [
          { name: 'PSNR', points: withPsnr.map((e) => [e.iteration, e.psnr!] as [number, number]) },
          ...(withPsnr[0].psnrSmoothed !== undefined
            ? [{ name: 'PSNR smoothed', points: withPsnr.map((e) => [e.iteration, e.psnrSmoothed!] as [number, number]), dashed: true }]
            : []),
        ],
        { title: `PSNR against the reference (${options.task})`, xLabel: 'iteration', yLabel: 'PSNR (dB)' },
      )
    : null;
  return { result, fbc, fbcChart, psnrChart };
}
