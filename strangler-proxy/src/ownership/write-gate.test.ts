import { expect } from 'chai';
import type { UnitOwnership } from '@ficus/common/core';
import { createWriteGate } from './write-gate.ts';

const unit = (state: 'steady' | 'holding', owner: 'legacy' | 'service', version: number, holdUntil: number | null = null): UnitOwnership =>
  ({ unit: 'shop', owner, state, version, holdUntil, by: 'test', updatedAt: 0 });

describe('write gate', () => {
  let now = 1_000;
  const clock = () => now;
  const gate = () => createWriteGate({ maxWaitMs: 200, staleMs: 3_000, now: clock });
  const admit = (g: ReturnType<typeof gate>) => {
    const r: { went?: boolean; refused?: string; leave?: () => void } = {};
    g.admit('shop', (leave) => { r.went = true; r.leave = leave; }, (why) => { r.refused = why; });
    return r;
  };
  const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

  it('lets writes through at once while the unit is steady, and counts them in flight until they leave (once)', () => {
    now = 1_000;
    const g = gate();
    g.update([unit('steady', 'legacy', 1)]);
    const a = admit(g);
    const b = admit(g);
    expect([a.went, b.went]).to.deep.equal([true, true]);
    expect(g.inflight()).to.deep.equal({ shop: 2 });
    a.leave!(); a.leave!();
    expect(g.inflight()).to.deep.equal({ shop: 1 });
    b.leave!();
    expect(g.inflight()).to.deep.equal({});
    expect(g.seen()).to.deep.equal({ shop: 1 });
  });

  it('holds writes while the unit is held and releases them to the new owner when the hold ends', () => {
    now = 1_000;
    const g = gate();
    g.update([unit('holding', 'legacy', 2, 5_000)]);
    const a = admit(g);
    expect(a.went).to.equal(undefined);
    expect(g.waiting()).to.equal(1);
    expect(g.inflight()).to.deep.equal({});
    g.update([unit('steady', 'service', 3)]);
    expect(a.went).to.equal(true);
    expect(g.owner('shop')).to.equal('service');
    expect(g.inflight()).to.deep.equal({ shop: 1 });
  });

  it('refuses a held write after its longest wait (503, nothing written)', async () => {
    now = 1_000;
    const g = gate();
    g.update([unit('holding', 'legacy', 2, 60_000)]);
    const a = admit(g);
    await sleep(250);
    expect(a).to.deep.equal({ refused: 'held' });
    expect(g.waiting()).to.equal(0);
  });

  it('waits while ownership was never read or is stale, then refuses as unknown', async () => {
    now = 1_000;
    const g = gate();
    const never = admit(g);
    await sleep(250);
    expect(never.refused).to.equal('unknown');
    g.update([]);
    now += 3_001; // no successful read since
    const stale = admit(g);
    expect(stale.went).to.equal(undefined);
    expect(g.seen()).to.deep.equal({}); // a stale proxy acknowledges nothing
    g.update([]);
    expect(stale.went).to.equal(true);
    expect(g.owner('shop')).to.equal('legacy'); // never switched: legacy
  });

  it('releases a waiting write to the owner on record when the hold reaches its deadline with no word from the switch', async () => {
    now = 1_000;
    const g = createWriteGate({ maxWaitMs: 5_000, staleMs: 3_000 });
    g.update([unit('holding', 'legacy', 2, Date.now() + 60)]);
    const a = admit(g);
    expect(a.went).to.equal(undefined);
    await sleep(120);
    expect(a.went).to.equal(true);
    expect(g.owner('shop')).to.equal('legacy');
  });

  it('treats a hold past its deadline as over: writes go to the owner on record (the switch that set it died)', () => {
    now = 10_000;
    const g = gate();
    g.update([unit('holding', 'legacy', 4, 9_000)]);
    const a = admit(g);
    expect(a.went).to.equal(true);
    expect(g.owner('shop')).to.equal('legacy');
  });
});
