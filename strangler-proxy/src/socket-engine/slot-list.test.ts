import { expect } from 'chai';
import { SlotList } from './slot-list.ts';

const item = (name: string) => ({ name, slot: -1 });
const names = (l: SlotList<{ name: string; slot: number }>) => {
  const out: string[] = [];
  l.forEach((x) => out.push(x.name));
  return out.sort();
};

describe('SlotList (the socket engine\'s connection list)', () => {
  it('adds, removes from the middle and the end, and keeps every slot right', () => {
    const l = new SlotList<{ name: string; slot: number }>();
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(item) as [ReturnType<typeof item>, ReturnType<typeof item>, ReturnType<typeof item>, ReturnType<typeof item>];
    for (const x of [a, b, c, d]) l.add(x);
    l.remove(b);
    expect(names(l)).to.deep.equal(['a', 'c', 'd']);
    expect(b.slot).to.equal(-1);
    l.remove(d);
    l.remove(a);
    expect(names(l)).to.deep.equal(['c']);
    expect(c.slot).to.equal(0);
    expect(l.size).to.equal(1);
  });

  it('ignores a second add and a remove of an item it does not hold', () => {
    const l = new SlotList<{ name: string; slot: number }>();
    const a = item('a');
    l.add(a);
    l.add(a);
    l.remove(item('stranger'));
    expect(l.size).to.equal(1);
    l.remove(a);
    l.remove(a);
    expect(l.size).to.equal(0);
  });

  it('lets the visitor remove the item it is visiting', () => {
    const l = new SlotList<{ name: string; slot: number }>();
    const all = ['a', 'b', 'c', 'd', 'e'].map(item);
    for (const x of all) l.add(x);
    const seen: string[] = [];
    l.forEach((x) => { seen.push(x.name); if (x.name !== 'c') l.remove(x); });
    expect(seen.sort()).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
    expect(names(l)).to.deep.equal(['c']);
  });
});
