/** Where the search's choice starts: ISNAS-DIP's, unless the competing default network scores higher. */
import { describe, expect, it } from 'vitest';
import { referenceChoice } from '../src/search/contender.js';

describe('referenceChoice', () => {
  it("keeps ISNAS-DIP's choice without a contender", () => {
    expect(referenceChoice([30, 31, 29], 1, null)).toBe(1);
  });
  it('takes the contender only when its selection score is strictly higher', () => {
    expect(referenceChoice([30, 31, 32], 1, 2)).toBe(2);
    expect(referenceChoice([30, 31, 31], 1, 2)).toBe(1);
    expect(referenceChoice([30, 31, 20], 1, 2)).toBe(1);
  });
  it('an infinitely close member (the average itself) is not beaten', () => {
    expect(referenceChoice([Infinity, 40], 0, 1)).toBe(0);
  });
});
