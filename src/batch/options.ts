/**
 * The batch command's own options (the output folder, the output format, concurrency and where the
 * per-file masks, flash photos and references are found), in the form of the option tables
 * (src/options/table.ts, src/cli/cli-options.ts): flags, help and checks come from here.
 */
import { choice, int, text } from '../options/kinds.js';
import type { OptionSpec } from '../options/table.js';
import { CLI_OPTIONS } from '../cli/cli-options.js';

const nonEmpty = (what: string) => text(what, (s) => s.trim() !== '');
/** A file-name pattern: {name} is the input's name without extension, {ext} its extension, {file} both. */
const pattern = text('a file-name pattern with {name}, {ext} or {file}, e.g. {name}_mask.png', (s) => /\{(name|file)\}/.test(s) && !s.includes('/'));

export const OUTPUT_FORMATS = ['png', 'jpeg', 'webp', 'avif', 'tiff'] as const;
export type BatchFormat = (typeof OUTPUT_FORMATS)[number];

export const BATCH_OPTIONS = {
  output: {
    kind: nonEmpty('a folder path'),
    flag: '-o, --output',
    arg: '<dir>',
    help: 'the output folder: each result has its input’s relative path (and name); the batch’s journal, reports and summary go to DIR/.deep-prior/',
    group: 'output',
  },
  format: {
    kind: choice(OUTPUT_FORMATS),
    flag: '--format',
    arg: '<type>',
    help: 'write every result in this format (the extension changes with it)',
    default: "the input's (BMP: png)",
    group: 'output',
  },
  concurrency: {
    kind: int(1, 64),
    flag: '--concurrency',
    arg: '<n>',
    help: 'files fitted at once, each in a process of its own with cores / N threads (unless --threads)',
    default: '1',
    group: 'output',
  },
  maskDir: {
    kind: nonEmpty('a folder path'),
    flag: '--mask-dir',
    arg: '<dir>',
    help: 'a mask per input, found in DIR under the input’s relative path by --mask-pattern',
    conflicts: ['mask', 'maskColor'],
    group: 'task',
  },
  maskPattern: { kind: pattern, flag: '--mask-pattern', arg: '<pattern>', help: 'the mask file of an input', default: '{name}_mask.png', group: 'task' },
  guideDir: {
    kind: nonEmpty('a folder path'),
    flag: '--guide-dir',
    arg: '<dir>',
    help: 'flash: a flash photo per input, found in DIR by --guide-pattern',
    conflicts: ['guide'],
    group: 'task',
  },
  guidePattern: { kind: pattern, flag: '--guide-pattern', arg: '<pattern>', help: 'the flash photo of an input', default: '{name}_flash.{ext}', group: 'task' },
  referenceDir: {
    kind: nonEmpty('a folder path'),
    flag: '--reference-dir',
    arg: '<dir>',
    help: 'clean references (PSNR in the reports and summary), found in DIR by --reference-pattern',
    group: 'fitting',
  },
  referencePattern: {
    kind: pattern,
    flag: '--reference-pattern',
    arg: '<pattern>',
    help: 'the reference of an input',
    default: '{file}',
    needs: 'referenceDir',
    group: 'fitting',
  },
} as const satisfies Record<string, OptionSpec>;

/** The fitting commands' output options that mean the same in a batch (per file). */
export const SHARED_CLI_KEYS = ['bitDepth', 'stripMetadata', 'quality', 'force', 'quiet', 'json', 'debug'] as const;

export const BATCH_CLI_OPTIONS = {
  ...Object.fromEntries(SHARED_CLI_KEYS.map((k) => [k, CLI_OPTIONS[k]])),
  ...BATCH_OPTIONS,
} as Record<string, OptionSpec>;
