/**
 * `deep-prior analyze <input> -o fbc.svg`: runs a fit and draws the spectral-bias measure — the
 * frequency-band correspondence of the output per band over iterations — plus the PSNR curve when a
 * reference is given (written next to it as <name>-psnr.svg); --report adds the data as JSON.
 * It takes only the options it honours: the fitting ones, the masks of its tasks, and its own.
 */
import { basename, dirname, extname, join } from 'node:path';
import type { Command } from 'commander';
import { choice, int } from '../options/kinds.js';
import type { OptionSpec } from '../options/table.js';
import { RESTORE_OPTIONS, type TaskName } from '../options/index.js';
import { checkValues } from '../options/values.js';
import { InputError } from '../util/errors.js';
import { validateSettings } from '../validate.js';
import { CLI_OPTIONS } from './cli-options.js';
import type { CliDeps } from './deps.js';
import { checkDistinct, checkOutputPath, writeOutputFile } from './files.js';
import { valuesFromFlags } from './flags.js';
import { readInputs } from './inputs.js';
import { addFitCommand, FITTING_KEYS, type FitCommandSpec } from './command-options.js';
import { ProgressReporter, toJsonLine } from './progress.js';
import { capThreads, inputFiles, type CliRequest, type CliValues } from './request.js';
import { progressMode } from './run-restore.js';
import { flagNaming } from '../options/naming.js';

const ANALYZE_TASKS = ['denoise', 'deblock', 'inpaint', 'reconstruct', 'impulse'] as const;

const ANALYZE_OPTIONS = {
  task: { kind: choice(ANALYZE_TASKS), flag: '--task', arg: '<task>', help: 'the task whose fit is observed', default: 'denoise', group: 'task' },
  fbcEvery: { kind: int(1, 1_000_000), flag: '--fbc-every', arg: '<k>', help: 'measure every k iterations', default: '10', group: 'task' },
} as const satisfies Record<string, OptionSpec>;

const TASK_KEYS = ['mask', 'maskInvert', 'maskColor', 'maskTolerance', 'impulseLoss'];
const OUTPUT_KEYS = ['output', 'report', 'force', 'quiet', 'json', 'debug'];
const NAMING = flagNaming([ANALYZE_OPTIONS, RESTORE_OPTIONS, CLI_OPTIONS]);

export function addAnalyzeCommand(program: Command, deps: CliDeps, setExitCode: (code: number) => void): void {
  const spec: FitCommandSpec = {
    name: 'analyze',
    description: 'run a fit and draw the spectral-bias measure: frequency-band correspondence per band over iterations (and PSNR with --reference)',
    input: 'the degraded image that is fitted',
    own: ANALYZE_OPTIONS,
    taskKeys: TASK_KEYS,
    fitKeys: FITTING_KEYS,
    outputKeys: OUTPUT_KEYS,
    examples: ['deep-prior analyze F16-noisy.png --reference F16.png --iterations 3000 --stop fixed -o fbc.svg --report fbc.json'],
    run: (input, flags) => runAnalyze(input, flags, deps),
  };
  addFitCommand(program, spec, setExitCode);
}

export async function runAnalyze(input: string, flags: Record<string, unknown>, deps: CliDeps): Promise<number> {
  const own = valuesFromFlags(flags, ANALYZE_OPTIONS);
  checkValues(own, ANALYZE_OPTIONS, NAMING);
  const r = requestOf(input, (own.task as TaskName | undefined) ?? 'denoise', flags, deps.cpuCount);
  const psnrPath = join(dirname(r.cli.output), `${basename(r.cli.output, '.svg')}-psnr.svg`);
  await checkAnalyzeOutputs(r, psnrPath);
  const { request } = await readInputs(r);
  const mode = progressMode(r.cli, deps);
  const reporter = new ProgressReporter({ mode, stream: mode === 'json' ? deps.stdout : deps.stderr, now: deps.now });
  for (const note of r.notes) reporter.log(note);
  const { analyzeWith } = await import('../analyze.js');
  const { nodePlatform } = await import('../runtime/platform-node.js');
  const a = await analyzeWith(nodePlatform, request, (own.fbcEvery as number | undefined) ?? 10, {
    onProgress: (p) => reporter.progress(p),
    log: (m) => reporter.log(m),
  });
  reporter.finish();
  await writeOutputFile(r.cli.output, a.fbcChart);
  if (a.psnrChart) await writeOutputFile(psnrPath, a.psnrChart);
  if (r.cli.report) await writeOutputFile(r.cli.report, reportJson(r, a));
  const last = a.fbc.at(-1);
  const bands = last ? last.bands.map((b) => b.toFixed(2)).join(' ') : 'n/a';
  if (mode === 'json') deps.stdout.write(toJsonLine({ type: 'done', fbc: last?.bands, output: r.cli.output }));
  else if (mode !== 'quiet')
    deps.stdout.write(
      `analyze: ${a.result.iterations} iterations; FBC at the end (low → high): ${bands}; wrote ${r.cli.output}${a.psnrChart ? ` and ${psnrPath}` : ''}\n`,
    );
  return 0;
}

function requestOf(input: string, task: TaskName, flags: Record<string, unknown>, cores: number): CliRequest {
  const cli = valuesFromFlags(flags, CLI_OPTIONS) as unknown as CliValues;
  const values = valuesFromFlags(flags, RESTORE_OPTIONS);
  const { settings, notes } = capThreads(validateSettings({ ...values, task }, NAMING), cores);
  const paths = Object.fromEntries((['mask', 'reference'] as const).filter((k) => typeof values[k] === 'string').map((k) => [k, values[k] as string]));
  return { task, input, settings, paths, cli, flags, notes };
}

async function checkAnalyzeOutputs(r: CliRequest, psnrPath: string): Promise<void> {
  const { cli } = r;
  if (extname(cli.output).toLowerCase() !== '.svg') throw new InputError(`-o must name an .svg file for analyze, got ${cli.output}`, { code: 'BAD_OPTION' });
  const inputs = inputFiles(r);
  const force = !!cli.force;
  const targets = [
    { flag: '-o', path: cli.output },
    ...(r.paths.reference ? [{ flag: '-o (PSNR picture)', path: psnrPath }] : []),
    ...(cli.report ? [{ flag: '--report', path: cli.report }] : []),
  ];
  await checkDistinct(targets);
  await checkOutputPath(cli.output, { flag: '-o', inputs, force });
  if (r.paths.reference) await checkOutputPath(psnrPath, { flag: '-o (PSNR picture)', inputs, force });
  if (cli.report) await checkOutputPath(cli.report, { flag: '--report', inputs, force });
}

function reportJson(r: CliRequest, a: Awaited<ReturnType<typeof import('../analyze.js').analyzeWith>>): string {
  const x = a.result;
  const doc = {
    task: r.task,
    input: r.input,
    options: x.options,
    backend: x.backend,
    iterations: x.iterations,
    stopReason: x.stopReason,
    bestIteration: x.bestIteration,
    seconds: x.seconds,
    fbc: a.fbc,
    history: x.history,
  };
  return JSON.stringify(doc, null, 2);
}
