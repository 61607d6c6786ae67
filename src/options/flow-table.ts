/**
 * The option table of the HCFlow commands (`rescale down|up`, `sample`, `train-flow`), in the same
 * form as the restore options (table.ts): kind and range, flag, help, default, `needs`/`conflicts`.
 * Which command takes which option, and what it requires, is in FLOW_COMMANDS; the checks are the
 * shared table-driven ones (values.ts), run once by validateFlowSettings (src/validate-flow.ts).
 */
import { choice, flag, int, num, text } from './kinds.js';
import { MAX_SEED, RESTORE_OPTIONS, type OptionSpec } from './table.js';

const path = (what: string) => text(what, (s) => s.trim() !== '');
const paths = (what: string) => text(what, (s) => s.split(',').every((p) => p.trim() !== ''));

/** Training steps of one run at most (far beyond the paper's 500k). */
export const MAX_FLOW_STEPS = 10_000_000;
export const FLOW_SIZES = ['tiny', 'small', 'paper'] as const;
export const FLOW_TASKS = ['rescale', 'sr'] as const;
export type FlowTask = (typeof FLOW_TASKS)[number];

/** What each `train-flow --task` trains: the model kind, the scales its model has, and whether --scale must be given. */
export const FLOW_TRAINING: Readonly<Record<FlowTask, { model: 'rescaling' | 'sr'; scales: readonly (2 | 4)[]; scaleRequired: boolean }>> = {
  rescale: { model: 'rescaling', scales: [2, 4], scaleRequired: true },
  sr: { model: 'sr', scales: [4], scaleRequired: false },
};

export const FLOW_OPTIONS = {
  scale: { kind: choice([2, 4] as const), flag: '--scale', arg: '<factor>', help: 'the factor: 2 or 4 (super-resolution: 4)', group: 'task' },
  weights: {
    kind: path('a file path'),
    flag: '--weights',
    arg: '<file>',
    help: 'an HCFlow weights file written by train-flow',
    default: 'the weights shipped with deep-prior for this command and scale',
    group: 'task',
  },
  temperature: {
    kind: num({ min: 0, max: 2, hint: '0 = the mean estimate' }),
    flag: '--temperature',
    arg: '<t>',
    help: 'τ: the high-frequency latents are drawn from τ·N(0, 1); 0 gives the mean (sharpest PSNR-wise), higher more varied detail',
    default: 'sample 0.9, rescale up 0',
    group: 'task',
  },
  count: { kind: int(1, 1000), flag: '--count', arg: '<n>', help: 'how many samples: OUT-1.png … OUT-n.png', default: '1', group: 'task' },
  original: {
    kind: text('a size WIDTHxHEIGHT such as 481x321', (s) => /^\d+x\d+$/.test(s.trim())),
    flag: '--original',
    arg: '<WxH>',
    help: 'the size of the image before `rescale down` (it prints it): the result is cropped to it',
    group: 'task',
  },
  seed: {
    kind: int(0, MAX_SEED),
    flag: '--seed',
    arg: '<s>',
    help: 'seed of the drawn latents (training: of the weights and patches)',
    default: '0',
    group: 'task',
  },
  task: {
    kind: choice(FLOW_TASKS),
    flag: '--task',
    arg: '<task>',
    help: 'rescale (a learned down/up pair) or sr (diverse ×4 super-resolution)',
    default: 'rescale',
    group: 'task',
  },
  data: {
    kind: paths('folders of training images, separated by commas'),
    flag: '--data',
    arg: '<dirs>',
    help: 'folders of training images (HR photos), separated by commas',
    group: 'task',
  },
  val: {
    kind: path('a folder path'),
    flag: '--val',
    arg: '<dir>',
    help: 'a folder of validation images (never trained on)',
    conflicts: ['holdOut'],
    group: 'task',
  },
  holdOut: {
    kind: int(1, 10_000),
    flag: '--hold-out',
    arg: '<n>',
    help: 'validate on n images of the last --data folder (spread evenly by name) and never train on them',
    group: 'task',
  },
  size: {
    kind: choice(FLOW_SIZES),
    flag: '--size',
    arg: '<size>',
    help: 'the model size: tiny, small or paper (the official configuration)',
    default: 'small',
    group: 'fitting',
  },
  steps: {
    kind: int(1, MAX_FLOW_STEPS),
    flag: '--steps',
    arg: '<n>',
    help: "training steps; the learning rate halves at the paper's fractions of them",
    default: '20000',
    group: 'fitting',
  },
  batch: { kind: int(1, 1024), flag: '--batch', arg: '<n>', help: 'patches per step', default: '16', group: 'fitting' },
  patch: { kind: int(8, 4096), flag: '--patch', arg: '<px>', help: 'HR patch side, a multiple of the scale', default: '64', group: 'fitting' },
  lr: {
    kind: num({ min: 0, aboveMin: true, max: 1 }),
    flag: '--lr',
    arg: '<rate>',
    help: "Adam's starting learning rate",
    default: '1e-3 (tiny, small), 2.5e-4 (paper, as published)',
    group: 'fitting',
  },
  validateEvery: {
    kind: int(1, MAX_FLOW_STEPS),
    flag: '--validate-every',
    arg: '<k>',
    help: 'validation PSNR every k steps',
    default: '1/20 of --steps',
    group: 'fitting',
  },
  until: {
    kind: int(1, MAX_FLOW_STEPS),
    flag: '--until',
    arg: '<step>',
    help: 'stop after this step with a checkpoint (a training in stages: continue with --resume)',
    group: 'fitting',
  },
  timeLimit: {
    kind: num({ min: 0, aboveMin: true }),
    flag: '--time-limit',
    arg: '<minutes>',
    help: 'stop after this many minutes of training with a checkpoint (continue with --resume)',
    group: 'fitting',
  },
  checkpointMinutes: {
    kind: num({ min: 0, aboveMin: true }),
    flag: '--checkpoint-minutes',
    arg: '<m>',
    help: 'save the checkpoint every m minutes (and whenever training stops)',
    default: '5',
    group: 'output',
  },
  checkpoint: {
    kind: path('a file path'),
    flag: '--checkpoint',
    arg: '<file>',
    help: 'the training checkpoint: weights and Adam moments, for an exact --resume',
    default: 'OUTPUT.dpckpt',
    group: 'output',
  },
  resume: { kind: flag(), flag: '--resume', help: 'continue the training saved in the checkpoint (same data and settings)', group: 'output' },
  curve: { kind: path('a file path'), flag: '--curve', arg: '<file.svg>', help: 'draw the loss and validation-PSNR curves into this SVG', group: 'output' },
  backend: RESTORE_OPTIONS.backend,
  threads: RESTORE_OPTIONS.threads,
} as const satisfies Record<string, OptionSpec>;

export type FlowOptionKey = keyof typeof FLOW_OPTIONS;
export type FlowCommand = 'rescale-down' | 'rescale-up' | 'sample' | 'train-flow';

export interface FlowCommandSpec {
  /** The options it takes, in --help order. */
  options: readonly FlowOptionKey[];
  /** Groups of which one option must be given. */
  requires: readonly (readonly FlowOptionKey[])[];
}

const ENGINE: readonly FlowOptionKey[] = ['backend', 'threads'];

export const FLOW_COMMANDS: Record<FlowCommand, FlowCommandSpec> = {
  'rescale-down': { options: ['scale', 'weights', ...ENGINE], requires: [['scale']] },
  'rescale-up': { options: ['scale', 'weights', 'temperature', 'seed', 'original', ...ENGINE], requires: [['scale']] },
  sample: { options: ['weights', 'temperature', 'count', 'seed', ...ENGINE], requires: [] },
  'train-flow': {
    options: [
      'data',
      'task',
      'scale',
      'val',
      'holdOut',
      'size',
      'steps',
      'batch',
      'patch',
      'lr',
      'seed',
      'validateEvery',
      'until',
      'timeLimit',
      'checkpoint',
      'checkpointMinutes',
      'resume',
      'curve',
      ...ENGINE,
    ],
    requires: [['data'], ['val', 'holdOut']],
  },
};
