/**
 * Text overlays for reproducible inpainting inputs (`degrade --text`), like DIP's kate.png.
 * sharp (librsvg) rasterises the text as an SVG; blending is done here on the float pixels so
 * 16-bit inputs keep their precision and alpha is untouched.
 */
import sharp from 'sharp';
import { InputError, RunError, oneLine } from '../util/errors.js';
import { Rng } from '../util/random.js';
import { GREY_WEIGHTS, cloneImage, colorChannels, createImage, type Image } from './image.js';
import { resolveColor, type Rgb255 } from './masks.js';

export interface TextOptions {
  seed: number;
  /** Pixels; default min(width, height)/20, at least 8. */
  fontSize?: number;
  /** Text colour (default white): [r,g,b] 0–255 or any parseColor string. */
  color?: Rgb255 | string;
  /** Number of lines drawn, cycling through the lines of `text`; default fills the image height. */
  count?: number;
}

/**
 * Draws `text` (lines separated by '\n') at seeded positions. Returns the damaged image and its
 * mask (1 = known, 0 = under the text). The mask is dilated by 1 px so antialiased glyph edges,
 * which mix text and photo, count as damaged too.
 */
export async function overlayText(img: Image, text: string, opts: TextOptions): Promise<{ image: Image; mask: Image }> {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (lines.length === 0) throw new InputError('--text: the text is empty; give the words to draw', { code: 'BAD_OPTION' });
  const { width: w, height: h } = img;
  const fontSize = opts.fontSize ?? Math.max(8, Math.round(Math.min(w, h) / 20));
  if (!(fontSize > 0)) throw new InputError(`font size must be positive, got ${fontSize}`, { code: 'BAD_OPTION' });
  const rgb = resolveColor(opts.color ?? [255, 255, 255], '--text-color');
  const count = opts.count ?? Math.max(lines.length, Math.floor(h / (2 * fontSize)));
  if (!Number.isInteger(count) || count < 1) throw new InputError(`text line count must be a positive integer, got ${count}`, { code: 'BAD_OPTION' });

  const svg = textSvg(lines, w, h, fontSize, count, new Rng(opts.seed));
  const coverage = await renderCoverage(svg, w, h);
  return inkOver(img, coverage, rgb);
}

/**
 * One line per horizontal band, jittered vertically, at a random x where it roughly fits (0.68 em
 * per character approximates DejaVu Sans Bold's advance).
 */
function textSvg(lines: string[], w: number, h: number, fontSize: number, count: number, rng: Rng): string {
  const band = h / count;
  const parts: string[] = [];
  for (let k = 0; k < count; k++) {
    const line = lines[k % lines.length];
    const estWidth = 0.68 * fontSize * line.length;
    const x = rng.uniform() * Math.max(0, w - estWidth);
    const y = (k + 0.5) * band + 0.35 * fontSize + (rng.uniform() - 0.5) * 0.5 * Math.max(0, band - fontSize);
    parts.push(`<text x="${x.toFixed(2)}" y="${y.toFixed(2)}">${escapeXml(line)}</text>`);
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">` +
    `<g font-family="DejaVu Sans, Arial, Helvetica, sans-serif" font-weight="bold" font-size="${fontSize}" fill="#fff">${parts.join('')}</g></svg>`
  );
}

/** The text's coverage (0–255 per pixel), rendered by librsvg through sharp. */
async function renderCoverage(svg: string, w: number, h: number): Promise<Buffer> {
  try {
    const { data, info } = await sharp(Buffer.from(svg), { density: 72 })
      .resize(w, h, { fit: 'fill' }) // librsvg may round the canvas size; pin it
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const coverage = Buffer.alloc(w * h);
    for (let i = 0; i < w * h; i++) coverage[i] = data[i * info.channels + info.channels - 1];
    return coverage;
  } catch (e) {
    throw new RunError(`cannot render the text overlay: ${oneLine(e)}`, { code: 'TEXT_RENDER_FAILED', cause: e });
  }
}

/** The image with the ink blended in by coverage, and the mask of every touched pixel dilated by 1 px. */
function inkOver(img: Image, coverage: Buffer, rgb: Rgb255): { image: Image; mask: Image } {
  const { width: w, height: h } = img;
  const out = cloneImage(img);
  const c = img.channels;
  const cc = colorChannels(img);
  const ink = cc === 1 ? [GREY_WEIGHTS.reduce((s, wt, i) => s + wt * rgb[i], 0) / 255] : rgb.map((v) => v / 255);
  const hit = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const a = coverage[i] / 255;
    if (a === 0) continue;
    hit[i] = 1;
    for (let k = 0; k < cc; k++) out.data[i * c + k] = out.data[i * c + k] * (1 - a) + ink[k] * a;
  }
  return { image: out, mask: dilatedKnownMask(hit, w, h) };
}

/** 1 = known, 0 = within one pixel of a hit. */
function dilatedKnownMask(hit: Uint8Array, w: number, h: number): Image {
  const mask = createImage(w, h, 1);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let damaged = 0;
      for (let dy = -1; dy <= 1 && !damaged; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx >= 0 && xx < w && hit[yy * w + xx]) {
            damaged = 1;
            break;
          }
        }
      }
      mask.data[y * w + x] = 1 - damaged;
    }
  }
  return mask;
}

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[ch]!);
}
