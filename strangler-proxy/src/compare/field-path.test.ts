import { expect } from 'chai';
import { compilePathPattern, fieldOf, formatPath, keyedSegment, parsePathPattern, type Segment } from './field-path.ts';

describe('field paths', () => {
  const cases: Array<[pattern: string, path: Segment[], matches: boolean]> = [
    ['$.a.b', ['a', 'b'], true],
    ['$.a.b', ['a', 'c'], false],
    ['$.a.b', ['a', 'b', 'c'], false],
    ['$.items[*].price', ['items', 3, 'price'], true],
    ['$.items[*].price', ['items', keyedSegment('id=7'), 'price'], true],
    ['$.items[2].price', ['items', 3, 'price'], false],
    ['$.items[3].price', ['items', 3, 'price'], true],
    ['$..updatedAt', ['updatedAt'], true],
    ['$..updatedAt', ['a', 0, 'b', 'updatedAt'], true],
    ['$..updatedAt', ['a', 'updatedAtX'], false],
    ['$.meta.*', ['meta', 'x'], true],
    ['$.meta.*', ['meta', 'x', 'y'], false],
    ['$.meta..*', ['meta', 'x', 'y'], true],
    ['$["odd key"].x', ['odd key', 'x'], true],
    ['$', [], true],
  ];
  for (const [pattern, path, matches] of cases) {
    it(`${pattern} ${matches ? 'matches' : 'does not match'} ${formatPath(path)}`, () => {
      expect(compilePathPattern(pattern)(path)).to.equal(matches);
    });
  }

  const bad: Array<[string, RegExp]> = [
    ['items.price', /starting with "\$"/],
    ['$.items[x]', /unexpected "\[x\]"/],
    ['$..', /expected a name or \*/],
  ];
  for (const [pattern, problem] of bad) {
    it(`refuses ${pattern}`, () => { expect(parsePathPattern(pattern)).to.be.a('string').and.match(problem); });
  }

  it('formats concrete paths and generalises them to fields', () => {
    const p: Segment[] = ['items', 2, 'price'];
    expect(formatPath(p)).to.equal('$.items[2].price');
    expect(fieldOf(p)).to.equal('$.items[*].price');
    expect(formatPath(['items', keyedSegment('id=7'), 'name'])).to.equal('$.items[id=7].name');
    expect(fieldOf(['items', keyedSegment('id=7'), 'name'])).to.equal('$.items[*].name');
    expect(formatPath(['a b'])).to.equal('$["a b"]');
  });
});
