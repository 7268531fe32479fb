import { expect } from 'chai';
import { createShadowLanes, type Admission } from './shadow-lanes.ts';

const gate = () => {
  let open!: () => void;
  const p = new Promise<void>((r) => { open = r; });
  return { p, open };
};

describe('shadow lanes', () => {
  const cases: Array<{ name: string; globalMax: number; limits: { maxConcurrency: number; maxQueue: number }; jobs: string[]; expect: Admission[] }> = [
    { name: 'starts up to the route concurrency, queues up to the bound, sheds the rest', globalMax: 100, limits: { maxConcurrency: 2, maxQueue: 1 }, jobs: ['a', 'a', 'a', 'a'], expect: ['started', 'started', 'queued', 'shed'] },
    { name: 'routes have their own lanes', globalMax: 100, limits: { maxConcurrency: 1, maxQueue: 0 }, jobs: ['a', 'b', 'a', 'b'], expect: ['started', 'started', 'shed', 'shed'] },
    { name: 'the global bound applies across routes (excess waits in its own lane)', globalMax: 1, limits: { maxConcurrency: 5, maxQueue: 1 }, jobs: ['a', 'b', 'b'], expect: ['started', 'queued', 'shed'] },
    { name: 'a zero queue sheds at once', globalMax: 100, limits: { maxConcurrency: 1, maxQueue: 0 }, jobs: ['a', 'a'], expect: ['started', 'shed'] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const lanes = createShadowLanes(c.globalMax);
      const g = gate();
      const got = c.jobs.map((route) => lanes.admit(route, c.limits, () => g.p));
      expect(got).to.deep.equal(c.expect);
      g.open();
      await lanes.close(1_000);
    });
  }

  it('runs queued jobs as slots free up, in order', async () => {
    const lanes = createShadowLanes(10);
    const ran: number[] = [];
    const gates = [gate(), gate(), gate()];
    gates.forEach((g, i) => lanes.admit('r', { maxConcurrency: 1, maxQueue: 5 }, async () => { ran.push(i); await g.p; }));
    expect(ran).to.deep.equal([0]);
    expect(lanes.queued('r')).to.equal(2);
    gates[0]!.open();
    await gates[0]!.p; await Promise.resolve(); await Promise.resolve();
    expect(ran).to.deep.equal([0, 1]);
    gates[1]!.open(); gates[2]!.open();
    await lanes.close(1_000);
    expect(lanes.active()).to.equal(0);
  });

  it('close drops what waits and sheds new work', async () => {
    const lanes = createShadowLanes(1);
    const g = gate();
    lanes.admit('r', { maxConcurrency: 1, maxQueue: 5 }, () => g.p);
    lanes.admit('r', { maxConcurrency: 1, maxQueue: 5 }, () => g.p);
    const closing = lanes.close(1_000);
    expect(lanes.admit('r', { maxConcurrency: 1, maxQueue: 5 }, () => g.p)).to.equal('shed');
    g.open();
    expect(await closing).to.equal(1);
  });
});
