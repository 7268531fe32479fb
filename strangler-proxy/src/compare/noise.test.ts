import { expect } from 'chai';
import type { Difference } from './compare-responses.ts';
import { classifyNoise, emptyNoiseModel, learnNoise } from './noise.ts';

const d = (field: string): Difference => ({ where: field === 'status' ? 'status' : 'body', path: field.replace('[*]', '[0]'), segments: [], field, kind: 'changed' });

describe('noise model', () => {
  const cases: Array<{ name: string; learned: string[][]; now?: string[]; candidate: string[]; minCount?: number; real: string[]; noise: string[] }> = [
    { name: 'nothing learned: every difference is real', learned: [], candidate: ['$.a', '$.b'], real: ['$.a', '$.b'], noise: [] },
    { name: 'a field that differed between the two legacy calls of this exchange is noise', learned: [], now: ['$.at'], candidate: ['$.at', '$.price'], real: ['$.price'], noise: ['$.at'] },
    { name: 'a field learned earlier is noise without a second call now', learned: [['$.items[*].token']], candidate: ['$.items[*].token', '$.items[*].name'], real: ['$.items[*].name'], noise: ['$.items[*].token'] },
    { name: 'minCount: learned once is not enough when 2 are required', learned: [['$.x']], candidate: ['$.x'], minCount: 2, real: ['$.x'], noise: [] },
    { name: 'minCount: learned twice is', learned: [['$.x'], ['$.x', '$.y']], candidate: ['$.x', '$.y'], minCount: 2, real: ['$.y'], noise: ['$.x'] },
    { name: 'noise is per field, not per path', learned: [['$.items[*].at']], candidate: ['$.items[*].at'], real: [], noise: ['$.items[*].at'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      let model = emptyNoiseModel();
      for (const pair of c.learned) model = learnNoise(model, pair.map(d));
      const r = classifyNoise(c.candidate.map(d), model, { minCount: c.minCount ?? 1 }, (c.now ?? []).map(d));
      expect(r.real.map((x) => x.field)).to.deep.equal(c.real);
      expect(r.noise.map((x) => x.field)).to.deep.equal(c.noise);
    });
  }

  it('counts pairs and fields once per pair', () => {
    const m = learnNoise(learnNoise(emptyNoiseModel(), [d('$.a'), d('$.a')]), []);
    expect(m).to.deep.equal({ pairs: 2, fields: { '$.a': 1 } });
  });
});
