/**
 * restore(): options → task problem → network → training-step graph → engine → fit loop → image.
 * Platform-neutral: the ONNX Runtime flavour and anything file-related are injected, so the same
 * function runs in Node (src/node.ts) and in the browser.
 */
import { network, withWidth } from './nets/index.js';
import { buildStepGraph, ADAM_DEFAULTS } from './fit/step-graph.js';
import { fit } from './fit/fit.js';
import { makeInputCode } from './fit/input-code.js';
import { Engine, type Platform } from './runtime/engine.js';
import { taskDefinition } from './tasks/index.js';
import type { TaskSettings } from './tasks/task.js';
import { validateRestoreOptions } from './validate.js';
import { createStopper } from './stop/index.js';
import { Rng } from './util/random.js';
import { InputError } from './util/errors.js';
import { estimateNoiseSigma } from './image/noise-level.js';
import { TASKS, type CheckpointData, type RestoreHooks, type RestoreOptions, type RestoreResult, type StopMode, type StopRule } from './options.js';
import { fingerprint } from './fit/fingerprint.js';

/** The settings a run will use, after preset, task tweaks and user overrides. */
export function effectiveSettings(o: RestoreOptions): TaskSettings & { stop: StopMode; stopRule?: StopRule; preset: string } {
  const task = taskDefinition(o.task);
  const preset = o.preset ?? 'fast';
  const chosen = task.presets[preset];
  if (!chosen) {
    const withIt = TASKS.filter((t) => taskDefinition(t).presets[preset]).join(', ');
    throw new InputError(`--preset ${preset} is not defined for ${o.task} (it is for ${withIt}): use --preset fast or paper`, { code: 'BAD_OPTION' });
  }
  let s: TaskSettings = { ...chosen };
  if (task.tweak) s = task.tweak(s, { ...o, preset });
  if (o.arch && o.arch !== s.arch) {
    // The decoder draws from a low-resolution Fourier code; the other networks from full-size noise.
    const input = s.input === 'image' ? 'image' : o.arch === 'decoder' ? 'fourier' : s.input === 'fourier' ? 'noise' : s.input;
    s = { ...s, arch: o.arch, input };
  }
  if (o.iterations !== undefined) s.iterations = o.iterations;
  if (o.lr !== undefined) s.lr = o.lr;
  if (o.lipschitz !== undefined) s.lipschitz = o.lipschitz;
  if (o.upsample) {
    const up = o.upsample;
    s = { ...s, net: { ...s.net, skip: { ...s.net.skip, upsample: up }, decoder: { ...s.net.decoder, upsample: up }, unet: { ...s.net.unet, upsample: up } } };
  }
  if (o.channels !== undefined) s = { ...s, net: withWidth(s.arch, s.net, o.channels) };
  if (o.regNoise !== undefined) s.regNoise = o.regNoise;
  if (o.smoothing !== undefined) s = { ...s, smoothing: o.smoothing, returnSmoothed: o.smoothing > 0 };
  // Automatic stopping is the default: a task's rule where one is validated (denoise: the discrepancy
  // principle, docs/RESULTS.md), else the preset's budget, which is then only a ceiling in name.
  const stop = o.stop ?? 'auto';
  const overfitting = () => TASKS.filter((t) => taskDefinition(t).autoStop).join(', ');
  if (o.stopRule && !task.autoStop) {
    throw new InputError(`--stop-rule is for tasks whose fit overfits noise (${overfitting()}); ${o.task} runs its budget`, { code: 'BAD_OPTION' });
  }
  const stopRule = o.stopRule ?? task.stopRule;
  if (stop === 'watch' && !stopRule) {
    const hint = task.autoStop ? `choose one with --stop-rule discrepancy, wmv or ratio` : `rules exist for ${overfitting()}`;
    throw new InputError(`--stop watch needs a stopping rule and ${o.task} has none by default: ${hint}`, { code: 'BAD_OPTION' });
  }
  return { ...s, stop, stopRule, preset };
}

export async function restoreWith(platform: Platform, options: RestoreOptions, hooks: RestoreHooks = {}): Promise<RestoreResult> {
  const o = validateRestoreOptions(options);
  const task = taskDefinition(o.task);
  const s = effectiveSettings(o);
  const seed = o.seed ?? 0;
  const rng = new Rng(seed);
  const outChannels = o.image.channels <= 2 ? 1 : 3;
  const net = network(s.arch, s.net, outChannels);
  const problem = await task.prepare(o, { multiple: net.multiple, minSize: net.minSize });
  const { width: cw, height: ch } = problem.canvas;
  const inputShape =
    s.input === 'image' ? [1, problem.channels, ch, cw] : [1, s.input === 'meshgrid' ? 2 : s.inputDepth, ch / net.inputDownscale, cw / net.inputDownscale];

  // Tasks whose fit does not reproduce noise late (inpaint, super-resolve, ...) have nothing to detect:
  // for them, and for a task without a validated default rule, auto is the preset's budget.
  const rule = s.stopRule;
  const stopper =
    s.stop !== 'fixed' && rule
      ? createStopper({
          channels: problem.channels,
          width: cw,
          height: ch,
          rule,
          noiseSigma: rule === 'discrepancy' ? estimateNoiseSigma(o.image) : undefined,
          lossScale: lossFraction(problem.data.weight?.values),
        })
      : undefined;
  const engine = await Engine.create(platform, { backend: o.backend, threads: o.threads, log: hooks.log });
  const step = buildStepGraph({
    inputShape,
    network: net.build,
    loss: { inputs: Object.fromEntries(Object.entries(problem.data).map(([k, d]) => [k, d.shape])), loss: problem.loss },
    adam: { ...ADAM_DEFAULTS, lr: s.lr },
    regNoise: s.regNoise > 0,
    monitorReference: !!problem.reference,
    monitors: stopper?.needs,
    lipschitz: s.lipschitz,
  });
  const program = await engine.compile(step.graph);
  try {
    const params = step.params.initialize(rng.fork());
    const z = problem.inputImage ?? makeInputCode(s.input, inputShape, rng.fork());
    const data: Record<string, Float32Array> = Object.fromEntries(Object.entries(problem.data).map(([k, d]) => [k, d.values]));
    if (problem.reference) {
      data.reference = problem.reference.values;
      data.reference_weight = problem.reference.weight;
    }
    const print = fingerprint(o, s);
    let resume: CheckpointData | undefined;
    if (hooks.checkpoint) {
      const loaded = await hooks.checkpoint.load();
      if (loaded) {
        if (loaded.fingerprint !== print) {
          throw new InputError('the checkpoint was made with other settings or another input image: remove --resume or use the same options');
        }
        resume = loaded;
        hooks.log?.(`resuming from iteration ${loaded.iteration}`);
      }
    }
    await hooks.onStart?.({
      params: resume?.params ?? params,
      paramShapes: step.params.specs.map((p) => [...p.shape]),
      z: resume?.z ?? z,
      inputShape,
    });
    const outcome = await fit(
      program,
      step,
      { params, aux: step.params.initialState(rng.fork()), z, data, resume },
      {
        iterations: s.iterations,
        adam: { ...ADAM_DEFAULTS, lr: s.lr },
        regNoise: s.regNoise,
        noiseSeed: seed + 1,
        smoothing: s.smoothing,
        backtracking: s.backtracking,
        returnSmoothed: s.returnSmoothed,
        stopper,
        watchOnly: s.stop === 'watch',
        referenceCount: problem.reference?.count,
        snapshotEvery: hooks.snapshotEvery,
        snapshotRaw: hooks.snapshotKind === 'raw',
        checkpointEvery: hooks.checkpointEvery,
      },
      {
        onProgress: hooks.onProgress,
        signal: hooks.signal,
        log: hooks.log,
        onSnapshot: hooks.onSnapshot ? (t, planar) => hooks.onSnapshot!(t, problem.finish(planar)) : undefined,
        onCheckpoint: hooks.checkpoint ? (d) => hooks.checkpoint!.save({ ...d, version: 1, fingerprint: print }) : undefined,
      },
    );
    const image = problem.finish(outcome.output);
    return {
      image,
      iterations: outcome.iterations,
      stopReason: outcome.stopReason,
      bestIteration: outcome.bestIteration,
      history: outcome.history,
      seconds: outcome.seconds,
      backend: engine.backend,
      recoveries: outcome.recoveries,
      options: {
        task: o.task,
        preset: s.preset,
        arch: s.arch,
        network: net.description,
        parameters: step.params.count,
        input: s.input,
        inputDepth: inputShape[1],
        canvas: { width: cw, height: ch },
        lr: s.lr,
        iterations: s.iterations,
        stop: s.stop,
        stopRule: stopper?.describe() ?? (s.stop === 'auto' ? noRuleReason(task.autoStop, o.task, s.iterations) : undefined),
        regNoise: s.regNoise,
        smoothing: s.smoothing,
        backtracking: s.backtracking,
        returnSmoothed: s.returnSmoothed,
        tv: o.tv ?? 0,
        lipschitz: s.lipschitz ?? 0,
        scale: o.scale,
        impulseLoss: o.task === 'impulse' ? (o.impulseLoss ?? 'mask') : undefined,
        seed,
        backend: engine.backend,
        threads: engine.threads,
      },
      ...(outcome.oracle ? { oracle: { iteration: outcome.oracle.iteration, image: problem.finish(outcome.oracle.output) } } : {}),
      ...(outcome.watched
        ? {
            watched: {
              stoppedAt: outcome.watched.stoppedAt,
              iteration: outcome.watched.iteration,
              image: problem.finish(outcome.watched.output),
              reason: outcome.watched.reason,
            },
          }
        : {}),
    };
  } finally {
    await program.release();
  }
}

/** The fraction of the loss's mean that counts (padding and masked values weigh 0). */
function lossFraction(weight?: Float32Array): number {
  if (!weight) return 1;
  let sum = 0;
  for (let i = 0; i < weight.length; i++) sum += weight[i];
  return sum / weight.length || 1;
}

function noRuleReason(overfits: boolean, task: string, iterations: number): string {
  return overfits
    ? `no default rule for ${task} yet: the whole budget of ${iterations} iterations ran (--stop-rule chooses one)`
    : `none needed: ${task} does not overfit noise, the whole budget of ${iterations} iterations ran`;
}
