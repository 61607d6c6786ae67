/**
 * The one validator of a restoration request, run once at the edge (library `restore()`, the CLI,
 * the browser app) so that everything inside can trust its input. Table-driven: the checks and
 * their messages come from src/options/table.ts, the task-specific rules from the task's file
 * (which options it accepts, what it requires, its output size, how it derives inputs).
 *
 * Two phases, each run once per request: `validateSettings` (everything that needs no pixels, so
 * a command line fails before reading large files) and `validateImages`. `validateRestoreOptions`
 * runs both. The result is frozen and remembered, so `restoreWith` never checks it a second time.
 * Pure: no Node or DOM imports.
 */
import {
  ARCH_AUTO,
  isArchName,
  LIBRARY_NAMING,
  RESTORE_OPTIONS,
  TASKS,
  type Naming,
  type Preset,
  type RestoreOptions,
  type RestoreSettings,
} from './options/index.js';
import { CROSS_SKIP_WIDTH_MULTIPLE } from './nets/cross-skip.js';
import { parseGenotype } from './search/genotype.js';
import { DEFAULT_CANDIDATES } from './options/table.js';
import { checkImage, checkInputImage, checkMask, checkReference, checkSameSize } from './options/images.js';
import { badOption, checkCombinations, checkKnownKeys, checkRequired, checkValues, definedOnly } from './options/values.js';
import { listOr, show } from './options/kinds.js';
import { taskDefinition } from './tasks/index.js';
import { effectiveSettings } from './tasks/settings.js';
import type { TaskDefinition } from './tasks/task.js';

const IMAGE_KEYS = ['image', 'mask', 'guide', 'reference'] as const;
type ImageKey = (typeof IMAGE_KEYS)[number];

/** Settings that passed `validateSettings`. */
export type ValidSettings = RestoreSettings & { readonly __settings: true };
/** A request that passed both phases: frozen, and recognised by `isValidated`. */
export type ValidRequest = Readonly<RestoreOptions> & { readonly __valid: true };

const validated = new WeakSet<object>();

export function isValidated(o: unknown): o is ValidRequest {
  return typeof o === 'object' && o !== null && validated.has(o);
}

/**
 * Phase 1: the task, every scalar value, which options the task accepts, option combinations,
 * presets and stopping. Image options may be present as placeholders (any value): only their
 * presence counts here.
 */
export function validateSettings(o: Record<string, unknown>, naming: Naming = LIBRARY_NAMING): ValidSettings {
  if (o === null || typeof o !== 'object') throw badOption('restore needs an options object: { task, image, ... }');
  checkKnownKeys(o, RESTORE_OPTIONS);
  if (!o.task) throw badOption(`task is missing: use ${listOr([...TASKS])}`, 'task');
  if (!TASKS.includes(o.task as never)) throw badOption(`unknown task ${show(o.task)}: use ${listOr([...TASKS])}`, 'task');
  const task = taskDefinition(o.task as RestoreOptions['task']);
  checkValues(o, RESTORE_OPTIONS, naming, IMAGE_KEYS);
  checkTaskOptions(o, task, naming);
  checkCombinations(o, RESTORE_OPTIONS, naming);
  checkRequired(o, task.requires ?? [], naming, task.name);
  checkPresetAndStop(o as RestoreSettings, task, naming);
  checkArchAndSearch(o as RestoreSettings, naming);
  const settings = definedOnly(o);
  for (const k of IMAGE_KEYS) delete settings[k];
  return settings as ValidSettings;
}

/** Phase 2: the images of a request whose settings passed phase 1; returns the frozen request. */
export function validateImages(settings: ValidSettings, images: Partial<Record<ImageKey, unknown>>, naming: Naming = LIBRARY_NAMING): ValidRequest {
  const task = taskDefinition(settings.task);
  checkInputImage(images.image, naming);
  const request = definedOnly({ ...settings, ...images }) as RestoreOptions;
  for (const key of ['mask', 'guide', 'reference'] as const) if (request[key] !== undefined) checkImage(request[key], key, naming);
  if (request.guide) checkSameSize(request.guide, 'guide', request.image, naming);
  if (request.mask) checkSameSize(request.mask, 'mask', request.image, naming);
  return checkedAndFrozen(withDefaultBorder(task.resolve ? task.resolve(request, naming) : request, task), task, naming);
}

/** The checks of a resolved request's images; the request, frozen and remembered as validated. */
function checkedAndFrozen(resolved: RestoreOptions, task: TaskDefinition, naming: Naming): ValidRequest {
  if (resolved.mask) checkMask(resolved.mask, naming);
  // Any output size is accepted here: the plan tiles what does not fit the memory budget, or refuses it before the fit.
  const scale = task.outputScale?.(resolved) ?? 1;
  if (resolved.reference) checkReference(resolved.reference, resolved.image, scale, resolved.referenceBorder, naming);
  checkEffectiveSettings(resolved, naming);
  const frozen = Object.freeze(resolved) as ValidRequest;
  validated.add(frozen);
  return frozen;
}

/**
 * A validated request with values replaced by the library itself (the architecture search's
 * downscaled copies of the images and its chosen network): the new values are checked by kind and
 * the images as any are, but nothing is resolved a second time (inpaint's mask is derived already).
 */
export function derivedRequest(valid: ValidRequest, changes: Partial<RestoreOptions>): ValidRequest {
  checkValues(changes, RESTORE_OPTIONS, LIBRARY_NAMING, IMAGE_KEYS);
  const request = definedOnly({ ...valid, ...changes }) as RestoreOptions;
  checkInputImage(request.image, LIBRARY_NAMING);
  for (const key of ['mask', 'guide', 'reference'] as const) if (request[key] !== undefined) checkImage(request[key], key, LIBRARY_NAMING);
  if (request.guide) checkSameSize(request.guide, 'guide', request.image, LIBRARY_NAMING);
  if (request.mask) checkSameSize(request.mask, 'mask', request.image, LIBRARY_NAMING);
  return checkedAndFrozen(request, taskDefinition(request.task), LIBRARY_NAMING);
}

/** Both phases, for callers that have everything at once (the library). */
export function validateRestoreOptions(o: RestoreOptions, naming: Naming = LIBRARY_NAMING): ValidRequest {
  if (isValidated(o)) return o;
  const settings = validateSettings(o as unknown as Record<string, unknown>, naming);
  const images = Object.fromEntries(IMAGE_KEYS.filter((k) => o?.[k] !== undefined).map((k) => [k, o[k]]));
  if (o.image === undefined || o.image === null) throw badOption(`${naming.name('image')} is missing: give an image to restore`, 'image');
  return validateImages(settings, images, naming);
}

/** Task-specific options are accepted only by the tasks that list them. */
function checkTaskOptions(o: Record<string, unknown>, task: TaskDefinition, naming: Naming): void {
  for (const [key, spec] of Object.entries(RESTORE_OPTIONS)) {
    if (o[key] === undefined || !('perTask' in spec) || task.options.includes(key as never)) continue;
    const users = TASKS.filter((t) => taskDefinition(t).options.includes(key as never));
    throw badOption(`${naming.name(key)} only applies to ${listOr(users)}, not to ${task.name}`, key);
  }
}

function checkPresetAndStop(o: RestoreSettings, task: TaskDefinition, naming: Naming): void {
  const preset: Preset = o.preset ?? 'auto';
  if (preset !== 'auto' && !task.presets[preset]) {
    const withIt = TASKS.filter((t) => taskDefinition(t).presets[preset]);
    throw badOption(`${naming.name('preset')} ${preset} is not defined for ${task.name} (it is for ${withIt.join(', ')}): use fast or paper`, 'preset');
  }
  if (o.stopRule && !task.stopRules.includes(o.stopRule)) {
    throw badOption(
      `${naming.name('stopRule')} ${o.stopRule} does not apply to ${task.name}: use ${listOr(task.stopRules)} (default ${task.stopRule})`,
      'stopRule',
    );
  }
}

/** Rules on the settings the preset and the options make together (known once the image is: the size may choose the preset). */
function checkEffectiveSettings(o: RestoreOptions, naming: Naming): void {
  const s = effectiveSettings(o);
  if (o.widthProfile && s.arch !== 'skip' && s.arch !== 'skip-depth6') {
    throw badOption(
      `${naming.name('widthProfile')} spreads the channels of the skip nets, not of ${s.arch}: use it with ${naming.name('arch')} skip or skip-depth6`,
      'widthProfile',
    );
  }
  if (!s.coarseIterations) return;
  if (s.trainable === 'projector') {
    throw badOption(
      `${naming.name('coarseIterations')} cannot start the ${s.preset} preset: its trained input code belongs to the size it was fitted at`,
      'coarseIterations',
    );
  }
  if (s.input !== 'noise' && s.input !== 'meshgrid') {
    throw badOption(
      `${naming.name('coarseIterations')} needs a noise or meshgrid input code, and the ${s.preset} preset's is ${s.input}: use another preset or 0`,
      'coarseIterations',
    );
  }
}

/** The search's options need arch 'auto'; a genotype (or the search) brings its own upsampling. */
function checkArchAndSearch(o: RestoreSettings, naming: Naming): void {
  const auto = o.arch === ARCH_AUTO;
  for (const [key, spec] of Object.entries(RESTORE_OPTIONS)) {
    if (spec.group === 'search' && o[key as keyof RestoreSettings] !== undefined && !auto) {
      throw badOption(`${naming.name(key)} only applies to ${naming.name('arch')} auto (the architecture search)`, key);
    }
  }
  if (auto && o.cohort !== undefined && o.cohort > (o.candidates ?? DEFAULT_CANDIDATES)) {
    throw badOption(
      `${naming.name('cohort')} ${o.cohort} is more than the ${o.candidates ?? DEFAULT_CANDIDATES} screened: raise ${naming.name('candidates')} or lower ${naming.name('cohort')}`,
      'cohort',
    );
  }
  const crossSkip = o.arch !== undefined && !isArchName(o.arch);
  const width = crossSkip && o.arch !== ARCH_AUTO ? parseGenotype(o.arch!).width : undefined;
  if (width !== undefined && o.channels !== undefined && o.channels !== width) {
    throw badOption(
      `${naming.name('channels')} ${o.channels} differs from the width of ${naming.name('arch')} ${o.arch} (${width}): give one of them`,
      'channels',
    );
  }
  if (crossSkip && o.channels !== undefined && o.channels % CROSS_SKIP_WIDTH_MULTIPLE !== 0) {
    throw badOption(
      `${naming.name('channels')} must be a multiple of ${CROSS_SKIP_WIDTH_MULTIPLE} for cross-skip networks (a genotype or auto): their cells divide the width by up to ${CROSS_SKIP_WIDTH_MULTIPLE}`,
      'channels',
    );
  }
  if (o.upsample && crossSkip) {
    throw badOption(
      `${naming.name('upsample')} does not apply to cross-skip networks (a genotype or auto): the upsampling cell is part of the genotype`,
      'upsample',
    );
  }
}

/** With a reference, the PSNR border is always set: the caller's, else the task's (super-resolve: the scale). */
function withDefaultBorder(o: RestoreOptions, task: TaskDefinition): RestoreOptions {
  if (!o.reference || o.referenceBorder !== undefined) return o;
  return { ...o, referenceBorder: task.referenceBorder?.(o) ?? 0 };
}
