import { expect } from 'chai';
import { createFakeOwnershipStore } from '@ficus/common/core';
import { switchOwnership, type SwitchPorts, type SwitchRequest, type SyncDomainName } from './switch-ownership.ts';

/** A fake sync and position source that log what the switch does, and one proxy following the store. */
const harness = (o: { lag?: number; drainAfterChecks?: number; inflightChecks?: number } = {}) => {
  const ownership = createFakeOwnershipStore();
  const log: string[] = [];
  const directions = new Map<SyncDomainName, { forward: boolean; reverse: boolean }>();
  let drainChecks = 0;
  let inflightChecks = o.inflightChecks ?? 0;
  // the proxy: follows the store each time the switch reads the reports
  const proxies = async () => {
    const u = await ownership.get('shop');
    const inflight: Record<string, number> = u.state === 'holding' && inflightChecks-- > 0 ? { shop: 1 } : {};
    ownership.report({ proxyId: 'p1', seen: { shop: u.version }, inflight, heartbeatAt: Date.now() });
    return ownership.proxies();
  };
  const ports: SwitchPorts = {
    ownership: { ...ownership, proxies },
    sync: {
      setDirections: async (d, dir) => { directions.set(d, dir); log.push(`directions ${d} ${dir.forward ? 'F' : ''}${dir.reverse ? 'R' : ''}`); },
      lag: async () => ({ events: o.lag ?? 0, seconds: 0 }),
    },
    positions: {
      current: async () => { log.push('position'); return '0-1-100'; },
      applied: async (pipeline) => {
        const u = await ownership.get('shop');
        if (u.state !== 'holding') return true; // arming the way back
        log.push(`applied? ${pipeline}`);
        return ++drainChecks > (o.drainAfterChecks ?? 0);
      },
    },
    sleep: () => new Promise((r) => setTimeout(r, 1)),
  };
  return { ownership, ports, log, directions };
};
const request = (to: 'service' | 'legacy', extra: Partial<SwitchRequest> = {}): SwitchRequest =>
  ({ unit: 'shop', to, domains: ['inventory', 'orders'], by: 'test-switch', maxLagEvents: 100, holdMs: 2_000, proxyLiveMs: 30_000, ...extra });

describe('the write switch (pure protocol, fake sync)', () => {
  it('arms the way back, holds, waits for the proxies and the drain, flips, then turns the old direction off', async () => {
    const h = harness({ inflightChecks: 2, drainAfterChecks: 3 });
    const out = await switchOwnership(h.ports, request('service'));
    expect(out.result).to.equal('switched');
    expect((await h.ownership.get('shop'))).to.include({ owner: 'service', state: 'steady' });
    expect(h.ownership.history.map((u) => `${u.owner}/${u.state}`)).to.deep.equal(['legacy/holding', 'service/steady']);
    const flipAt = h.log.indexOf('directions inventory R');
    expect(h.log.slice(0, 2)).to.deep.equal(['directions inventory FR', 'directions orders FR']);
    expect(h.log.filter((l) => l.startsWith('applied?'))).to.deep.equal(['applied? inventory', 'applied? inventory', 'applied? inventory', 'applied? inventory', 'applied? orders']); // each domain's pipeline, until drained
    expect(flipAt).to.be.greaterThan(h.log.lastIndexOf('applied? orders'));
    expect(Object.fromEntries(h.directions)).to.deep.equal({ inventory: { forward: false, reverse: true }, orders: { forward: false, reverse: true } });
    expect(out.steps.map((s) => s.step)).to.deep.equal(['lag gate', 'both directions on', 'hold', 'proxies quiet', 'sync drained', 'flip', 'old direction off']);
  });

  it('rolls back the same way: the reverse sync drains into legacy before legacy owns again', async () => {
    const h = harness();
    await switchOwnership(h.ports, request('service'));
    h.log.length = 0;
    const out = await switchOwnership(h.ports, request('legacy', { by: 'rollback' }));
    expect(out).to.include({ result: 'switched', from: 'service', to: 'legacy' });
    expect(h.log.filter((l) => l.startsWith('applied?'))).to.deep.equal(['applied? legacy']);
    expect(Object.fromEntries(h.directions)).to.deep.equal({ inventory: { forward: true, reverse: false }, orders: { forward: true, reverse: false } });
  });

  it('refuses past the lag bound without holding anything', async () => {
    const h = harness({ lag: 5_000 });
    try { await switchOwnership(h.ports, request('service')); expect.fail('switched'); } catch (e) { expect((e as { code: string }).code).to.equal('SWITCH_LAG_TOO_HIGH'); }
    expect(h.ownership.history).to.deep.equal([]);
  });

  it('reverts when the sync has not drained before the hold deadline: legacy keeps the writes', async () => {
    const h = harness({ drainAfterChecks: Infinity });
    try { await switchOwnership(h.ports, request('service', { holdMs: 400 })); expect.fail('switched'); } catch (e) { expect((e as { code: string }).code).to.equal('SWITCH_REVERTED'); }
    expect(await h.ownership.get('shop')).to.include({ owner: 'legacy', state: 'steady' });
  });

  it('does not wait for a proxy that went silent, and waits for a live one with a write in flight', async () => {
    const h = harness({ inflightChecks: 1 });
    h.ownership.report({ proxyId: 'gone', seen: {}, inflight: { shop: 3 }, heartbeatAt: Date.now() - 60_000 });
    const out = await switchOwnership(h.ports, request('service'));
    expect(out.result).to.equal('switched');
  });

  it('a retried switch reverts its own interrupted hold and completes; a finished one only confirms the directions', async () => {
    const h = harness();
    await h.ownership.hold('shop', 'legacy', 2_000, 'test-switch'); // the worker died here
    const out = await switchOwnership(h.ports, request('service'));
    expect(out.result).to.equal('switched');
    expect(out.steps[0]!.step).to.equal('reverted an interrupted hold');
    const again = await switchOwnership(h.ports, request('service'));
    expect(again.result).to.equal('already');
    expect((await h.ownership.get('shop')).owner).to.equal('service');
  });

  it('refuses while another switch holds the unit', async () => {
    const h = harness();
    await h.ownership.hold('shop', 'legacy', 60_000, 'someone-else');
    try { await switchOwnership(h.ports, request('service')); expect.fail('switched'); } catch (e) { expect((e as { code: string }).code).to.equal('OWNERSHIP_SWITCH_IN_PROGRESS'); }
  });

  it('waits for work still running on the side the writes leave (a saga past its answer), and reverts if it outlasts the hold', async () => {
    const saga = { side: 'service' as const, database: 'orders' as const, table: 'orders', where: "status = 'pending'", what: 'sagas' };
    const h = harness();
    await switchOwnership(h.ports, request('service'));
    let pending = 3;
    const ports = { ...h.ports, outstanding: async () => (pending-- > 0 ? ['1 × sagas'] : []) };
    const back = await switchOwnership(ports, request('legacy', { by: 'back', quiesce: [saga] }));
    expect(back.steps.map((s) => s.step)).to.include('work finished');
    expect(pending).to.equal(-1);
    // legacy → service: checks of the service side do not apply
    const there = await switchOwnership({ ...h.ports, outstanding: async () => ['never quiet'] }, request('service', { by: 'there', quiesce: [saga] }));
    expect(there.result).to.equal('switched');
    try {
      await switchOwnership({ ...h.ports, outstanding: async () => ['1 × sagas'] }, request('legacy', { by: 'stuck', holdMs: 400, quiesce: [saga] }));
      expect.fail('switched');
    } catch (e) { expect((e as Error).message).to.match(/still running on service at the hold's deadline: 1 × sagas/); }
    expect(await h.ownership.get('shop')).to.include({ owner: 'service', state: 'steady' });
  });
});
