/**
 * The outputs of train-flow, all checked before any image is read: the weights (-o), the checkpoint
 * (--checkpoint, else OUTPUT.dpckpt; an existing one needs --resume or --force) and the curves
 * (--curve FILE.svg and FILE-loss.svg). A --resume may replace the weights and curves its training wrote;
 * no output may be a training or validation image, whatever --force says.
 */
import path from 'node:path';
import { flowParams } from '../flow/flownet.js';
import type { TrainingData } from '../flow/train-checkpoint.js';
import { lossChart, validationChart } from '../flow/training-charts.js';
import type { FlowRun } from '../flow/training-run.js';
import { encodeWeights, flowWeights, type TrainingRecord } from '../flow/weights.js';
import { InputError } from '../util/errors.js';
import { checkDistinct, checkOutputPath, fileExists, writeOutputFile } from './files.js';
import type { FlowRequest } from './flow-cli.js';

export interface TrainPaths {
  weights: string;
  checkpoint: string;
  curve?: string;
  lossCurve?: string;
}

export function trainOutputPaths(r: FlowRequest): TrainPaths {
  const { curve, checkpoint } = r.settings;
  const lossCurve = curve === undefined ? undefined : path.join(path.dirname(curve), `${path.basename(curve, '.svg')}-loss.svg`);
  return { weights: r.cli.output, checkpoint: checkpoint ?? `${r.cli.output}.dpckpt`, curve, lossCurve };
}

/** Checks every output; `inputs` are the training and validation images, never overwritten. */
export async function checkTrainOutputs(r: FlowRequest, p: TrainPaths, inputs: readonly string[]): Promise<void> {
  const force = !!r.cli.force;
  const resume = !!r.settings.resume;
  const flags: [string, string | undefined][] = [
    ['-o', p.weights],
    // The implicit checkpoint is -o's: it is where -o puts it.
    [r.settings.checkpoint === undefined ? '-o' : '--checkpoint', p.checkpoint],
    ['--curve', p.curve],
    ['--curve (loss picture)', p.lossCurve],
  ];
  const given = flags.filter((f): f is [string, string] => f[1] !== undefined);
  await checkDistinct(given.map(([flag, file]) => ({ flag, path: file })));
  if (resume && !(await fileExists(p.checkpoint))) {
    throw new InputError(`--resume: there is no checkpoint ${p.checkpoint}; name it with --checkpoint FILE, or drop --resume to start a training`, {
      code: 'FILE_NOT_FOUND',
    });
  }
  const [weights, [flag, checkpoint], ...curves] = given;
  const existsHint = 'it holds a training: add --resume to continue it, or --force to start afresh';
  await checkOutputPath(checkpoint, { flag, inputs, force: force || resume, existsHint });
  for (const [flag, file] of [weights, ...curves]) await checkOutputPath(file, { flag, inputs, force: force || resume });
}

/** The weights (with the training and validation record in their manifest) and the curves. */
export async function writeTrainOutputs(r: FlowRequest, p: TrainPaths, run: FlowRun, data: TrainingData, version: string): Promise<void> {
  const { spec, steps, size, seed, milestones } = run.settings;
  const last = run.history.validation.at(-1);
  const record: TrainingRecord = {
    steps: run.state.step,
    seconds: Math.round(run.state.seconds),
    batch: spec.batch,
    patch: spec.patch,
    data: r.settings
      .data!.split(',')
      .map((d) => path.basename(d.trim()))
      .join(' + '),
    trainImages: data.train.length,
    validationImages: data.validation,
    seed,
    lr: spec.adam.lr,
    size,
    milestones,
    ...(run.state.step < steps ? { totalSteps: steps } : {}),
    curve: run.history.validation.map((v) => ({ step: v.step, psnr: Number(v.psnr.toFixed(3)) })),
    deepPrior: version,
    threads: r.settings.threads,
  };
  const validation = last && { valYPsnr: Number(last.psnr.toFixed(3)), valBicubicYPsnr: Number(last.bicubic.toFixed(3)), step: last.step };
  const weights = flowWeights(spec.model, flowParams(spec.model.net), run.state.params, record, validation);
  await writeOutputFile(p.weights, encodeWeights(weights));
  if (p.curve && run.history.validation.length) await writeOutputFile(p.curve, validationChart(run));
  if (p.lossCurve && run.history.loss.length) await writeOutputFile(p.lossCurve, lossChart(run));
}
