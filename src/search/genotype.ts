/**
 * A point of the ISNAS-DIP search space: one upsampling cell (used by every upsampling block) and the
 * 25 additive skip connections of the 5-level cross-scale U-Net (methods.md §2.2).
 *
 * Printed form `xs1_<cell>_<skips>[_w<width>]`: `xs1` = cross-skip space, version 1; cell = the official index
 * 0–323 in decimal; skips = the 25 bits as 7 hex digits, most significant bit = decoder level 0
 * (finest) from source level 0 (the input), row by row, i.e. the official name's bit string read
 * as a binary number; an optional width (channels per level, else --channels or the paper's 128),
 * which the search's narrower copies of its choice carry (src/search/width-variants.ts) so that the
 * printed choice is all `--arch` needs. Underscores keep the whole string one word for double-click copying.
 * The official names (`0_<cell>_iteration_4000_sigma_25_skip_<25 bits>`) parse too.
 */
import { InputError } from '../util/errors.js';
import { cellAt, CELL_COUNT, describeCell, unbuildableReason } from './cells.js';

export const LEVELS = 5;
export const SKIP_BITS = LEVELS * LEVELS;
const SKIP_MASK = 2 ** SKIP_BITS - 1;
export const GENOTYPE_VERSION = 1;
const EXAMPLE = 'xs1_147_0a3f0c1';
/** Widths the cells can divide (a pixel-shuffle cell quarters the channels and a split-sum op quarters them again; src/nets/cross-skip.ts), up to the option table's most channels. */
export const WIDTH_MULTIPLE = 16;
const MAX_WIDTH = 1024;

export interface Genotype {
  /** Official upsampling-cell index (src/search/cells.ts). */
  readonly cell: number;
  /** 25-bit skip pattern; bit (24 − 5·decoder − source) set = skip from source level into decoder level. */
  readonly skips: number;
  /** Channels per level, when the genotype fixes them. */
  readonly width?: number;
}

/** Is there a skip from `source` (0 = the input, 1–4 = encoder outputs) into decoder level `decoder` (0 = finest)? */
export function hasSkip(g: Genotype, decoder: number, source: number): boolean {
  return Math.floor(g.skips / 2 ** (SKIP_BITS - 1 - (decoder * LEVELS + source))) % 2 === 1;
}

/** The genotype with the given skips (true = present), rows = decoder levels, finest first. */
export function genotypeFromMatrix(cell: number, matrix: readonly (readonly boolean[])[]): Genotype {
  let skips = 0;
  for (let d = 0; d < LEVELS; d++) for (let s = 0; s < LEVELS; s++) skips = skips * 2 + (matrix[d]?.[s] ? 1 : 0);
  return { cell, skips };
}

export function skipBitString(g: Genotype): string {
  return g.skips.toString(2).padStart(SKIP_BITS, '0');
}

export function printGenotype(g: Genotype): string {
  const width = g.width === undefined ? '' : `_w${g.width}`;
  return `xs${GENOTYPE_VERSION}_${g.cell}_${g.skips.toString(16).padStart(7, '0')}${width}`;
}

/** The same genotype at another width (undefined: none fixed). */
export function withGenotypeWidth(g: Genotype, width: number | undefined): Genotype {
  return width === undefined ? { cell: g.cell, skips: g.skips } : { cell: g.cell, skips: g.skips, width };
}

/** The official code's model name for this genotype (its benchmark and model lists use it). */
export function officialName(g: Genotype): string {
  return `0_${g.cell}_iteration_4000_sigma_25_skip_${skipBitString(g)}`;
}

/** What is wrong with a text that is not a genotype. */
class GenotypeProblem extends Error {}

function fail(what: string): never {
  throw new GenotypeProblem(what);
}

function checkedCell(digits: string): number {
  const cell = Number(digits);
  if (!(cell < CELL_COUNT)) fail(`cell ${digits} is outside 0–${CELL_COUNT - 1}`);
  const why = unbuildableReason(cellAt(cell));
  if (why) fail(`cell ${cell} (${describeCell(cellAt(cell))}) cannot be built: ${why}; use another cell`);
  return cell;
}

function readGenotype(text: string): Genotype {
  const official = /^\d+_(\d+)_.*_skip_([01]+)$/.exec(text);
  if (official) {
    if (official[2].length !== SKIP_BITS) fail(`the official name's skip field has ${official[2].length} bits, not ${SKIP_BITS}`);
    return { cell: checkedCell(official[1]), skips: Number.parseInt(official[2], 2) };
  }
  const m = /^xs(\d+)_(\d+)_([0-9a-fA-F]{7})(?:_w(\d+))?$/.exec(text);
  const version = m?.[1] ?? /^xs(\d+)_/.exec(text)?.[1];
  if (version !== undefined && Number(version) !== GENOTYPE_VERSION) fail(`version xs${version} is unknown (this build reads xs${GENOTYPE_VERSION})`);
  if (!m) fail(`expected xs${GENOTYPE_VERSION}_<cell 0–${CELL_COUNT - 1}>_<7 hex digits of skips>[_w<width>], e.g. ${EXAMPLE}`);
  const skips = Number.parseInt(m[3], 16);
  if (skips > SKIP_MASK) fail(`the skip field ${m[3]} has more than ${SKIP_BITS} bits (at most ${SKIP_MASK.toString(16)})`);
  return withGenotypeWidth({ cell: checkedCell(m[2]), skips }, m[4] === undefined ? undefined : checkedWidth(m[4]));
}

function checkedWidth(digits: string): number {
  const width = Number(digits);
  if (!(width >= WIDTH_MULTIPLE && width <= MAX_WIDTH && width % WIDTH_MULTIPLE === 0)) {
    fail(
      `width ${digits} is not a multiple of ${WIDTH_MULTIPLE} from ${WIDTH_MULTIPLE} to ${MAX_WIDTH} (the cells divide the width by up to ${WIDTH_MULTIPLE})`,
    );
  }
  return width;
}

/** Does the text look like a genotype (printed or official), valid or not? Tells a genotype from a network name. */
export function looksLikeGenotype(input: string): boolean {
  return /^(xs\d|\d+_\d+_)/.test(input.trim());
}

/** What is wrong with a genotype text ("cell 400 is outside 0–323"), or null when it parses. */
export function genotypeProblem(input: string): string | null {
  try {
    readGenotype(input.trim());
    return null;
  } catch (e) {
    if (e instanceof GenotypeProblem) return e.message;
    throw e;
  }
}

/** Parses the printed form or an official model name; bad input is a one-line InputError naming the bad part. */
export function parseGenotype(input: string): Genotype {
  const text = input.trim();
  try {
    return readGenotype(text);
  } catch (e) {
    if (e instanceof GenotypeProblem) throw new InputError(`genotype "${text}": ${e.message}`, { code: 'BAD_GENOTYPE' });
    throw e;
  }
}

/** e.g. "cell 147: bicubic → separable conv 5×5, ReLU; skips 01001 00110 …" (rows = decoder levels, finest first). */
export function describeGenotype(g: Genotype): string {
  const rows = skipBitString(g).match(/.{5}/g)!.join(' ');
  return `cell ${g.cell}: ${describeCell(cellAt(g.cell))}; skips ${rows}${g.width === undefined ? '' : `; ${g.width} channels`}`;
}
