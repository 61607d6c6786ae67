/**
 * `deep-prior sample lr.png -o out.png --count 4`: diverse ×4 super-resolution with the HCFlow SR
 * model — each sample draws the high-frequency latents at --temperature (0 = the mean estimate,
 * the same every time); with --count n the files are OUT-1.png … OUT-n.png.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { sampleSuperResolution } from '../flow/inference.js';
import { loadFlowModel } from '../flow/shipped-node.js';
import type { CliDeps } from './deps.js';
import { checkOutputPath } from './files.js';
import { addFlowOptions, flowEngine, flowReporter, parseFlowRequest } from './flow-cli.js';
import { readFlowInput, writeFlowOutput } from './flow-images.js';
import { toJsonLine } from './progress.js';
import { describeImage } from './run-restore.js';

const SCALE = 4;

export function addSampleCommand(program: Command, deps: CliDeps, setExitCode: (code: number) => void): void {
  const cmd = program
    .command('sample')
    .description('diverse ×4 super-resolution (HCFlow): samples of the detail a low-resolution image may have had')
    .argument('<input>', 'the low-resolution image (a plain, e.g. bicubic, downscale)');
  addFlowOptions(cmd, 'sample', 'where to write the result; with --count n: OUT-1.png … OUT-n.png', [
    'deep-prior sample small.png -o large.png --temperature 0',
    'deep-prior sample small.png -o large.png --temperature 0.9 --count 4',
  ]);
  cmd.action(async (input: string, flags: Record<string, unknown>) => setExitCode(await runSample(input, flags, deps)));
}

/** OUT.png for one sample; OUT-1.png … OUT-n.png for several. */
export function sampleFiles(output: string, count: number): string[] {
  if (count === 1) return [output];
  const ext = path.extname(output);
  const stem = output.slice(0, output.length - ext.length);
  return Array.from({ length: count }, (_, k) => `${stem}-${k + 1}${ext}`);
}

export async function runSample(input: string, flags: Record<string, unknown>, deps: CliDeps): Promise<number> {
  const r = parseFlowRequest('sample', flags, deps.cpuCount);
  const files = sampleFiles(r.cli.output, r.settings.count ?? 1);
  for (const file of files) await checkOutputPath(file, { flag: '-o', inputs: [input], force: !!r.cli.force, kind: 'image' });
  const reporter = flowReporter(r, deps);
  const model = await loadFlowModel(r.settings.weights, 'sr', SCALE);
  const src = await readFlowInput(input, SCALE);
  const engine = await flowEngine(r.settings, reporter);
  const t0 = deps.now();
  const temperature = r.settings.temperature ?? 0.9;
  const samples = await sampleSuperResolution(engine, model, src.image, { temperature, count: files.length, seed: r.settings.seed ?? 0 });
  for (let k = 0; k < files.length; k++) await writeFlowOutput(files[k], samples[k], src, reporter);
  const seconds = (deps.now() - t0) / 1000;
  if (r.cli.json) deps.stdout.write(toJsonLine({ type: 'done', outputs: files, temperature, seconds }));
  else if (!r.cli.quiet) {
    const what = files.length === 1 ? files[0] : `${files[0]} … ${files.at(-1)}`;
    deps.stdout.write(`wrote ${what} (${describeImage(samples[0])}, τ = ${temperature}) from ${input} in ${seconds.toFixed(1)} s\n`);
  }
  return 0;
}
