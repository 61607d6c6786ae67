/**
 * Before/after pictures of the bench:photos rows run to the automatic stop: for each saved
 * `auto-<task>-<size>` row whose output is still in bench/results/photos/inputs/, the 256² window at the
 * photo's centre, at 1:1 (every pixel the fit made), as input | deep-prior | clean photo, with each
 * panel's PSNR against the clean photo. Written to docs/img/photo-<row>.png.
 *
 *   npm run bench:photo-figures                    # every row that has its output
 *   npm run bench:photo-figures -- --rows auto-denoise-1024x768
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sideBySide } from '../src/cli/demo.js';
import { cropImage, psnr, readImage, type Image } from '../src/node.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string' },
    dir: { type: 'string', default: 'bench/results/photos' },
    out: { type: 'string', default: 'docs/img' },
    window: { type: 'string', default: '256' },
  },
});
const DIR = values.dir!;
const WINDOW = Number(values.window);

interface SavedRow {
  row: string;
  task: string;
  size: string;
}

const saved = (): SavedRow[] =>
  readdirSync(DIR)
    .filter((f) => /^auto-.*\.json$/.test(f) && !f.endsWith('.ckpt.json'))
    .map((f) => JSON.parse(readFileSync(`${DIR}/${f}`, 'utf8')) as SavedRow);

/** The window at the image's centre (all of it where the image is smaller). */
function centre(img: Image): Image {
  const w = Math.min(WINDOW, img.width);
  const h = Math.min(WINDOW, img.height);
  return cropImage(img, Math.floor((img.width - w) / 2), Math.floor((img.height - h) / 2), w, h);
}

async function figure(r: SavedRow): Promise<string | null> {
  const base = `${DIR}/inputs/${r.size}`;
  const output = `${DIR}/inputs/${r.row}-out.png`;
  if (!existsSync(output)) return null;
  const input = (await readImage(r.task === 'denoise' ? `${base}-noisy.png` : `${base}-text.png`)).image;
  const clean = (await readImage(`${base}-clean.png`)).image;
  const restored = (await readImage(output)).image;
  const label = (name: string, img: Image) => `${name}, ${psnr(img, clean).toFixed(2)} dB (whole photo)`;
  const file = `${values.out}/photo-${r.row}.png`;
  const panels = [
    { image: centre(input), label: label(r.task === 'denoise' ? 'noisy input' : 'input with text', input) },
    { image: centre(restored), label: label('deep-prior', restored) },
    { image: centre(clean), label: 'clean photo' },
  ];
  writeFileSync(file, await sideBySide(panels));
  return file;
}

const wanted = values.rows?.split(',');
for (const r of saved().filter((s) => !wanted || wanted.includes(s.row))) {
  const file = await figure(r);
  process.stdout.write(file ? `${r.row}: ${file}\n` : `${r.row}: no output in ${DIR}/inputs (refit the row to draw it)\n`);
}
