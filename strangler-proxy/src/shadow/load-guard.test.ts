import { expect } from 'chai';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { createLoadGuard, procStatCpuTimes, type CpuTimes } from './load-guard.ts';

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
  });

  it('is off at 1', () => {
    const g = createLoadGuard({ from: 1, utilization: () => ({ elu, value: 1 }) });
    g.sample(); g.sample();
    expect(g.shed()).to.equal(false);
  });

  it('reads the real event loop by default', () => {
    const g = createLoadGuard({ from: 0.5, windowMs: 1_000_000 });
    g.sample();
    expect(g.utilization()).to.be.within(0, 1);
  });

  it('also sheds while the host is busy though the loop is not: the same ramp on the busy CPU share', () => {
    // each window: 100 ticks, of which `idle` idle
    const windows = (idles: number[]) => {
      let i = 0;
      let t: CpuTimes = { idle: 0, total: 0 };
      return () => (t = { idle: t.idle + idles[Math.min(i++, idles.length - 1)]!, total: t.total + 100 });
    };
    const calm = { elu, value: 0.1 };
    const busy = createLoadGuard({ from: 0.7, machineFrom: 0.6, ramp: 0.2, windowMs: 1_000_000, utilization: () => calm, cpuTimes: windows([0, 10]), random: () => 0.99 });
    for (let k = 0; k < 12; k++) busy.sample();
    expect(busy.machineBusy()).to.be.closeTo(0.9, 0.01);
    expect(busy.shed()).to.equal(true); // past 0.6 + 0.2: every copy
    const half = createLoadGuard({ from: 0.7, machineFrom: 0.6, ramp: 0.2, windowMs: 1_000_000, utilization: () => calm, cpuTimes: windows([0, 30]), random: () => 0.49 });
    for (let k = 0; k < 12; k++) half.sample();
    expect(half.shed()).to.equal(true); // 0.7 busy: half-way up the ramp, 0.49 < 0.5
    const idle = createLoadGuard({ from: 0.7, machineFrom: 0.6, ramp: 0.2, windowMs: 1_000_000, utilization: () => calm, cpuTimes: windows([0, 50]), random: () => 0 });
    for (let k = 0; k < 12; k++) idle.sample();
    expect(idle.shed()).to.equal(false);
    const off = createLoadGuard({ from: 0.7, windowMs: 1_000_000, utilization: () => calm, cpuTimes: windows([0, 0]), random: () => 0 });
    for (let k = 0; k < 12; k++) off.sample();
    expect([off.machineBusy(), off.shed()]).to.deep.equal([0, false]); // machineFrom defaults to 1: not watched
  });

  it('reads the host\'s CPU times from /proc/stat', () => {
    const t = procStatCpuTimes();
    expect(t).to.not.equal(undefined);
    expect(t!.total).to.be.greaterThan(t!.idle);
  });
});
