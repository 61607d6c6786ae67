/**
 * The command line's own options (outputs, checkpoints, how progress is shown), in the same form
 * as the restore option table (src/options/table.ts): flags, help and checks come from here.
 */
import { choice, flag, int, text } from '../options/kinds.js';
import type { OptionSpec } from '../options/table.js';

const path = (what: string) => text(what, (s) => s.trim() !== '');

export const CLI_OPTIONS = {
  output: {
    kind: path('a file path'),
    flag: '-o, --output',
    arg: '<file>',
    help: 'where to write the result; the format follows the extension (.png, .jpg, .webp, .avif, .tif)',
    group: 'output',
  },
  bitDepth: { kind: choice([8, 16] as const), flag: '--bit-depth', arg: '<bits>', help: '8 or 16 (PNG/TIFF)', default: "the input's", group: 'output' },
  stripMetadata: {
    kind: flag(),
    flag: '--strip-metadata',
    help: "write no EXIF or XMP (the ICC profile stays: the pixels are in the input's colour space)",
    group: 'output',
  },
  quality: { kind: int(1, 100), flag: '--quality', arg: '<q>', help: 'JPEG, WebP or AVIF quality, 1–100', default: '90', group: 'output' },
  snapshots: {
    kind: path('a folder path'),
    flag: '--snapshots',
    arg: '<dir>',
    help: 'write the current estimate as DIR/iter-000100.png, ... every --every iterations',
    group: 'output',
  },
  every: { kind: int(1, 1_000_000), flag: '--every', arg: '<k>', help: 'snapshot interval', default: '100', needs: 'snapshots', group: 'output' },
  report: {
    kind: path('a file path'),
    flag: '--report',
    arg: '<file>',
    help: 'write a JSON report: settings, per-iteration loss/PSNR, timings, stop reason',
    group: 'output',
  },
  checkpoint: {
    kind: path('a file path'),
    flag: '--checkpoint',
    arg: '<file>',
    help: "save the fit's state every --checkpoint-every iterations and on interruption (without it: on interruption only, to OUTPUT.dpckpt)",
    group: 'output',
  },
  resume: {
    kind: flag(),
    flag: '--resume',
    help: 'continue an interrupted run from its checkpoint (--checkpoint, else OUTPUT.dpckpt); the files that run wrote may be replaced',
    group: 'output',
  },
  checkpointEvery: {
    kind: int(1, 1_000_000),
    flag: '--checkpoint-every',
    arg: '<k>',
    help: 'checkpoint interval',
    default: '100',
    needs: 'checkpoint',
    group: 'output',
  },
  force: { kind: flag(), flag: '--force', help: 'overwrite existing output files', group: 'output' },
  quiet: { kind: flag(), flag: '--quiet', help: 'print nothing but errors', group: 'output' },
  json: { kind: flag(), flag: '--json', help: 'machine-readable progress: one JSON event per line on stdout', group: 'output' },
  debug: { kind: flag(), flag: '--debug', help: 'print stack traces of errors', group: 'output' },
} as const satisfies Record<string, OptionSpec>;

export type CliOptionKey = keyof typeof CLI_OPTIONS;
