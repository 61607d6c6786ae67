/** The closed sets of names options take (tasks, presets, stopping modes and rules, networks). */

export const TASKS = ['denoise', 'inpaint', 'super-resolve', 'deblock', 'impulse', 'reconstruct', 'flash', 'enhance'] as const;
export type TaskName = (typeof TASKS)[number];

/**
 * auto: chosen from the image size and the machine (src/tasks/size-preset.ts); fast: minutes on a laptop CPU
 * for a crop; lite: cheaper steps and fewer of them, at a cost in quality, for photos above about a megapixel (denoise); paper: the DIP notebooks' settings; controlled: Shi et al.'s
 * spectral-bias-controlled decoder (denoise, deblock, inpaint), which does not decay late in the fit;
 * drp: Li et al.'s Deep Random Projector (denoise): frozen random conv weights, the input code and
 * batch norm trained, a one-level net, total variation in the loss.
 */
export const PRESETS = ['auto', 'fast', 'lite', 'paper', 'controlled', 'drp'] as const;
export type Preset = (typeof PRESETS)[number];

/**
 * auto: stop when the stopping rule says the fit has peaked (iterations is the ceiling); fixed: run
 * exactly `iterations`; watch: run them and report where auto would have stopped and what it would
 * have returned (for studying the rule; costs nothing extra).
 */
export const STOP_MODES = ['auto', 'fixed', 'watch'] as const;
export type StopMode = (typeof STOP_MODES)[number];

/**
 * discrepancy: the residual reaches the input's estimated noise level (denoise); change: the returned
 * estimate stopped changing (the tasks whose fit converges); wmv: ES-WMV, the running variance of the
 * outputs; ratio: Shi et al.'s blur/sharpness ratio settled.
 */
export const STOP_RULES = ['discrepancy', 'change', 'wmv', 'ratio'] as const;
export type StopRule = (typeof STOP_RULES)[number];

export const ARCHS = ['skip', 'skip-depth6', 'unet', 'resnet', 'decoder'] as const;
export type ArchName = (typeof ARCHS)[number];

/** How the data term treats salt-and-pepper pixels: detected and masked out, or a robust L1 loss. */
export const IMPULSE_LOSSES = ['mask', 'l1'] as const;
export type ImpulseLoss = (typeof IMPULSE_LOSSES)[number];

export const UPSAMPLES = ['nearest', 'bilinear', 'gaussian'] as const;
export type UpsampleName = (typeof UPSAMPLES)[number];

/** Learning-rate schedules (src/fit/schedule.ts): the preset's rate throughout, a warm-up to it, or a boost of the early phase. */
export const LR_SCHEDULES = ['constant', 'warmup', 'boost'] as const;
export type LrSchedule = (typeof LR_SCHEDULES)[number];

/** How a skip net's channels spread over its levels: the same everywhere, or narrow at full resolution and wide where pixels are few. */
export const WIDTH_PROFILES = ['uniform', 'pyramid'] as const;
export type WidthProfile = (typeof WIDTH_PROFILES)[number];
