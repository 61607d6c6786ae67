/**
 * `deep-prior search <input> --task T`: ISNAS-DIP's image-specific architecture search alone — the
 * screening, the cohort fits, each member's cost — printing the ranking, the quality/cost frontier
 * and the chosen genotype, which any fitting command takes as --arch. --json prints the progress and
 * the result as JSON lines; --report writes the result (every phase's cost, the whole ranking).
 */
import type { Command } from 'commander';
import { choice } from '../options/kinds.js';
import { flagNaming } from '../options/naming.js';
import type { OptionSpec } from '../options/table.js';
import { ARCH_AUTO, RESTORE_OPTIONS, TASKS, type TaskName } from '../options/index.js';
import { checkValues } from '../options/values.js';
import type { SearchSummary } from '../search/types.js';
import { taskDefinition } from '../tasks/index.js';
import { validateSettings } from '../validate.js';
import { CLI_OPTIONS } from './cli-options.js';
import { addFitCommand, FITTING_KEYS, type FitCommandSpec } from './command-options.js';
import type { CliDeps } from './deps.js';
import { checkOutputPath, writeOutputFile } from './files.js';
import { valuesFromFlags } from './flags.js';
import { readInputs } from './inputs.js';
import { ProgressReporter, toJsonLine } from './progress.js';
import { capThreads, inputFiles, type CliRequest, type CliValues } from './request.js';
import { describeImage, progressMode } from './run-restore.js';
import { formatSearchSummary } from './search-format.js';

const SEARCH_OPTIONS = {
  task: { kind: choice(TASKS), flag: '--task', arg: '<task>', help: 'the task the network is searched for', default: 'denoise', group: 'task' },
} as const satisfies Record<string, OptionSpec>;

const TASK_KEYS = [...new Set(TASKS.flatMap((t) => taskDefinition(t).options))];
// The search picks the network: --arch is its answer, not an input, and --upsample (a skip net's) is the genotype's.
const FIT_KEYS = FITTING_KEYS.filter((k) => k !== 'arch' && k !== 'upsample');
const OUTPUT_KEYS = ['report', 'force', 'quiet', 'json', 'debug'];
const NAMING = flagNaming([SEARCH_OPTIONS, RESTORE_OPTIONS, CLI_OPTIONS]);

export function addSearchCommand(program: Command, deps: CliDeps, setExitCode: (code: number) => void): void {
  const spec: FitCommandSpec = {
    name: 'search',
    description: 'image-specific architecture search (ISNAS-DIP): rank cross-skip networks for this image and print the one to fit',
    input: 'the damaged image the network is searched for',
    own: SEARCH_OPTIONS,
    taskKeys: TASK_KEYS,
    fitKeys: FIT_KEYS,
    outputKeys: OUTPUT_KEYS,
    examples: [
      'deep-prior search noisy.png --task denoise',
      'deep-prior search photo.png --task inpaint --mask mask.png --candidates 200 --cohort 8 --report search.json',
      'deep-prior search noisy.png --candidates 5000 --cohort 15 --metrics psd-db-strip-mse,psd-strip-hist-emd   # the paper',
    ],
    run: (input, flags) => runSearch(input, flags, deps),
  };
  addFitCommand(program, spec, setExitCode);
}

function requestOf(input: string, flags: Record<string, unknown>, cores: number): CliRequest {
  const own = valuesFromFlags(flags, SEARCH_OPTIONS);
  checkValues(own, SEARCH_OPTIONS, NAMING);
  const task = (own.task as TaskName | undefined) ?? 'denoise';
  const cli = valuesFromFlags(flags, CLI_OPTIONS) as unknown as CliValues;
  const values = valuesFromFlags(flags, RESTORE_OPTIONS);
  const { settings, notes } = capThreads(validateSettings({ ...values, task, arch: ARCH_AUTO }, NAMING), cores);
  const paths = Object.fromEntries((['mask', 'guide', 'reference'] as const).filter((k) => typeof values[k] === 'string').map((k) => [k, values[k] as string]));
  return { task, input, settings, paths, cli, flags, notes };
}

export async function runSearch(input: string, flags: Record<string, unknown>, deps: CliDeps): Promise<number> {
  const r = requestOf(input, flags, deps.cpuCount);
  if (r.cli.report !== undefined) await checkOutputPath(r.cli.report, { flag: '--report', inputs: inputFiles(r), force: !!r.cli.force });
  const { request, source } = await readInputs(r);
  const mode = progressMode(r.cli, deps);
  const reporter = new ProgressReporter({ mode, stream: mode === 'json' ? deps.stdout : deps.stderr, now: deps.now });
  reporter.log(`search for ${r.task}: ${input} (${describeImage(source.image, source.bitDepth)})`);
  for (const note of r.notes) reporter.log(note);
  const summary = await deps.search(request, { onProgress: (p) => reporter.search(p), log: (m) => reporter.log(m) }).finally(() => reporter.finish());
  if (r.cli.report !== undefined) await writeOutputFile(r.cli.report, reportJson(r, deps, summary));
  if (mode === 'json') deps.stdout.write(toJsonLine({ type: 'done', ...summary, ...(r.cli.report !== undefined && { report: r.cli.report }) }));
  else if (mode !== 'quiet') {
    const lines = [...formatSearchSummary(summary), `fit it: deep-prior ${r.task} ${input} --arch ${summary.chosen} -o OUTPUT`];
    if (r.cli.report !== undefined) lines.push(`report: ${r.cli.report}`);
    deps.stdout.write(`${lines.join('\n')}\n`);
  }
  return 0;
}

function reportJson(r: CliRequest, deps: CliDeps, search: SearchSummary): string {
  const doc = { task: r.task, version: deps.version, input: r.input, options: r.settings, search };
  return `${JSON.stringify(doc, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}
