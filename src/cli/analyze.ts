/**
 * `deep-prior analyze <input> -o fbc.svg`: runs a fit and draws the spectral-bias measure — the
 * frequency-band correspondence of the output per band over iterations — plus the PSNR curve when a
 * reference is given (written next to it as <name>-psnr.svg); --report adds the data as JSON.
 */
import { basename, dirname, extname, join } from 'node:path';
import { readImage } from '../image/io-node.js';
import type { TaskName } from '../options.js';
import { InputError } from '../util/errors.js';
import { validateRestoreOptions, checkSettings } from '../validate.js';
import type { CliDeps } from './deps.js';
import { checkOutputPath, writeOutputFile } from './files.js';
import { parseInteger } from './parse.js';
import { ProgressReporter, toJsonLine } from './progress.js';
import { progressMode, settingsFromFlags, type FitFlags } from './run-restore.js';

export interface AnalyzeFlags extends FitFlags {
  task?: string;
  every?: string;
}

export async function runAnalyze(input: string, f: AnalyzeFlags, deps: CliDeps): Promise<number> {
  const task = (f.task ?? 'denoise') as TaskName;
  if (!['denoise', 'deblock', 'inpaint', 'reconstruct', 'impulse'].includes(task)) {
    throw new InputError(`--task must be denoise, deblock, inpaint, reconstruct or impulse for analyze, got ${f.task}`, { code: 'BAD_OPTION' });
  }
  const settings = settingsFromFlags(task, f);
  checkSettings(settings);
  const every = parseInteger('--every', f.every, 1, 1_000_000) ?? 10;
  if (extname(f.output).toLowerCase() !== '.svg') throw new InputError(`-o must name an .svg file for analyze, got ${f.output}`, { code: 'BAD_OPTION' });
  const inputs = [input, f.mask, f.reference].filter((p): p is string => !!p);
  const psnrPath = join(dirname(f.output), `${basename(f.output, '.svg')}-psnr.svg`);
  await checkOutputPath(f.output, { flag: '-o', inputs, force: !!f.force });
  if (f.reference) await checkOutputPath(psnrPath, { flag: '-o (PSNR picture)', inputs, force: !!f.force });
  if (f.report) await checkOutputPath(f.report, { flag: '--report', inputs, force: !!f.force });

  const image = (await readImage(input)).image;
  const mask = f.mask ? (await import('../image/masks.js')).maskFromImage((await readImage(f.mask)).image, { invert: !!f.maskInvert }) : undefined;
  const reference = f.reference ? (await readImage(f.reference)).image : undefined;
  const options = validateRestoreOptions({ ...settings, image, mask, reference });
  const mode = progressMode(f, deps);
  const reporter = new ProgressReporter({ mode, stream: mode === 'json' ? deps.stdout : deps.stderr, now: deps.now });
  const { analyzeWith } = await import('../analyze.js');
  const { nodePlatform } = await import('../runtime/platform-node.js');
  const a = await analyzeWith(nodePlatform, options, every, { onProgress: (p) => reporter.progress(p), log: (m) => reporter.log(m) });
  reporter.finish();
  await writeOutputFile(f.output, a.fbcChart);
  if (a.psnrChart) await writeOutputFile(psnrPath, a.psnrChart);
  if (f.report) {
    const r = a.result;
    await writeOutputFile(
      f.report,
      JSON.stringify(
        {
          task,
          input,
          options: r.options,
          backend: r.backend,
          iterations: r.iterations,
          stopReason: r.stopReason,
          bestIteration: r.bestIteration,
          seconds: r.seconds,
          fbc: a.fbc,
          history: r.history,
        },
        null,
        2,
      ),
    );
  }
  const last = a.fbc[a.fbc.length - 1];
  const summary = `analyze: ${a.result.iterations} iterations; FBC at the end (low → high): ${last ? last.bands.map((b) => b.toFixed(2)).join(' ') : 'n/a'}; wrote ${f.output}${a.psnrChart ? ` and ${psnrPath}` : ''}`;
  if (mode === 'json') deps.stdout.write(toJsonLine({ type: 'done', fbc: last?.bands, output: f.output }));
  else if (mode !== 'quiet') deps.stdout.write(`${summary}\n`);
  return 0;
}
