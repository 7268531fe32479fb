import { expect } from 'chai';
import { createPrng } from './prng.ts';

describe('seeded PRNG', () => {
  it('repeats for the same seed and label, differs otherwise, stays in range', () => {
    const draw = (seed: number, label: string) => { const r = createPrng(seed, label); return Array.from({ length: 50 }, () => r.int(1, 6)); };
    expect(draw(1, 'a')).to.deep.equal(draw(1, 'a'));
    expect(draw(1, 'a')).to.not.deep.equal(draw(2, 'a'));
    expect(draw(1, 'a')).to.not.deep.equal(draw(1, 'b'));
    expect(draw(3, 'x').every((n) => n >= 1 && n <= 6)).to.equal(true);
    expect(new Set(draw(3, 'x')).size).to.equal(6);
  });
});
