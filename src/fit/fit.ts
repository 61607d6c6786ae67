/**
 * The optimisation loop: one training-step graph run per iteration. It composes the loop's parts —
 * the state (state.ts), the per-step policy of backtracking and divergence recovery (policy.ts), the
 * record of losses and reference PSNR (record.ts), the stopping rule (stop-control.ts) and the side
 * effects (effects.ts) — and handles cancellation. Tensors never pass through JS loops here: the
 * step graph returns the next state and the loss, and the loop only swaps references. Where the
 * program keeps the state on the device (WebGPU), only the loss, the output, the smoothed output
 * and the monitors come to the host each step.
 */
import { releaseAll } from '../runtime/device-array.js';
import type { Program } from '../runtime/engine.js';
import type { StopReason } from '../options/index.js';
import { AbortError } from '../util/errors.js';
import { FitEffects } from './effects.js';
import { StepPolicy } from './policy.js';
import { FitRecord } from './record.js';
import { FitState } from './state.js';
import type { StepGraph } from './step-graph.js';
import { StopControl } from './stop-control.js';

import type { FitConfig, FitHooks, FitInit, FitOutcome } from './types.js';

export { backtrackedParams } from './policy.js';
export type { FitConfig, FitHooks, FitInit, FitOutcome } from './types.js';

interface Loop {
  state: FitState;
  policy: StepPolicy;
  record: FitRecord;
  stop: StopControl;
  effects: FitEffects;
  current: Float32Array;
}

export async function fit(program: Program, step: StepGraph, init: FitInit, config: FitConfig, hooks: FitHooks = {}): Promise<FitOutcome> {
  const state = new FitState(step, config, init);
  const loop: Loop = {
    state,
    policy: new StepPolicy(config.backtracking, state.params, state.t),
    record: new FitRecord(init, config.returnSmoothed, config.smoothing, config.referenceCount),
    stop: new StopControl(config.stopper, !!config.watchOnly),
    effects: new FitEffects(hooks, config, state.t),
    current: state.avg,
  };
  try {
    let reason: StopReason | null = null;
    while (state.t < config.iterations && reason === null) {
      reason = hooks.signal?.aborted ? 'aborted' : await iterate(program, loop, config, hooks);
    }
    if (reason === 'aborted') await loop.effects.checkpoint(state, loop.record);
    if (state.t === 0 && reason === 'aborted') throw new AbortError('the run was aborted before the first iteration finished');
    return await outcomeOf(loop, config, reason ?? loop.stop.budgetReason);
  } finally {
    state.dispose();
    loop.policy.dispose();
  }
}

/** One step; returns why the fit ends here, or null to go on. */
async function iterate(program: Program, loop: Loop, config: FitConfig, hooks: FitHooks): Promise<StopReason | null> {
  const { state, policy } = loop;
  const out = await program.runKeeping(state.feeds(policy.failures, loop.stop.feeds(state.t + 1)));
  const { host } = out;
  const loss = host.loss[0];
  if (!Number.isFinite(loss)) {
    releaseAll(Object.values(out.kept));
    return recover(loop, hooks);
  }
  state.advance(out, await policy.onFinite(loss, state.params, state.nextParams(out)));
  loop.current = config.returnSmoothed ? state.avg : host.output;
  const entry = loop.record.add(state.t, loss, loop.record.priorSeconds + loop.effects.elapsed(), host, loop.current);
  const stopNow = loop.stop.observe(state.t, loop.current, host, entry);
  await loop.effects.afterStep(entry, state, loop.record, host.output, loop.current);
  return stopNow ? 'auto' : null;
}

/** Divergence: back to the last good weights, forget the moments, halve the step — or give up. */
function recover(loop: Loop, hooks: FitHooks): StopReason | null {
  const back = loop.policy.onNonFinite();
  const t = loop.state.t + 1;
  if (!back) {
    hooks.log?.(`the fit diverged ${loop.policy.failures} times in a row at iteration ${t}; keeping the best result so far`);
    return 'diverged';
  }
  loop.state.restart(back);
  hooks.log?.(`non-finite loss at iteration ${t}: restored the last good weights, learning rate × ${loop.state.lrScale}`);
  return null;
}

/** The stopping rule's pick, else the last iterate; the reference-best ("oracle") one is separate (benchmarks only). */
async function outcomeOf(loop: Loop, config: FitConfig, stopReason: StopReason): Promise<FitOutcome> {
  const pick = loop.stop.pick();
  return {
    output: pick?.output ?? loop.current,
    iterations: loop.state.t,
    bestIteration: pick?.iteration ?? loop.state.t,
    oracle: loop.record.best,
    watched: loop.stop.watched,
    stopReason,
    history: loop.record.history,
    recoveries: loop.policy.recoveries,
    seconds: loop.record.priorSeconds + loop.effects.elapsed(),
    ...(config.handOver && { final: await loop.state.payload() }),
  };
}
