/**
 * The command-line surface: every command, its options and its --help (with examples). Actions
 * only hand the parsed strings to run-restore.ts / degrade.ts / metrics.ts / demo.ts; value
 * checks live in parse.ts and src/validate.ts so the library and the CLI say the same things.
 */
import { runAnalyze, type AnalyzeFlags } from './analyze.js';
import { Command, Option } from 'commander';
import type { TaskName } from '../options.js';
import type { CliDeps } from './deps.js';
import { runDegrade, type DegradeFlags } from './degrade.js';
import { DEMO_ITERATIONS, runDemo, type DemoFlags } from './demo.js';
import { runMetrics, type MetricsFlags } from './metrics.js';
import { runRestoreCommand, type FitFlags } from './run-restore.js';

interface FitCommand {
  task: TaskName;
  summary: string;
  input: string;
  /** Task-specific options. */
  options?: (cmd: Command) => void;
  examples: string[];
}

const FIT_COMMANDS: FitCommand[] = [
  {
    task: 'denoise',
    summary: 'remove Gaussian or real sensor noise',
    input: 'the noisy photo',
    examples: [
      'deep-prior denoise noisy.png -o clean.png',
      'deep-prior denoise scan.tif -o restored.tif --preset paper --stop fixed --iterations 3000',
      'deep-prior denoise noisy.png -o out.png --reference clean.png --report report.json',
    ],
  },
  {
    task: 'inpaint',
    summary: 'fill holes, scratches, text or watermarks (mask: white = known, black = to fill)',
    input: 'the damaged photo',
    options: (cmd) => {
      cmd.option('--mask <file>', 'mask image: white = known pixels, black = to fill (same size as the input)');
      cmd.option('--mask-invert', 'the mask is painted white over the damage (swap known and unknown)');
      cmd.option('--mask-color <color>', 'fill every pixel of this colour instead of using a mask file: #rrggbb, r,g,b or a name');
      cmd.option('--mask-tolerance <n>', 'with --mask-color: largest per-channel difference (0–255) still counted as that colour (default: 0)');
    },
    examples: [
      'deep-prior inpaint kate.png --mask kate_mask.png -o kate-restored.png',
      'deep-prior inpaint scratched.png --mask scratches.png --mask-invert -o fixed.png',
      'deep-prior inpaint watermarked.png --mask-color "#ff0000" --mask-tolerance 40 -o clean.png',
    ],
  },
  {
    task: 'super-resolve',
    summary: 'enlarge a small image 2×, 4× or 8×',
    input: 'the low-resolution image',
    options: (cmd) => {
      cmd.requiredOption('--scale <factor>', 'upscaling factor: 2, 4 or 8');
    },
    examples: [
      'deep-prior super-resolve small.png --scale 4 -o large.png',
      'deep-prior super-resolve zebra_lr.png --scale 4 -o zebra_x4.png --reference zebra_GT.png --reference-border 4',
    ],
  },
  {
    task: 'deblock',
    summary: 'remove JPEG compression artifacts',
    input: 'the blocky JPEG',
    examples: ['deep-prior deblock snail.jpg -o snail.png', 'deep-prior deblock photo.jpg -o photo-deblocked.png --iterations 2400'],
  },
  {
    task: 'impulse',
    summary: 'remove salt-and-pepper noise (outliers are detected and treated as missing)',
    input: 'the photo with impulse noise',
    options: (cmd) => {
      cmd.option('--impulse-loss <kind>', 'mask (detect outliers and ignore them) or l1 (robust loss) (default: mask)');
    },
    examples: ['deep-prior impulse speckled.png -o clean.png', 'deep-prior impulse speckled.png -o clean.png --impulse-loss l1'],
  },
  {
    task: 'reconstruct',
    summary: 'restore an image from a subset of its pixels (scrambled or randomly dropped)',
    input: 'the image with missing pixels',
    options: (cmd) => {
      cmd.requiredOption('--mask <file>', 'mask image: white = known pixel, black = missing (same size as the input)');
    },
    examples: [
      'deep-prior degrade barbara.png -o dropped.png --drop 0.5 --mask-out mask.png',
      'deep-prior reconstruct dropped.png --mask mask.png -o barbara-restored.png',
    ],
  },
  {
    task: 'flash',
    summary: 'restore a no-flash photo guided by a flash photo of the same scene',
    input: 'the no-flash photo',
    options: (cmd) => {
      cmd.requiredOption('--guide <flash_image>', 'the flash photo of the same scene (same size)');
    },
    examples: ['deep-prior flash cave_noflash.jpg --guide cave_flash.jpg -o cave.png'],
  },
  {
    task: 'enhance',
    summary: 'enhance details (sharpen without halos)',
    input: 'the photo to enhance',
    examples: ['deep-prior enhance tulips.png -o tulips-enhanced.png', 'deep-prior enhance portrait.jpg -o sharper.png --iterations 100'],
  },
];

function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

function addFitOptions(cmd: Command): void {
  const fit = (flags: string, desc: string) => cmd.addOption(new Option(flags, desc).helpGroup('Fitting options:'));
  const out = (flags: string, desc: string) => cmd.addOption(new Option(flags, desc).helpGroup('Output options:'));
  fit('--iterations <n>', 'optimisation steps; a ceiling when --stop auto (default: from the preset)');
  fit(
    '--stop <mode>',
    "auto (denoise: stop when the fit reaches the noise level; other tasks: the preset's budget, --iterations being a ceiling), fixed (run exactly --iterations) or watch (run --iterations, report where auto would have stopped) (default: auto)",
  );
  fit(
    '--preset <name>',
    "fast (minutes on a laptop CPU), paper (the DIP papers' settings) or controlled (spectral-bias-controlled decoder; denoise, deblock, inpaint) (default: fast)",
  );
  fit('--arch <name>', 'network: skip, skip-depth6, unet, resnet or decoder (default: from the preset)');
  fit('--backend <name>', 'auto, cpu, wasm, webgpu or cuda (default: auto)');
  fit('--threads <n>', 'CPU threads (default: all cores, at most 16)');
  fit('--seed <s>', 'seed of every random choice; same seed + backend = same result (default: 0)');
  fit('--lr <rate>', 'Adam learning rate (default: from the preset, 0.01 in most)');
  fit('--reg-noise <sigma>', 'noise added to the input code at every step, e.g. 1/30 (default: from the preset)');
  fit('--tv <weight>', 'total-variation weight added to the loss (default: 0 = off)');
  fit('--smoothing <w>', 'exponential averaging of the outputs, in [0, 1) (default: from the preset, 0.99)');
  fit(
    '--stop-rule <rule>',
    "rule behind --stop auto: discrepancy (the fit's residual reaches the noise level estimated from the input), wmv (running variance of the outputs) or ratio (blur/sharpness, Shi et al.) (default: discrepancy for denoise; deblock has none and runs its budget)",
  );
  fit('--lipschitz <lambda>', 'Lipschitz bound on every convolution, spectral-bias control, e.g. 1.4 (default: 0 = off; enhance: 1)');
  fit('--channels <n>', 'network width: channels per level; fewer = faster, weaker prior (default: from the preset: paper 128, fast 48)');
  fit('--upsample <mode>', 'decoder upsampling of any architecture: nearest, bilinear or gaussian (spectral-bias control) (default: from the preset)');
  fit('--reference <file>', 'clean image: report PSNR/SSIM while running (never used by the fit)');
  fit('--reference-border <n>', 'pixels ignored on each side by the reported PSNR (default: the scale for super-resolve, else 0)');
  cmd.addOption(
    new Option('-o, --output <file>', 'where to write the result; the format follows the extension (.png, .jpg, .webp, .tif)')
      .makeOptionMandatory()
      .helpGroup('Output options:'),
  );
  out('--bit-depth <bits>', "8 or 16 (PNG/TIFF) (default: the input's)");
  out('--snapshots <dir>', 'write the current estimate as DIR/iter-000100.png, ... every --every iterations');
  out('--every <k>', 'snapshot interval (default: 100)');
  out('--report <file>', 'write a JSON report: settings, per-iteration loss/PSNR, timings, stop reason');
  out('--checkpoint <file>', "save the fit's state every --checkpoint-every iterations and on Ctrl-C");
  out('--resume', 'continue from the --checkpoint file');
  out('--checkpoint-every <k>', 'checkpoint interval (default: 100)');
  out('--force', 'overwrite existing output files');
  out('--quiet', 'print nothing but errors');
  out('--json', 'machine-readable progress: one JSON event per line on stdout');
  out('--debug', 'print stack traces of errors');
}

/**
 * Builds the program. `setExitCode` receives each action's exit code; errors are thrown out of
 * parseAsync (exitOverride) and mapped by main().
 */
export function buildProgram(deps: CliDeps, setExitCode: (code: number) => void): Command {
  const program = new Command('deep-prior');
  // Settings copied into every subcommand created below.
  program
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void deps.stdout.write(s),
      writeErr: (s) => void deps.stderr.write(s),
      outputError: () => {}, // main() prints errors as one line
      getOutHelpWidth: () => deps.stdout.columns ?? 80,
      getErrHelpWidth: () => deps.stderr.columns ?? 80,
    })
    .showSuggestionAfterError(true);
  program
    .description('Restore damaged photos with deep image priors: no training data, one image at a time.')
    .version(deps.version, '-V, --version')
    .option('--debug', 'print stack traces of errors')
    .addHelpText(
      'after',
      `${examples([
        'deep-prior demo',
        'deep-prior denoise noisy.png -o clean.png',
        'deep-prior inpaint photo.png --mask mask.png -o filled.png',
        'deep-prior super-resolve small.png --scale 4 -o large.png',
        'deep-prior metrics restored.png clean.png',
      ])}\nRun deep-prior <command> --help for the options of a command.\nExit codes: 0 success, 1 failure at run time, 2 bad usage or input.\n`,
    );

  for (const c of FIT_COMMANDS) {
    const cmd = program.command(c.task).description(c.summary).argument('<input>', c.input);
    c.options?.(cmd);
    addFitOptions(cmd);
    cmd.addHelpText('after', examples(c.examples));
    cmd.action(async (input: string, flags: FitFlags) => setExitCode(await runRestoreCommand(c.task, input, flags, deps)));
  }

  const analyze = program
    .command('analyze')
    .description('run a fit and draw the spectral-bias measure: frequency-band correspondence per band over iterations (and PSNR with --reference)')
    .argument('<input>', 'the degraded image that is fitted')
    .option('--task <task>', 'denoise, deblock, inpaint, reconstruct or impulse (default: denoise)')
    .option('--mask <file>', 'inpaint/reconstruct: the mask (white = known)')
    .option('--mask-invert', 'treat black as known instead')
    .option('--fbc-every <k>', 'measure every k iterations (default: 10)');
  addFitOptions(analyze);
  analyze
    .addHelpText('after', examples(['deep-prior analyze F16-noisy.png --reference F16.png --iterations 3000 --stop fixed -o fbc.svg --report fbc.json']))
    .action(async (input: string, flags: AnalyzeFlags & { fbcEvery?: string }) =>
      setExitCode(await runAnalyze(input, { ...flags, every: flags.fbcEvery }, deps)),
    );

  program
    .command('degrade')
    .description('make reproducible test inputs: applies, in this order, --downscale, --noise, --salt-pepper, --jpeg, --drop, --text')
    .argument('<input>', 'the clean image')
    .requiredOption('-o, --output <file>', 'where to write the degraded image')
    .option('--downscale <factor>', 'Lanczos antialiased downscale by this factor (size rounded down)')
    .option('--noise <sigma>', 'additive Gaussian noise, sigma on the 0–255 scale (e.g. 25)')
    .option('--salt-pepper <p>', 'impulse noise: this fraction of the pixels set to black or white')
    .option('--jpeg <quality>', 'JPEG re-encoding at this quality (1–100)')
    .option('--drop <fraction>', 'set this fraction of the pixels to 0 (see --mask-out)')
    .option('--text <string>', 'draw this text over the image (\\n separates lines; see --mask-out)')
    .option('--mask-out <file>', 'with --drop/--text: write the mask (white = known, black = damaged)')
    .option('--seed <s>', 'seed of every random choice (default: 0)')
    .option('--force', 'overwrite existing output files')
    .option('--quiet', 'print nothing but errors')
    .option('--json', 'print the result as one JSON line')
    .option('--debug', 'print stack traces of errors')
    .addHelpText(
      'after',
      examples([
        'deep-prior degrade F16.png -o F16-noisy.png --noise 25',
        'deep-prior degrade zebra.png -o zebra-lr.png --downscale 4',
        'deep-prior degrade kate.png -o kate-text.png --text "deep image prior" --mask-out kate-mask.png --seed 1',
        'deep-prior degrade barbara.png -o dropped.png --drop 0.5 --mask-out mask.png',
      ]),
    )
    .action(async (input: string, flags: DegradeFlags) => setExitCode(await runDegrade(input, flags, deps)));

  program
    .command('metrics')
    .description('PSNR and SSIM between two images of the same size')
    .argument('<a>', 'an image (e.g. the restored one)')
    .argument('<b>', 'the image to compare with (e.g. the clean one)')
    .option('--channel <channel>', 'rgb (all colour channels) or y (BT.601 luma, as the super-resolution papers) (default: rgb)')
    .option('--border <n>', 'pixels ignored on each side (the super-resolution papers use the scale) (default: 0)')
    .option('--json', 'print the result as one JSON line')
    .option('--debug', 'print stack traces of errors')
    .addHelpText('after', examples(['deep-prior metrics restored.png clean.png', 'deep-prior metrics sr_x4.png hr.png --channel y --border 4 --json']))
    .action(async (a: string, b: string, flags: MetricsFlags) => setExitCode(await runMetrics(a, b, flags, deps)));

  program
    .command('demo')
    .description(`denoise the bundled example (a noisy 128×128 crop of F16) with the fast preset and show before/after`)
    .option('--iterations <n>', `iteration ceiling (default: ${DEMO_ITERATIONS}, about two minutes on a 2-core CPU)`)
    .option('--out-dir <dir>', 'where to write restored.png, before-after.png and report.json (default: out/demo)')
    .option('--backend <name>', 'auto, cpu, wasm, webgpu or cuda (default: auto)')
    .option('--threads <n>', 'CPU threads (default: all cores, at most 16)')
    .option('--quiet', 'print nothing but errors')
    .option('--json', 'machine-readable progress: one JSON event per line on stdout')
    .option('--debug', 'print stack traces of errors')
    .addHelpText('after', examples(['deep-prior demo', 'deep-prior demo --iterations 300']))
    .action(async (flags: DemoFlags) => setExitCode(await runDemo(flags, deps)));

  return program;
}
