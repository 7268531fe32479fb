import { expect } from 'chai';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { createLoadGuard } from './load-guard.ts';

describe('shadow load guard (sheds copies while the event loop is busy)', () => {
  const elu = { idle: 0, active: 0, utilization: 0 } as EventLoopUtilization;
  const guardAt = (values: number[], random: () => number) => {
    let i = 0;
    const g = createLoadGuard({ from: 0.7, ramp: 0.2, windowMs: 1_000_000, random, utilization: () => ({ elu, value: values[Math.min(i++, values.length - 1)]! }) });
    return g;
  };

  it('sheds nothing below the threshold', () => {
    const g = guardAt([0, 0.6, 0.6, 0.6], () => 0);
    g.sample(); g.sample(); g.sample();
    expect(g.utilization()).to.be.below(0.7);
    expect(g.shed()).to.equal(false);
    g.stop();
  });

  it('sheds a share growing with utilisation above it, and everything past threshold + ramp', () => {
    const g = guardAt([0, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8], () => 0.49);
    for (let k = 0; k < 10; k++) g.sample();
    expect(g.utilization()).to.be.closeTo(0.8, 0.01); // half-way up the ramp: a share of 0.5
    expect(g.shed()).to.equal(true); // 0.49 < 0.5
    const h = guardAt([0, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8], () => 0.51);
    for (let k = 0; k < 10; k++) h.sample();
    expect(h.shed()).to.equal(false);
    const all = guardAt([0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], () => 0.999);
    for (let k = 0; k < 10; k++) all.sample();
    expect(all.shed()).to.equal(true);
    for (const x of [g, h, all]) x.stop();
  });

  it('is off at 1', () => {
    const g = createLoadGuard({ from: 1, utilization: () => ({ elu, value: 1 }) });
    g.sample(); g.sample();
    expect(g.shed()).to.equal(false);
    g.stop();
  });

  it('reads the real event loop by default', () => {
    const g = createLoadGuard({ from: 0.5, windowMs: 1_000_000 });
    g.sample();
    expect(g.utilization()).to.be.within(0, 1);
    g.stop();
  });
});
