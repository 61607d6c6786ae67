/**
 * `deep-prior train-flow --data DIRS -o model.hcflow`: trains an HCFlow rescaling or SR model on
 * random HR patches (flips and rotations), Adam with the paper's halvings at the same fractions of
 * --steps, gradient clipping, validation PSNR every --validate-every steps, a checkpoint (weights and
 * Adam moments) every few minutes and whenever it stops; --resume continues exactly. At every stop
 * the current weights are written to -o with their manifest, and the curves to --curve.
 */
import { promises as fs } from 'node:fs';
import type { Command } from 'commander';
import { flowModelConfig } from '../flow/config.js';
import { loadTrainingImages } from '../flow/dataset-node.js';
import { PatchSampler } from '../flow/patches.js';
import { decodeTrainingCheckpoint, encodeTrainingCheckpoint, type TrainingCheckpoint } from '../flow/train-checkpoint.js';
import { scaledMilestones } from '../flow/train.js';
import { FLOW_ADAM, FLOW_CLIP } from '../flow/train-step.js';
import { type FlowRun, type FlowRunSettings, runFlowTraining, startFlowRun, type StopCause } from '../flow/training-run.js';
import { flowValidator } from '../flow/validation.js';
import { readImage } from '../image/io-node.js';
import { FLOW_OPTIONS, FLOW_TRAINING } from '../options/flow-table.js';
import type { FlowSettings } from '../validate-flow.js';
import type { CliDeps } from './deps.js';
import { addFlowOptions, type FlowRequest, flowEngine, flowReporter, parseFlowRequest } from './flow-cli.js';
import { InterruptWatch } from './interrupt.js';
import { checkResumable } from './train-flow-resume.js';
import { checkTrainOutputs, trainOutputPaths, writeTrainOutputs } from './train-flow-output.js';
import { trainingFiles } from './train-flow-data.js';
import { writeOutputFile } from './files.js';
import { flowProgress, continueCommand } from './train-flow-progress.js';

const DEFAULT_LR = { tiny: 1e-3, small: 1e-3, paper: FLOW_ADAM.lr };

export function addTrainFlowCommand(program: Command, deps: CliDeps, setExitCode: (code: number) => void): void {
  const cmd = program
    .command('train-flow')
    .description('train an HCFlow model: rescale (a learned downscaler with its upscaler) or sr (diverse ×4 super-resolution)');
  addFlowOptions(cmd, 'train-flow', 'where to write the trained weights (an .hcflow file, with its manifest)', [
    'deep-prior train-flow --data photos/ --hold-out 10 --task rescale --scale 2 --size tiny --steps 20000 -o rescale-x2.hcflow --curve x2.svg',
    'deep-prior train-flow --data photos/ --hold-out 10 --task rescale --scale 2 --size tiny --steps 20000 -o rescale-x2.hcflow --resume',
    'deep-prior train-flow --data T91,BSD200 --val val/ --task sr --steps 50000 --until 10000 -o sr-x4.hcflow',
  ]);
  cmd.action(async (flags: Record<string, unknown>) => setExitCode(await runTrainFlow(flags, deps)));
}

/** The settings of a new training from the options (the table's defaults where not given). */
export function newRunSettings(s: Readonly<FlowSettings>): FlowRunSettings {
  const kind = FLOW_TRAINING[s.task ?? 'rescale'].model;
  const size = s.size ?? 'small';
  const steps = s.steps ?? Number(FLOW_OPTIONS.steps.default);
  const spec = {
    model: flowModelConfig(kind, s.scale ?? 4, size),
    batch: s.batch ?? Number(FLOW_OPTIONS.batch.default),
    patch: s.patch ?? Number(FLOW_OPTIONS.patch.default),
    adam: { ...FLOW_ADAM, lr: s.lr ?? DEFAULT_LR[size] },
    clip: FLOW_CLIP,
  };
  return { spec, size, seed: s.seed ?? 0, steps, milestones: scaledMilestones(kind, steps) };
}

export async function runTrainFlow(flags: Record<string, unknown>, deps: CliDeps): Promise<number> {
  const r = parseFlowRequest('train-flow', flags, deps.cpuCount);
  const paths = trainOutputPaths(r);
  // Listed (not read) first: no output may overwrite one of them.
  const files = await trainingFiles(r.settings);
  await checkTrainOutputs(r, paths, [...files.train, ...files.validation]);
  const resumed = r.settings.resume ? await readCheckpoint(paths.checkpoint) : null;
  if (resumed) checkResumable(resumed, r.settings, files.names);
  const settings = resumed?.run.settings ?? newRunSettings(r.settings);
  const reporter = flowReporter(r, deps);
  const { run, cause, interrupt } = await train(r, settings, files, resumed, reporter, deps, paths.checkpoint);
  await writeTrainOutputs(r, paths, run, files.names, deps.version);
  const psnr = run.history.validation.at(-1)?.psnr;
  reporter.event('done', { step: run.state.step, steps: run.settings.steps, cause, weights: paths.weights, checkpoint: paths.checkpoint, psnr });
  const summary = `train-flow: step ${run.state.step} of ${run.settings.steps} (${cause}); wrote ${paths.weights}`;
  if (reporter.mode !== 'json') reporter.log(psnr === undefined ? summary : `${summary}; validation Y-PSNR ${psnr.toFixed(2)} dB`);
  if (cause !== 'done') reporter.log(`deep-prior: to continue, run: ${continueCommand(deps, r)}`);
  return interrupt.exitCode ?? 0;
}

async function readCheckpoint(file: string): Promise<TrainingCheckpoint> {
  return decodeTrainingCheckpoint(await fs.readFile(file), file);
}

async function train(
  r: FlowRequest,
  settings: FlowRunSettings,
  files: Awaited<ReturnType<typeof trainingFiles>>,
  resumed: TrainingCheckpoint | null,
  reporter: ReturnType<typeof flowReporter>,
  deps: CliDeps,
  checkpoint: string,
): Promise<{ run: FlowRun; cause: StopCause; interrupt: InterruptWatch }> {
  const { model, patch, batch } = settings.spec;
  reporter.log(`reading ${files.train.length} training and ${files.validation.length} validation images`);
  const sampler = new PatchSampler(await loadTrainingImages(files.train, model.scale), { patch, batch, scale: model.scale, seed: settings.seed });
  const validation = await Promise.all(files.validation.map(async (f) => (await readImage(f)).image));
  const engine = await flowEngine(r.settings, reporter);
  const run = resumed?.run ?? (await startFlowRun(engine, settings, sampler));
  const interrupt = new InterruptWatch(deps, reporter, 'a checkpoint');
  const progress = flowProgress(run, r.settings, reporter);
  const save = (current: FlowRun) => writeOutputFile(checkpoint, encodeTrainingCheckpoint({ run: current, data: files.names }));
  try {
    const cause = await runFlowTraining(engine, run, sampler, {
      validate: flowValidator(engine, model, validation),
      validateEvery: r.settings.validateEvery ?? Math.max(1, Math.round(settings.steps / 20)),
      save,
      saveSeconds: 60 * (r.settings.checkpointMinutes ?? Number(FLOW_OPTIONS.checkpointMinutes.default)),
      until: r.settings.until,
      timeLimit: r.settings.timeLimit === undefined ? undefined : 60 * r.settings.timeLimit,
      interrupted: () => interrupt.signal !== null,
      onStep: progress,
      now: deps.now,
    });
    reporter.finish();
    return { run, cause, interrupt };
  } finally {
    interrupt.stop();
  }
}
