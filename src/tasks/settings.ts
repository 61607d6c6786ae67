/** The settings a run uses: the task's preset (chosen by size unless given), its tweaks for the request, then the caller's overrides. */
import { withProfile, withWidth } from '../nets/index.js';
import { ARCH_AUTO, isArchName, type Preset, type RestoreOptions, type StopMode, type StopRule } from '../options/index.js';
import { parseGenotype } from '../search/genotype.js';
import { taskDefinition } from './index.js';
import { presetBySize, type Machine } from './size-preset.js';
import type { TaskSettings } from './task.js';

export type EffectiveSettings = TaskSettings & { stop: StopMode; stopRule: StopRule; preset: string; presetBySize?: true };

/**
 * For a validated request (the preset exists for the task; stop rules fit it). Without a preset (or
 * with `auto`) the image size and `machine` choose it (src/tasks/size-preset.ts); the machine defaults
 * to the backend and threads the request names (cpu and 2 threads where it leaves them to the engine).
 * `arch: 'auto'` is resolved to a genotype by restoreWith's search before this runs; given here, the
 * preset's network stays.
 */
export function effectiveSettings(o: RestoreOptions, machine: Machine = requestedMachine(o)): EffectiveSettings {
  const bySize = !o.preset || o.preset === 'auto';
  const preset = bySize ? presetBySize(o, machine, (p) => presetSettings(o, p)) : (o.preset as Preset);
  const task = taskDefinition(o.task);
  // Automatic stopping is the default, by the task's rule unless the caller names another.
  return {
    ...presetSettings(o, preset),
    stop: o.stop ?? 'auto',
    stopRule: o.stopRule ?? task.stopRule,
    preset,
    ...(bySize && { presetBySize: true as const }),
  };
}

/** One preset's settings for this request: the preset, the task's tweaks, then the caller's overrides. */
export function presetSettings(o: RestoreOptions, preset: Preset): TaskSettings {
  const task = taskDefinition(o.task);
  let s: TaskSettings = { ...task.presets[preset as Exclude<Preset, 'auto'>]! };
  if (task.tweak) s = task.tweak(s, { ...o, preset });
  if (o.arch && o.arch !== ARCH_AUTO && o.arch !== s.arch) s = withArch(s, o);
  if (o.iterations !== undefined) s.iterations = o.iterations;
  if (o.lr !== undefined) s.lr = o.lr;
  if (o.lipschitz !== undefined) s.lipschitz = o.lipschitz;
  if (o.upsample) s = withUpsample(s, o.upsample);
  if (o.channels !== undefined) s = { ...s, net: withWidth(s.arch, s.net, o.channels) };
  if (o.regNoise !== undefined) s.regNoise = o.regNoise;
  if (o.smoothing !== undefined) s = { ...s, smoothing: o.smoothing, returnSmoothed: o.smoothing > 0 };
  if (o.lrSchedule) s.lrSchedule = o.lrSchedule;
  if (o.coarseIterations !== undefined) s.coarseIterations = o.coarseIterations;
  if (o.tv !== undefined) s.tv = o.tv;
  const profile = o.widthProfile ?? s.widthProfile;
  if (profile && (s.arch === 'skip' || s.arch === 'skip-depth6')) s = { ...s, widthProfile: profile, net: withProfile(s.net, s.arch, profile) };
  return s;
}

function requestedMachine(o: RestoreOptions): Machine {
  return { backend: o.backend && o.backend !== 'auto' ? o.backend : 'cpu', threads: o.threads ?? 2 };
}

/**
 * The decoder draws from a low-resolution Fourier code; the other networks from full-size noise. A
 * genotype is ISNAS-DIP's cross-skip net, whose noise code has the image's channels (not DIP's 32).
 */
function withArch(s: TaskSettings, o: RestoreOptions): TaskSettings {
  const arch = isArchName(o.arch) ? o.arch : 'cross-skip';
  const input = s.input === 'image' ? 'image' : arch === 'decoder' ? 'fourier' : s.input === 'fourier' ? 'noise' : s.input;
  if (arch !== 'cross-skip') return { ...s, arch, input };
  const genotype = parseGenotype(o.arch!);
  // A genotype with a width brings it (validation refuses a different --channels beside it).
  const crossSkip = { genotype, ...(genotype.width !== undefined && { channels: genotype.width }) };
  return { ...s, arch, input, inputDepth: o.image.channels <= 2 ? 1 : 3, net: { ...s.net, crossSkip } };
}

function withUpsample(s: TaskSettings, up: NonNullable<RestoreOptions['upsample']>): TaskSettings {
  const n = s.net;
  return { ...s, net: { ...n, skip: { ...n.skip, upsample: up }, decoder: { ...n.decoder, upsample: up }, unet: { ...n.unet, upsample: up } } };
}
