/** The settings a run uses: the task's preset, its tweaks for the request, then the caller's overrides. */
import { withWidth } from '../nets/index.js';
import type { RestoreOptions, StopMode, StopRule } from '../options/index.js';
import { taskDefinition } from './index.js';
import type { TaskSettings } from './task.js';

export type EffectiveSettings = TaskSettings & { stop: StopMode; stopRule: StopRule; preset: string };

/** For a validated request (the preset exists for the task; stop rules fit it). */
export function effectiveSettings(o: RestoreOptions): EffectiveSettings {
  const task = taskDefinition(o.task);
  const preset = o.preset ?? 'fast';
  let s: TaskSettings = { ...task.presets[preset]! };
  if (task.tweak) s = task.tweak(s, { ...o, preset });
  if (o.arch && o.arch !== s.arch) s = withArch(s, o.arch);
  if (o.iterations !== undefined) s.iterations = o.iterations;
  if (o.lr !== undefined) s.lr = o.lr;
  if (o.lipschitz !== undefined) s.lipschitz = o.lipschitz;
  if (o.upsample) s = withUpsample(s, o.upsample);
  if (o.channels !== undefined) s = { ...s, net: withWidth(s.arch, s.net, o.channels) };
  if (o.regNoise !== undefined) s.regNoise = o.regNoise;
  if (o.smoothing !== undefined) s = { ...s, smoothing: o.smoothing, returnSmoothed: o.smoothing > 0 };
  // Automatic stopping is the default, by the task's rule unless the caller names another.
  return { ...s, stop: o.stop ?? 'auto', stopRule: o.stopRule ?? task.stopRule, preset };
}

/** The decoder draws from a low-resolution Fourier code; the other networks from full-size noise. */
function withArch(s: TaskSettings, arch: TaskSettings['arch']): TaskSettings {
  const input = s.input === 'image' ? 'image' : arch === 'decoder' ? 'fourier' : s.input === 'fourier' ? 'noise' : s.input;
  return { ...s, arch, input };
}

function withUpsample(s: TaskSettings, up: NonNullable<RestoreOptions['upsample']>): TaskSettings {
  const n = s.net;
  return { ...s, net: { ...n, skip: { ...n.skip, upsample: up }, decoder: { ...n.decoder, upsample: up }, unet: { ...n.unet, upsample: up } } };
}
