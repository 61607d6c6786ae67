/** The ISNAS-DIP search space: the cell numbering, the printed genotype and the random generator. */
import { describe, expect, it } from 'vitest';
import { BUILDABLE_CELLS, CELL_COUNT, cellAt, describeCell, unbuildableReason } from '../src/search/cells.js';
import {
  describeGenotype,
  genotypeFromMatrix,
  hasSkip,
  officialName,
  parseGenotype,
  printGenotype,
  skipBitString,
  withGenotypeWidth,
} from '../src/search/genotype.js';
import { archChanges, narrowerCopies, narrowerWidths } from '../src/search/width-variants.js';
import { randomGenotype, sampleGenotypes } from '../src/search/space.js';
import { InputError } from '../src/util/errors.js';
import { Rng } from '../src/util/random.js';

describe('upsampling cells', () => {
  it('follow the official numbering (spot checks against its index-to-model log)', () => {
    expect(cellAt(0)).toEqual({ primitive: 'bilinear', opFirst: false, op: 'conv', kernel: 1, act: 'none' });
    expect(cellAt(62)).toEqual({ primitive: 'bilinear', opFirst: false, op: 'identity', kernel: 1, act: 'leaky' });
    expect(cellAt(64)).toEqual({ primitive: 'bicubic', opFirst: false, op: 'conv', kernel: 1, act: 'relu' });
    expect(cellAt(184)).toEqual({ primitive: 'nearest', opFirst: false, op: 'depthwise', kernel: 7, act: 'relu' });
    expect(cellAt(194)).toEqual({ primitive: 'shuffle', opFirst: false, op: 'conv', kernel: 3, act: 'leaky' });
    expect(cellAt(259)).toEqual({ primitive: 'shuffle', opFirst: true, op: 'conv', kernel: 5, act: 'relu' });
    expect(cellAt(298)).toEqual({ primitive: 'shuffle', opFirst: true, op: 'separable', kernel: 7, act: 'relu' });
    expect(cellAt(316)).toEqual({ primitive: 'transposed', opFirst: false, op: 'identity', kernel: 3, act: 'relu' });
    expect(cellAt(323)).toEqual({ primitive: 'transposed', opFirst: false, op: 'identity', kernel: 7, act: 'leaky' });
    expect(() => cellAt(324)).toThrow(RangeError);
  });

  it('every primitive × op × kernel × activation appears exactly once; 297 cells build', () => {
    const keys = new Set<string>();
    for (let u = 0; u < CELL_COUNT; u++) {
      const c = cellAt(u);
      const kernel = c.op === 'identity' && c.primitive !== 'transposed' ? '-' : c.kernel;
      keys.add(`${c.primitive}/${c.opFirst}/${c.op}/${kernel}/${c.act}`);
    }
    expect(keys.size).toBe(CELL_COUNT);
    // 27 unbuildable: pixel shuffle + identity (3) and pixel shuffle + depth-wise, either order (2 × 12).
    expect(BUILDABLE_CELLS).toHaveLength(297);
    for (const u of [237, 248, 249, 251, 300, 311]) expect(unbuildableReason(cellAt(u))).not.toBeNull();
    for (const u of [236, 252, 299, 312]) expect(BUILDABLE_CELLS).toContain(u);
    expect(describeCell(cellAt(298))).toBe('separable conv 7×7 → pixel shuffle, ReLU');
  });
});

describe('genotype strings', () => {
  it('parse ∘ print is the identity on random genotypes, and print is canonical', () => {
    const rng = new Rng(7);
    for (let i = 0; i < 2000; i++) {
      const g = randomGenotype(rng);
      const text = printGenotype(g);
      expect(text).toMatch(/^xs1_\d{1,3}_[0-9a-f]{7}$/);
      expect(parseGenotype(text)).toEqual(g);
      expect(parseGenotype(officialName(g))).toEqual(g);
    }
  });

  it('a width suffix round-trips and is described; a width the cells cannot divide is refused', () => {
    const g = parseGenotype('xs1_147_0a3f0c1_w64');
    expect(g).toEqual({ cell: 147, skips: 0x0a3f0c1, width: 64 });
    expect(printGenotype(g)).toBe('xs1_147_0a3f0c1_w64');
    expect(describeGenotype(g)).toMatch(/; 64 channels$/);
    expect(printGenotype(withGenotypeWidth(g, undefined))).toBe('xs1_147_0a3f0c1');
    for (const bad of ['xs1_147_0a3f0c1_w24', 'xs1_147_0a3f0c1_w0', 'xs1_147_0a3f0c1_w2048']) {
      expect(() => parseGenotype(bad), bad).toThrow(/width \d+ is not a multiple of 16 from 16 to 1024/);
    }
    expect(() => parseGenotype('xs1_147_0a3f0c1_w')).toThrow(/expected xs1_/);
  });

  it('bits map to (decoder level, source level) as in the official 5×5 matrix, row-major', () => {
    const matrix = [0, 1, 2, 3, 4].map((d) => [0, 1, 2, 3, 4].map((s) => (d * 7 + s * 3) % 4 === 0));
    const g = genotypeFromMatrix(147, matrix);
    for (let d = 0; d < 5; d++) for (let s = 0; s < 5; s++) expect(hasSkip(g, d, s)).toBe(matrix[d][s]);
    expect(skipBitString(g)).toBe(
      matrix
        .flat()
        .map((b) => (b ? '1' : '0'))
        .join(''),
    );
    // The official name carries the same bits; the short form is their hexadecimal value.
    const official = '0_53_iteration_4000_sigma_25_skip_1000110110000001010101110';
    const parsed = parseGenotype(official);
    expect(officialName(parsed)).toBe(official);
    expect(printGenotype(parsed)).toBe(`xs1_53_${(0b1000110110000001010101110).toString(16).padStart(7, '0')}`);
    expect(hasSkip(parsed, 0, 0)).toBe(true);
    expect(hasSkip(parsed, 4, 4)).toBe(false);
  });

  it('bad strings are one-line InputErrors that name the problem', () => {
    const cases: [string, RegExp][] = [
      ['', /expected xs1_<cell 0–323>_<7 hex digits of skips>/],
      ['xs1_147', /expected xs1_/],
      ['xs1_147_0a3f0c', /expected xs1_/],
      ['xs1_147_0a3f0cz', /expected xs1_/],
      ['xs2_147_0a3f0c1', /version xs2 is unknown/],
      ['xs1_400_0a3f0c1', /cell 400 is outside 0–323/],
      ['xs1_250_0a3f0c1', /cell 250 \(pixel shuffle → identity, ReLU\) cannot be built/],
      ['xs1_147_2000000', /skip field 2000000 has more than 25 bits/],
      ['0_147_iteration_4000_sigma_25_skip_0101', /skip field has 4 bits, not 25/],
    ];
    for (const [text, message] of cases) {
      let error: unknown;
      try {
        parseGenotype(text);
      } catch (e) {
        error = e;
      }
      expect(error, text).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    }
    expect(parseGenotype('  xs1_147_0A3F0C1 ')).toEqual({ cell: 147, skips: 0x0a3f0c1 });
  });
});

describe('random genotypes', () => {
  it('are seeded, distinct, buildable, with fair skip bits and cells spread over the space', () => {
    const a = sampleGenotypes(new Rng(5), 3000);
    expect(sampleGenotypes(new Rng(5), 100)).toEqual(a.slice(0, 100));
    expect(new Set(a.map(printGenotype)).size).toBe(3000);
    expect(a.every((g) => BUILDABLE_CELLS.includes(g.cell))).toBe(true);
    expect(new Set(a.map((g) => g.cell)).size).toBeGreaterThan(280);
    for (let bit = 0; bit < 25; bit++) {
      const ones = a.filter((g) => hasSkip(g, Math.floor(bit / 5), bit % 5)).length;
      // Binomial(3000, ½): σ ≈ 27; 5σ bounds.
      expect(Math.abs(ones - 1500)).toBeLessThan(140);
    }
  });
});

describe('narrower copies of a genotype', () => {
  it('halve the width while the cells can divide it, each printed with its width', () => {
    expect(narrowerWidths(128, 2)).toEqual([64, 32]);
    expect(narrowerWidths(128, 3)).toEqual([64, 32, 16]);
    expect(narrowerWidths(32, 3)).toEqual([16]);
    expect(narrowerWidths(48, 2)).toEqual([]); // 24 is not a multiple of 16
    expect(narrowerWidths(128, 0)).toEqual([]);
    expect(narrowerCopies('xs1_147_0a3f0c1', 128, 2)).toEqual(['xs1_147_0a3f0c1_w64', 'xs1_147_0a3f0c1_w32']);
  });

  it("fitting one in place of the search drops the request's --channels; other archs leave it", () => {
    expect(archChanges('xs1_147_0a3f0c1_w64')).toEqual({ arch: 'xs1_147_0a3f0c1_w64', channels: undefined });
    expect(archChanges('xs1_147_0a3f0c1')).toEqual({ arch: 'xs1_147_0a3f0c1' });
    expect(archChanges('skip')).toEqual({ arch: 'skip' });
  });
});
