/** The closed sets of names options take (tasks, presets, stopping modes and rules, networks). */

export const TASKS = ['denoise', 'inpaint', 'super-resolve', 'deblock', 'impulse', 'reconstruct', 'flash', 'enhance'] as const;
export type TaskName = (typeof TASKS)[number];

/**
 * fast: minutes on a laptop CPU; paper: the DIP notebooks' settings; controlled: Shi et al.'s
 * spectral-bias-controlled decoder (denoise, deblock, inpaint), which does not decay late in the fit.
 */
export const PRESETS = ['fast', 'paper', 'controlled'] as const;
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
