/**
 * `deep-prior rescale down|up`: HCFlow's learned image rescaling. `down` makes a normal-looking
 * image s× smaller that carries, invisibly, what `up` needs to restore the original far better than
 * bicubic upscaling; `up` is meant for images `down` produced (on any other image it is an ordinary,
 * not better, upscaler). The small image must stay lossless (PNG): JPEG destroys the hidden detail.
 */
import type { Command } from 'commander';
import { rescaleDown, rescaleUp } from '../flow/inference.js';
import { loadFlowModel } from '../flow/shipped-node.js';
import { cropImage, type Image } from '../image/image.js';
import { formatFromPath, LOSSY_FORMATS } from '../image/io-node.js';
import { InputError } from '../util/errors.js';
import type { CliDeps } from './deps.js';
import { checkOutputPath } from './files.js';
import { addFlowOptions, type FlowRequest, flowEngine, flowReporter, parseFlowRequest } from './flow-cli.js';
import { readFlowInput, writeFlowOutput } from './flow-images.js';
import { toJsonLine } from './progress.js';
import { commandLine } from './resume.js';
import { describeImage } from './run-restore.js';

const ABOUT =
  '\n`up` is meant for images produced by `rescale down` (same --scale and weights): they carry the detail it restores.\n' +
  'On other images it is an ordinary upscaler; for those use `deep-prior sample` or `super-resolve`.\n' +
  'Keep the small image lossless (PNG): JPEG or WebP re-encoding destroys what `up` needs.\n';

/** The two subcommands: what each says of itself. */
const DIRECTIONS = [
  {
    direction: 'down',
    description: 'make a normal-looking image --scale times smaller that `rescale up` can restore',
    input: 'the image to make smaller',
    output: 'where to write the small image (.png: keep it lossless)',
    example: 'deep-prior rescale down photo.png -o small.png --scale 2',
  },
  {
    direction: 'up',
    description: 'restore an image made by `rescale down` (same --scale) to --scale times its size',
    input: 'an image made by rescale down',
    output: 'where to write the restored image',
    example: 'deep-prior rescale up small.png -o restored.png --scale 2 --original 481x321',
  },
] as const;

export function addRescaleCommand(program: Command, deps: CliDeps, setExitCode: (code: number) => void): void {
  const rescale = program
    .command('rescale')
    .description('learned image rescaling (HCFlow): `down` makes a normal-looking smaller image that `up` restores far better than bicubic')
    .addHelpText('after', ABOUT);
  for (const d of DIRECTIONS) {
    const cmd = rescale.command(d.direction).description(d.description).argument('<input>', d.input);
    addFlowOptions(cmd, `rescale-${d.direction}`, d.output, [d.example], ABOUT);
    cmd.action(async (input: string, flags: Record<string, unknown>) => setExitCode(await runRescale(d.direction, input, flags, deps)));
  }
}

export async function runRescale(direction: 'down' | 'up', input: string, flags: Record<string, unknown>, deps: CliDeps): Promise<number> {
  const r = parseFlowRequest(direction === 'down' ? 'rescale-down' : 'rescale-up', flags, deps.cpuCount);
  const scale = r.settings.scale!;
  await checkOutputPath(r.cli.output, { flag: '-o', inputs: [input], force: !!r.cli.force, kind: 'image' });
  const reporter = flowReporter(r, deps);
  if (direction === 'down' && LOSSY_FORMATS.includes(formatFromPath(r.cli.output))) {
    reporter.log(`warning: ${r.cli.output} is lossy: its re-encoding destroys the detail \`rescale up\` restores; use .png`);
  }
  const model = await loadFlowModel(r.settings.weights, 'rescaling', scale);
  const src = await readFlowInput(input, direction === 'down' ? 1 : scale);
  const original = direction === 'up' ? originalSize(src.image, r) : null;
  const engine = await flowEngine(r.settings, reporter);
  const t0 = deps.now();
  const image = direction === 'down' ? await rescaleDown(engine, model, src.image) : await upscaled(engine, model, src.image, r, original);
  await writeFlowOutput(r.cli.output, image, src, reporter);
  const seconds = (deps.now() - t0) / 1000;
  if (r.cli.json) deps.stdout.write(toJsonLine({ type: 'done', output: r.cli.output, width: image.width, height: image.height, seconds }));
  else if (!r.cli.quiet) deps.stdout.write(`${summary(direction, input, src.image, image, r, seconds)}\n`);
  return 0;
}

/** --original as [w, h], checked against the input: `down` gives ⌈w/s⌉ × ⌈h/s⌉. */
function originalSize(lr: Image, r: FlowRequest): [number, number] | null {
  if (r.settings.original === undefined) return null;
  const s = r.settings.scale!;
  const [w, h] = r.settings.original.split('x').map(Number);
  if (Math.ceil(w / s) !== lr.width || Math.ceil(h / s) !== lr.height) {
    throw new InputError(`--original ${r.settings.original} does not fit a ${lr.width}×${lr.height} image made by rescale down --scale ${s}`, {
      code: 'BAD_OPTION',
    });
  }
  return [w, h];
}

async function upscaled(
  engine: Awaited<ReturnType<typeof flowEngine>>,
  model: Awaited<ReturnType<typeof loadFlowModel>>,
  lr: Image,
  r: FlowRequest,
  original: [number, number] | null,
): Promise<Image> {
  const hr = await rescaleUp(engine, model, lr, { temperature: r.settings.temperature ?? 0, seed: r.settings.seed ?? 0 });
  if (!original || (original[0] === hr.width && original[1] === hr.height)) return hr;
  return cropImage(hr, 0, 0, original[0], original[1]);
}

function summary(direction: 'down' | 'up', input: string, from: Image, to: Image, r: FlowRequest, seconds: number): string {
  const s = r.settings.scale!;
  const head = `wrote ${r.cli.output} (${describeImage(to)}) from ${input} (${from.width}×${from.height}) in ${seconds.toFixed(1)} s`;
  if (direction === 'up') return head;
  const exact = from.width % s === 0 && from.height % s === 0;
  const words = ['deep-prior', 'rescale', 'up', r.cli.output, '-o', 'restored.png', '--scale', String(s)];
  if (!exact) words.push('--original', `${from.width}x${from.height}`);
  if (r.settings.weights) words.push('--weights', r.settings.weights);
  return `${head}\nto restore it: ${commandLine(words)}`;
}
