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
import { DEFAULT_NET_MODES } from '../search/contender.js';
import { SELECTION_RULES } from '../search/select.js';
import { MAX_CANDIDATES } from '../search/space.js';
import { bytes, choice, flag, image, int, num, text, type Kind } from './kinds.js';
import { IMPULSE_LOSSES, LR_SCHEDULES, PRESETS, STOP_MODES, STOP_RULES, TASKS, UPSAMPLES, WIDTH_PROFILES } from './names.js';
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
  readonly preset?: 'iterations' | 'lr' | 'regNoise' | 'smoothing' | 'arch' | 'lrSchedule' | 'widthProfile' | 'coarseIterations';
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
/** Halvings of 128 channels before the cells' 16-channel floor. */
const MAX_WIDTH_VARIANTS = 3;
export const MAX_THREADS = 1024;
/** The largest side an image may have (beyond it, even one tile row would not fit a machine). */
export const MAX_SIDE = 65_535;
/** Smallest --max-memory: below it not even ONNX Runtime and one small tile fit. */
export const MIN_MEMORY = 64 * 2 ** 20;
/** Smallest --tile-size the option accepts; the plan refuses one below the network's smallest tile. */
export const MIN_TILE_OPTION = 16;
/** Smallest --max-size: the smallest canvas of the default networks. */
export const MIN_PREVIEW_SIDE = 64;
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
  /**
   * inpaint / reconstruct: the result keeps the input's known pixels exactly and takes the fit's output
   * only where the mask is 0 (what an editor's "remove" tool does). Off: the network's output everywhere,
   * as in the Deep Image Prior papers.
   */
  keepKnown: {
    kind: flag(),
    flag: '--keep-known',
    help: "keep the input's known pixels exactly: the fit fills only the masked ones",
    perTask: true,
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
  /** auto (chosen from the image size and the machine, said in the log), fast (CPU-friendly), lite (photos above about a megapixel: cheaper, fewer steps, lower quality), paper (the official notebooks), controlled (Shi et al.'s decoder; denoise, deblock, inpaint) or drp (Li et al.'s Deep Random Projector; denoise). */
  preset: {
    kind: choice(PRESETS),
    flag: '--preset',
    arg: '<name>',
    help: "auto (from the image size and the machine; the log says which and how long), fast (minutes on a laptop CPU for a crop), lite (denoise: cheaper and fewer steps at a cost in quality, for photos above about a megapixel), paper (the DIP papers' settings), controlled (denoise, deblock, inpaint: spectral-bias-controlled decoder, which does not decay late) or drp (denoise: Deep Random Projector, frozen random weights, trained code and batch norm)",
    default: 'auto',
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
  /** The rule behind stop 'auto' and 'watch': discrepancy (residual reaches the estimated noise level; denoise), change (the returned estimate stopped changing), wmv (running variance of the outputs) or ratio (Shi et al.'s blur/sharpness). Each task accepts the rules that fit it. */
  stopRule: {
    kind: choice(STOP_RULES),
    flag: '--stop-rule',
    arg: '<rule>',
    help: "rule behind --stop auto: discrepancy (the fit's residual reaches the noise level estimated from the input; denoise), change (the result stopped changing; every task but denoise), wmv (running variance of the outputs; every task) or ratio (blur/sharpness, Shi et al.; denoise, deblock, inpaint)",
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
    help: 'networks per metric fitted on a 64 px copy (super-resolve: at full size; the paper: 15)',
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
  /**
   * arch 'auto': exclude = ISNAS-DIP as published; compete = the preset's own network is also fitted on
   * the cohort copy, kept when its output is closer to the cohort's weighted average than ISNAS-DIP's
   * choice, and open to the cost-aware choice (one more cohort fit).
   */
  defaultNet: {
    kind: choice(DEFAULT_NET_MODES),
    flag: '--default-net',
    arg: '<mode>',
    help: "exclude (ISNAS-DIP as published) or compete (the preset's own network is fitted beside the cohort: kept when it is closer to the cohort's average than ISNAS-DIP's choice, and open to --prefer)",
    default: 'exclude',
    group: 'search',
  },
  /**
   * arch 'auto': what each cohort member's output is compared with to pick the network: average = the
   * metric-weighted average of the whole cohort, its own output included (ISNAS-DIP as published);
   * leave-one-out = the weighted average of the others, which removes the pull of a member's own
   * weight towards itself (src/search/select.ts).
   */
  selection: {
    kind: choice(SELECTION_RULES),
    flag: '--selection',
    arg: '<rule>',
    help: "average (ISNAS-DIP: the member closest to the cohort's weighted average) or leave-one-out (closest to the others' average, its own output left out)",
    default: 'average',
    group: 'search',
  },
  /**
   * arch 'auto': narrower copies of the chosen genotype (half its width, a quarter, …, at least 16
   * channels), fitted on the cohort copy after the selection and scored against the same cohort
   * average, so that --prefer can trade a little selection score for a cheaper step (width-variants.ts).
   */
  widthVariants: {
    kind: int(0, MAX_WIDTH_VARIANTS),
    flag: '--width-variants',
    arg: '<n>',
    help: 'narrower copies of the chosen network fitted after the selection for --prefer: n halvings of its width (0: none)',
    default: '0',
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
  /** How the learning rate moves over the fit: constant, a warm-up to it, or a warm-up to 3× it that settles back by step 500. Default: from the preset. */
  lrSchedule: {
    kind: choice(LR_SCHEDULES),
    flag: '--lr-schedule',
    arg: '<name>',
    help: 'learning rate over the fit: constant, warmup (a ramp over the first 100 steps) or boost (a ramp to 3× the rate, back to 1× by step 500)',
    preset: 'lrSchedule',
    group: 'fitting',
  },
  /** How the skip net's channels spread over its levels: uniform, or pyramid (the finest level 1/8 of the widest, doubling down to the two coarsest). Default: from the preset. */
  widthProfile: {
    kind: choice(WIDTH_PROFILES),
    flag: '--width-profile',
    arg: '<name>',
    help: "channels over the skip net's levels: uniform, or pyramid (narrow at full resolution, doubling to the widest at the two coarsest levels)",
    preset: 'widthProfile',
    group: 'fitting',
  },
  /** Iterations on a half-size copy before the full-size fit continues from its weights (0 = off). Default: from the preset. */
  coarseIterations: {
    kind: int(0, MAX_ITERATIONS),
    flag: '--coarse-iterations',
    arg: '<n>',
    help: 'first fit a half-size copy for n iterations, then continue at full size from its weights (0 = off)',
    preset: 'coarseIterations',
    perTask: true,
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
  /** Weight of the isotropic total variation of the output, per value (as the mean squared error is), added to the data term (0 = off). */
  tv: {
    kind: num({ min: 0, hint: '0 = off' }),
    flag: '--tv',
    arg: '<weight>',
    help: "weight of the output's total variation (per value, as the data term) added to the loss",
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
  /**
   * Memory the fit may take (bytes; the CLI reads 512M, 2G). An image that does not fit is fitted in
   * overlapping tiles sized to it; a budget too small for even one tile is refused before the fit.
   * Default: 75 % of the memory available (CPU), of the GPU's free memory (CUDA, as nvidia-smi reports
   * it); none is known for WebGPU.
   */
  maxMemory: {
    kind: bytes(MIN_MEMORY),
    flag: '--max-memory',
    arg: '<size>',
    help: 'memory the fit may use, e.g. 2G; a larger image is fitted in overlapping tiles',
    default: '75 % of the available (or free GPU) memory',
    group: 'size',
  },
  /**
   * How an image fitted in tiles is fitted: joint = one network over all tiles, each step's gradient
   * summed over them (the whole image's fit in one tile's memory); independent = one fit per tile.
   * Joint applies to same-size tasks with a squared-error data term and every weight trained; the
   * others, and tiles added around inpainting holes, are fitted independently; so are tiles asked for
   * by --tile-size where no memory budget is known, unless joint is given (its stitching graph spans
   * the whole canvas).
   */
  tiling: {
    kind: choice(['joint', 'independent'] as const),
    flag: '--tiling',
    arg: '<mode>',
    help: 'for an image fitted in tiles: joint (one network over all tiles, as the whole image would be fitted) or independent (one fit per tile)',
    default: 'joint',
    group: 'size',
  },
  /**
   * Tiles of at most this many pixels a side (the input side; rounded down to the network's multiple):
   * tiling where the memory budget alone would not ask for it, e.g. on a GPU backend, whose free
   * memory ONNX Runtime does not report, or in the browser app, which sizes tiles by its own model.
   * A budget that needs smaller tiles still gets them.
   */
  tileSize: {
    kind: int(MIN_TILE_OPTION, MAX_SIDE),
    flag: '--tile-size',
    arg: '<pixels>',
    help: 'fit in tiles of at most this many input pixels a side, e.g. on a GPU whose free memory is not known',
    default: 'as large as the memory allows',
    group: 'size',
  },
  /** Fit a copy downscaled to at most this many pixels on its long side (the network's output side), a quick preview: the result is scaled back up and finer detail is lost. */
  maxSize: {
    kind: int(MIN_PREVIEW_SIDE, MAX_SIDE),
    flag: '--max-size',
    arg: '<pixels>',
    help: 'quick preview: fit a copy downscaled to at most this long side, scaled back up (detail is lost)',
    group: 'size',
  },
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
