/**
 * THE table of restore options: one entry per option, the one place that says what it is, which
 * values it takes, its command-line flag and help, and (in the doc comment) what a library caller
 * reads on hover. From it come the option types (`RestoreOptions`), the validator's checks and
 * messages (validate.ts), the CLI's flags and `--help` (src/cli/flags.ts) and the README's option
 * table (scripts/options-doc.ts). Adding an option = one entry here plus its use.
 *
 * Defaults that depend on the task and preset (`preset: 'iterations'`) are read from the task files;
 * options marked `perTask` are accepted only by the tasks that list them (TaskDefinition.options).
 */
import { BACKENDS } from '../runtime/engine.js';
import { archKind } from './arch.js';
import { metricListKind } from './metric-list.js';
import { PREFER_TOLERANCE_DB, PREFERENCES } from '../search/cost-aware.js';
import { MAX_CANDIDATES } from '../search/space.js';
import { choice, flag, image, int, num, text, type Kind } from './kinds.js';
import { IMPULSE_LOSSES, PRESETS, STOP_MODES, STOP_RULES, TASKS, UPSAMPLES } from './names.js';
import { isColor } from '../image/masks.js';

export interface OptionSpec {
  readonly kind: Kind<unknown>;
  /** Its command-line flag (absent: the library only) and the placeholder of its value ('<n>'). */
  readonly flag?: string;
  readonly arg?: string;
  /** One line for `--help` and the README: what it does. */
  readonly help: string;
  /** The default, as help says it; `preset` names the task setting that holds it instead. */
  readonly default?: string;
  readonly preset?: 'iterations' | 'lr' | 'regNoise' | 'smoothing' | 'arch';
  /** Accepted only by the tasks whose definition lists it. */
  readonly perTask?: true;
  /** Only meaningful together with this option. */
  readonly needs?: string;
  /** Cannot be given together with these. */
  readonly conflicts?: readonly string[];
  /** The help group on the command line. */
  readonly group: 'task' | 'fitting' | 'search' | 'size' | 'output';
}

/** Smallest side the networks accept (five stride-2 levels still leave a pixel or more at 32). */
export const MIN_SIDE = 8;
export const MAX_ITERATIONS = 1_000_000;
export const MAX_SEED = 0xffff_ffff;
/** Wider than the papers' 128 by far; beyond this a step would not fit in memory at any useful size. */
export const MAX_CHANNELS = 1024;
export const MAX_THREADS = 1024;
/** The largest side an image may have (beyond it, even one tile row would not fit a machine). */
export const MAX_SIDE = 65_535;
export const MAX_COHORT = 1000;
/** Search sizes for a 2-core CPU: screening about a minute at 256², four short fits at 64 px. */
export const DEFAULT_CANDIDATES = 64;
export const DEFAULT_COHORT = 4;
export const DEFAULT_METRICS = ['psd-db-strip-mse'] as const;

export const RESTORE_OPTIONS = {
  /** What to restore. */
  task: { kind: choice(TASKS), help: 'what to restore (the command)', group: 'task' },
  /** The damaged image (grey, grey+alpha, RGB or RGBA; alpha is carried through untouched or resized). */
  image: { kind: image('the damaged image'), help: 'the damaged image', group: 'task' },
  /** inpaint / reconstruct: 1 = known pixel, 0 = to fill; one channel, the image's size. */
  mask: {
    kind: image('a 1-channel mask'),
    flag: '--mask',
    arg: '<file>',
    help: 'mask: white = known pixels, black = to fill (same size as the input)',
    perTask: true,
    conflicts: ['maskColor'],
    group: 'task',
  },
  /** The mask is painted white over the damage: known and unknown are swapped. */
  maskInvert: {
    kind: flag(),
    flag: '--mask-invert',
    help: 'the mask is painted white over the damage (swap known and unknown)',
    perTask: true,
    needs: 'mask',
    group: 'task',
  },
  /** inpaint: fill every pixel of this colour instead of giving a mask (#rrggbb, r,g,b or a CSS name). */
  maskColor: {
    kind: text('a colour: #rrggbb, #rgb, r,g,b (0–255) or white, black, red, green, blue, yellow, cyan, magenta', isColor),
    flag: '--mask-color',
    arg: '<color>',
    help: 'fill every pixel of this colour instead of using a mask file: #rrggbb, r,g,b or a name',
    perTask: true,
    group: 'task',
  },
  /** With maskColor: the largest per-channel difference (0–255) still counted as that colour. */
  maskTolerance: {
    kind: num({ min: 0, max: 255 }),
    flag: '--mask-tolerance',
    arg: '<n>',
    help: 'with --mask-color: largest per-channel difference (0–255) still counted as that colour',
    default: '0',
    perTask: true,
    needs: 'maskColor',
    group: 'task',
  },
  /** flash: the flash photo of the same scene, used as the network input. */
  guide: {
    kind: image('the flash photo'),
    flag: '--guide',
    arg: '<flash_image>',
    help: 'the flash photo of the same scene (same size)',
    perTask: true,
    group: 'task',
  },
  /** super-resolve: the upscaling factor. */
  scale: { kind: choice([2, 4, 8] as const), flag: '--scale', arg: '<factor>', help: 'upscaling factor: 2, 4 or 8', perTask: true, group: 'task' },
  /** impulse: outliers detected and masked out ('mask'), or a robust L1 data term ('l1'). */
  impulseLoss: {
    kind: choice(IMPULSE_LOSSES),
    flag: '--impulse-loss',
    arg: '<kind>',
    help: 'mask (detect outliers and ignore them) or l1 (robust loss)',
    default: 'mask',
    perTask: true,
    group: 'task',
  },
  /** fast (CPU-friendly), paper (the official notebooks) or controlled (Shi et al.'s decoder; denoise, deblock, inpaint). */
  preset: {
    kind: choice(PRESETS),
    flag: '--preset',
    arg: '<name>',
    help: "fast (minutes on a laptop CPU), paper (the DIP papers' settings) or controlled (spectral-bias-controlled decoder, which does not decay late)",
    default: 'fast',
    group: 'fitting',
  },
  /** Optimisation steps; the ceiling when stop is 'auto'. Default: from the preset. */
  iterations: {
    kind: int(1, MAX_ITERATIONS),
    flag: '--iterations',
    arg: '<n>',
    help: 'optimisation steps; a ceiling when --stop auto',
    preset: 'iterations',
    group: 'fitting',
  },
  /** auto: stop when the task's rule says the fit has peaked; fixed: run exactly `iterations`; watch: run them and report where auto would have stopped. */
  stop: {
    kind: choice(STOP_MODES),
    flag: '--stop',
    arg: '<mode>',
    help: 'auto (stop when the fit has peaked; --iterations is a ceiling), fixed (run exactly --iterations) or watch (run --iterations, report where auto would have stopped)',
    default: 'auto',
    group: 'fitting',
  },
  /** The rule behind stop 'auto' for tasks that overfit noise: discrepancy (residual reaches the estimated noise level), wmv (running variance of the outputs) or ratio (Shi et al.'s blur/sharpness). */
  stopRule: {
    kind: choice(STOP_RULES),
    flag: '--stop-rule',
    arg: '<rule>',
    help: "rule behind --stop auto: discrepancy (the fit's residual reaches the noise level estimated from the input), wmv (running variance of the outputs) or ratio (blur/sharpness, Shi et al.)",
    default: "the task's",
    group: 'fitting',
  },
  /**
   * The generator network: a name, a cross-skip genotype (`xs1_147_0a3f0c1`, as `search` prints it)
   * or 'auto' (ISNAS-DIP's image-specific search picks a genotype first). Default: from the preset.
   */
  arch: {
    kind: archKind(),
    flag: '--arch',
    arg: '<name>',
    help: 'the generator network: skip, skip-depth6, unet, resnet, decoder, a cross-skip genotype from deep-prior search (xs1_147_0a3f0c1) or auto (search one for this image first)',
    preset: 'arch',
    group: 'fitting',
  },
  /** arch 'auto': random cross-skip genotypes screened by one untrained forward pass each (the paper: 5000). */
  candidates: {
    kind: int(1, MAX_CANDIDATES),
    flag: '--candidates',
    arg: '<n>',
    help: 'networks screened without training (the paper: 5000)',
    default: String(DEFAULT_CANDIDATES),
    group: 'search',
  },
  /** arch 'auto': the best K per metric are fitted on a 64 px copy and compared (the paper: 15). */
  cohort: {
    kind: int(1, MAX_COHORT),
    flag: '--cohort',
    arg: '<k>',
    help: 'networks per metric fitted on a 64 px copy (the paper: 15)',
    default: String(DEFAULT_COHORT),
    group: 'search',
  },
  /** arch 'auto': the training-free metrics; the first one's cohort picks the network (the paper: psd-db-strip-mse and psd-strip-hist-emd). */
  metrics: {
    kind: metricListKind(),
    flag: '--metrics',
    arg: '<list>',
    help: "training-free metrics, comma-separated; the first one's cohort picks the network",
    default: DEFAULT_METRICS.join(','),
    group: 'search',
  },
  /** arch 'auto': quality = ISNAS-DIP's choice; balanced and speed take the cheapest network whose selection score is within 0.5 or 1.5 dB of it. */
  prefer: {
    kind: choice(PREFERENCES),
    flag: '--prefer',
    arg: '<trade>',
    help: `quality (ISNAS-DIP's choice), balanced or speed (the cheapest network per step within ${PREFER_TOLERANCE_DB.balanced} or ${PREFER_TOLERANCE_DB.speed} dB of its selection score)`,
    default: 'balanced',
    group: 'search',
  },
  /** arch 'auto': the iteration ceiling of each cohort fit (they stop by the task's rule where it has one). */
  cohortIterations: {
    kind: int(1, MAX_ITERATIONS),
    flag: '--cohort-iterations',
    arg: '<n>',
    help: "ceiling of each cohort fit (they stop by the task's rule where it has one)",
    default: "the fit's --iterations",
    group: 'search',
  },
  /** Width of the network: channels of every level (unet: of the first, doubling below). Fewer = faster, weaker prior. */
  channels: {
    kind: int(1, MAX_CHANNELS),
    flag: '--channels',
    arg: '<n>',
    help: 'network width: channels per level; fewer = faster, weaker prior',
    default: 'from the preset',
    group: 'fitting',
  },
  /** Adam learning rate. Default: from the preset (0.01 in most notebooks). */
  lr: {
    kind: num({ min: 0, max: 1, aboveMin: true, hint: '0.01 is typical' }),
    flag: '--lr',
    arg: '<rate>',
    help: 'Adam learning rate',
    preset: 'lr',
    group: 'fitting',
  },
  /** Std of the Gaussian perturbation added to the input code at every step (DIP's reg_noise_std). */
  regNoise: {
    kind: num({ min: 0, max: 1, hint: '1/30 ≈ 0.033 is typical' }),
    flag: '--reg-noise',
    arg: '<sigma>',
    help: 'noise added to the input code at every step, e.g. 1/30',
    preset: 'regNoise',
    group: 'fitting',
  },
  /** Weight of an isotropic total-variation term added to the data term (0 = off). */
  tv: {
    kind: num({ min: 0, hint: '0 = off' }),
    flag: '--tv',
    arg: '<weight>',
    help: 'total-variation weight added to the loss',
    default: '0 = off',
    group: 'fitting',
  },
  /** Weight of the exponential moving average of outputs (0.99 in the notebooks; 0 = off). */
  smoothing: {
    kind: num({ min: 0, max: 1, belowMax: true, hint: '0.99 is typical, 0 = off' }),
    flag: '--smoothing',
    arg: '<w>',
    help: 'exponential averaging of the outputs, in [0, 1)',
    preset: 'smoothing',
    group: 'fitting',
  },
  /** Lipschitz bound λ of every convolution (spectral-bias control); 0 = off. Default: from the task (enhance: 1). */
  lipschitz: {
    kind: num({ min: 0, hint: '0 = off' }),
    flag: '--lipschitz',
    arg: '<lambda>',
    help: 'Lipschitz bound on every convolution (spectral-bias control), e.g. 1.4',
    default: '0 = off; enhance and --preset controlled: their own',
    group: 'fitting',
  },
  /** Decoder upsampling of any architecture; 'gaussian' is the spectral-bias paper's fixed Gaussian transposed conv. */
  upsample: {
    kind: choice(UPSAMPLES),
    flag: '--upsample',
    arg: '<mode>',
    help: 'decoder upsampling of any architecture: nearest, bilinear or gaussian (spectral-bias control)',
    default: 'from the preset',
    group: 'fitting',
  },
  /** Seed of every random choice (weights, input code, reg-noise). Same seed + backend = same result. */
  seed: {
    kind: int(0, MAX_SEED),
    flag: '--seed',
    arg: '<s>',
    help: 'seed of every random choice; same seed + backend = same result',
    default: '0',
    group: 'fitting',
  },
  /** Compute backend; 'auto' picks the best that works here and says why. */
  backend: {
    kind: choice(['auto', ...BACKENDS] as const),
    flag: '--backend',
    arg: '<name>',
    help: 'compute backend; auto picks the best that works here and says why',
    default: 'auto',
    group: 'fitting',
  },
  /** CPU threads of the engine. Default: all cores (at most 16). */
  threads: { kind: int(1, MAX_THREADS), flag: '--threads', arg: '<n>', help: 'CPU threads', default: 'all cores, at most 16', group: 'fitting' },
  /** A clean image, only to report PSNR/SSIM while running (never used by the fit). Output-sized. */
  reference: {
    kind: image('the clean image'),
    flag: '--reference',
    arg: '<file>',
    help: 'clean image: report PSNR/SSIM while running (never used by the fit)',
    group: 'fitting',
  },
  /** Border pixels ignored by the reported PSNR. Default: the task's (super-resolve: the scale, else 0). */
  referenceBorder: {
    kind: int(0, MAX_SIDE),
    flag: '--reference-border',
    arg: '<n>',
    help: 'pixels ignored on each side by the reported PSNR',
    default: 'super-resolve: the scale, else 0',
    needs: 'reference',
    group: 'fitting',
  },
} as const satisfies Record<string, OptionSpec>;

export type RestoreOptionKey = keyof typeof RESTORE_OPTIONS;

/** The help line: the entry's text, followed by the values of a closed set when the text does not list them. */
export function helpText(spec: OptionSpec): string {
  const choices = spec.kind.choices;
  return choices && !choices.every((c) => spec.help.includes(String(c))) ? `${spec.help}: ${spec.kind.describe}` : spec.help;
}
