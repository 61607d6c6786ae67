/** The settings a run uses: the task's preset, its tweaks for the request, then the caller's overrides. */
import { withWidth } from '../nets/index.js';
import { ARCH_AUTO, isArchName, type RestoreOptions, type StopMode, type StopRule } from '../options/index.js';
import { parseGenotype } from '../search/genotype.js';
import { taskDefinition } from './index.js';
import type { TaskSettings } from './task.js';

export type EffectiveSettings = TaskSettings & { stop: StopMode; stopRule?: StopRule; preset: string };

/**
 * For a validated request (the preset exists for the task; stop rules fit it). `arch: 'auto'` is
 * resolved to a genotype by restoreWith's search before this runs; given here, the preset's network stays.
 */
export function effectiveSettings(o: RestoreOptions): EffectiveSettings {
  const task = taskDefinition(o.task);
  const preset = o.preset ?? 'fast';
  let s: TaskSettings = { ...task.presets[preset]! };
  if (task.tweak) s = task.tweak(s, { ...o, preset });
  if (o.arch && o.arch !== ARCH_AUTO && o.arch !== s.arch) s = withArch(s, o);
  if (o.iterations !== undefined) s.iterations = o.iterations;
  if (o.lr !== undefined) s.lr = o.lr;
  if (o.lipschitz !== undefined) s.lipschitz = o.lipschitz;
  if (o.upsample) s = withUpsample(s, o.upsample);
  if (o.channels !== undefined) s = { ...s, net: withWidth(s.arch, s.net, o.channels) };
  if (o.regNoise !== undefined) s.regNoise = o.regNoise;
  if (o.smoothing !== undefined) s = { ...s, smoothing: o.smoothing, returnSmoothed: o.smoothing > 0 };
  // Automatic stopping is the default: the task's rule where one is validated, else the preset's budget.
  return { ...s, stop: o.stop ?? 'auto', stopRule: o.stopRule ?? task.stopRule, preset };
}

/**
 * The decoder draws from a low-resolution Fourier code; the other networks from full-size noise. A
 * genotype is ISNAS-DIP's cross-skip net, whose noise code has the image's channels (not DIP's 32).
 */
function withArch(s: TaskSettings, o: RestoreOptions): TaskSettings {
  const arch = isArchName(o.arch) ? o.arch : 'cross-skip';
  const input = s.input === 'image' ? 'image' : arch === 'decoder' ? 'fourier' : s.input === 'fourier' ? 'noise' : s.input;
  if (arch !== 'cross-skip') return { ...s, arch, input };
  const crossSkip = { genotype: parseGenotype(o.arch!) };
  return { ...s, arch, input, inputDepth: o.image.channels <= 2 ? 1 : 3, net: { ...s.net, crossSkip } };
}

function withUpsample(s: TaskSettings, up: NonNullable<RestoreOptions['upsample']>): TaskSettings {
  const n = s.net;
  return { ...s, net: { ...n, skip: { ...n.skip, upsample: up }, decoder: { ...n.decoder, upsample: up }, unet: { ...n.unet, upsample: up } } };
}
