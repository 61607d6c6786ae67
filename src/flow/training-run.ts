/**
 * A whole HCFlow training as a resumable run: the settings that define it (step spec, seed, length,
 * learning-rate milestones), its state (weights, Adam moments, step, wall time) and its history
 * (loss every few steps, validation figures). `runFlowTraining` continues a run until its end, a
 * step (`until`), a time limit or an interruption, validating every `validateEvery` steps and saving
 * every `saveSeconds` of wall time and when it stops, so a resumed run is the uninterrupted one.
 */
import type { Engine } from '../runtime/engine.js';
import type { FlowSize } from './config.js';
import { type BatchSource, initialFlowParams, type StepReport, trainFlow } from './train.js';
import type { TrainState } from './train.js';
import type { FlowTrainSpec } from './train-step.js';

export interface FlowRunSettings {
  spec: FlowTrainSpec;
  size: FlowSize;
  seed: number;
  /** The length of the whole training (the schedule's 100 %). */
  steps: number;
  milestones: number[];
}

export interface LossPoint {
  step: number;
  /** Mean loss of the steps since the previous point (non-finite steps left out). */
  loss: number;
}

export interface ValidationPoint extends Record<string, number> {
  step: number;
  /** Mean Y-PSNR on the validation images, dB. */
  psnr: number;
  seconds: number;
}

export interface TrainingHistory {
  loss: LossPoint[];
  /** The steps since the last loss point (kept in checkpoints so a resumed run makes the same points). */
  pending: { sum: number; count: number };
  validation: ValidationPoint[];
}

export interface FlowRun {
  settings: FlowRunSettings;
  state: TrainState;
  history: TrainingHistory;
}

export type StopCause = 'done' | 'until' | 'time' | 'interrupted';

export interface RunHooks {
  /** Figures of the current weights on the validation images ({ psnr, ... }); absent: no validation. */
  validate?: (params: Float32Array[]) => Promise<Record<string, number> & { psnr: number }>;
  validateEvery: number;
  /** Writes the run (a checkpoint); called every `saveSeconds` and when the loop stops. */
  save: (run: FlowRun) => Promise<void>;
  saveSeconds: number;
  /** Stop after this step (a training in stages). */
  until?: number;
  /** Stop once this process has trained this long (wall seconds). */
  timeLimit?: number;
  /** True once the user asked to stop (a signal). */
  interrupted?: () => boolean;
  onStep?: (report: StepReport, run: FlowRun) => void;
  /** Milliseconds clock (injectable). */
  now?: () => number;
}

/** Loss points every this many steps: about a thousand over the run. */
export function lossEvery(steps: number): number {
  return Math.max(1, Math.round(steps / 1000));
}

/** A run at step 0: the layers' inits and ActNorm's statistics from the first batch. */
export async function startFlowRun(engine: Engine, settings: FlowRunSettings, data: BatchSource): Promise<FlowRun> {
  const params = await initialFlowParams(engine, settings.spec, data.batch(1), settings.seed);
  const zeros = () => params.map((p) => new Float32Array(p.length));
  return { settings, state: { params, m: zeros(), v: zeros(), step: 0, seconds: 0 }, history: { loss: [], pending: { sum: 0, count: 0 }, validation: [] } };
}

/** Continues `run` (its state is replaced as it goes); returns why it stopped. */
export async function runFlowTraining(engine: Engine, run: FlowRun, data: BatchSource, hooks: RunHooks): Promise<StopCause> {
  const now = hooks.now ?? (() => performance.now());
  const began = now();
  let savedAt = began;
  const end = Math.min(run.settings.steps, hooks.until ?? Number.POSITIVE_INFINITY);
  const timeUp = () => hooks.timeLimit !== undefined && (now() - began) / 1000 >= hooks.timeLimit;
  const losses = new LossAverager(lossEvery(run.settings.steps), run.history);
  if (run.state.step === 0 && hooks.validate) await validateInto(run, hooks);
  run.state = await trainFlow(
    engine,
    run.settings.spec,
    data,
    {
      steps: Math.max(0, end - run.state.step),
      seed: run.settings.seed,
      milestones: run.settings.milestones,
      shouldStop: () => !!hooks.interrupted?.() || timeUp(),
      onStep: async (report, state) => {
        run.state = state;
        losses.add(report);
        if (hooks.validate && (report.step % hooks.validateEvery === 0 || report.step === run.settings.steps)) await validateInto(run, hooks);
        hooks.onStep?.(report, run);
        if ((now() - savedAt) / 1000 >= hooks.saveSeconds && report.step < end) {
          await hooks.save(run);
          savedAt = now();
        }
      },
    },
    run.state,
  );
  await hooks.save(run);
  if (run.state.step >= run.settings.steps) return 'done';
  if (run.state.step >= end) return 'until';
  return hooks.interrupted?.() ? 'interrupted' : 'time';
}

async function validateInto(run: FlowRun, hooks: RunHooks): Promise<void> {
  const figures = await hooks.validate!(run.state.params);
  const point: ValidationPoint = { ...figures, step: run.state.step, seconds: run.state.seconds };
  const last = run.history.validation.at(-1);
  if (last?.step === point.step) run.history.validation.pop();
  run.history.validation.push(point);
}

/** Groups step losses into points of `every` steps (by step number, so a resumed run fills the same points). */
class LossAverager {
  constructor(
    private readonly every: number,
    private readonly history: TrainingHistory,
  ) {}

  add(r: StepReport): void {
    const p = this.history.pending;
    if (!r.skipped) {
      p.sum += r.loss;
      p.count++;
    }
    if (r.step % this.every !== 0) return;
    if (p.count) this.history.loss.push({ step: r.step, loss: p.sum / p.count });
    this.history.pending = { sum: 0, count: 0 };
  }
}
