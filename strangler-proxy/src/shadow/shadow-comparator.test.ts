import { expect } from 'chai';
import { sha256, type CapturedResponse } from '../compare/compare-responses.ts';
import type { MirroredExchange, SideResult } from './mirroring-shadow-sink.ts';
import { createShadowComparator } from './shadow-comparator.ts';
import type { ShadowSyncCheck } from './shadow-comparator.ts';
import { buildShadowRules, type ShadowRouteRulesInput } from './shadow-rules.ts';

const res = (body: unknown, status = 200): SideResult => {
  const b = Buffer.from(JSON.stringify(body));
  const response: CapturedResponse = { status, headers: { 'content-type': 'application/json' }, body: b, bodyBytes: b.length, bodyHash: sha256(b) };
  return { response, oversize: false, durationMs: 1 };
};

const exchange = (o: { rules?: ShadowRouteRulesInput; method?: string; primary: SideResult; candidate: SideResult; legacyAgain?: SideResult; resend?: SideResult[] }): MirroredExchange => {
  const rules = buildShadowRules({ routes: { r: o.rules ?? {} } }, 'test', { routeIds: ['r'], targets: {} }).forRoute('r');
  const again = [...(o.resend ?? [])];
  return {
    offer: { routeId: 'r', requestId: 'q', target: 'http://svc', legacyTarget: 'http://legacy', method: o.method ?? 'GET', url: '/x', headers: [], body: null },
    rules, target: 'http://svc', at: new Date(0), primary: o.primary, candidate: o.candidate, legacyAgain: o.legacyAgain,
    resend: async () => again.shift() ?? o.candidate,
  };
};

/** A CDC position check that always answers the same (undefined: the CDC does not answer). */
const syncSaying = (applied: boolean | undefined): ShadowSyncCheck => ({
  position: async () => (applied === undefined ? undefined : '0-1-77'),
  waitApplied: async (_route, position) => { expect(position).to.equal('0-1-77'); return applied; },
});

describe('shadow comparator', () => {
  const noWait = { wait: async () => {} };
  const cases: Array<{ name: string; x: () => MirroredExchange; lagMs?: number; sync?: ShadowSyncCheck; outcome: string; real?: string[]; noise?: string[]; reason?: RegExp }> = [
    { name: 'equal answers match', x: () => exchange({ primary: res({ a: 1 }), candidate: res({ a: 1 }) }), outcome: 'match' },
    { name: 'a difference is a mismatch', x: () => exchange({ primary: res({ a: 1 }), candidate: res({ a: 2 }) }), outcome: 'mismatch', real: ['$.a'] },
    { name: 'a failed primary skips the comparison', x: () => exchange({ primary: { error: 'ECONNRESET', durationMs: 0 }, candidate: res({}) }), outcome: 'skipped', reason: /primary: ECONNRESET/ },
    { name: 'a failed candidate is an error', x: () => exchange({ primary: res({}), candidate: { error: 'timeout after 5 ms', durationMs: 5 } }), outcome: 'error', reason: /timeout/ },
    { name: 'a field that differs between legacy\'s two answers is noise', x: () => exchange({ rules: { noise: { secondLegacyCall: true, minCount: 1 } }, primary: res({ a: 1, n: 'x' }), legacyAgain: res({ a: 1, n: 'y' }), candidate: res({ a: 1, n: 'z' }) }), outcome: 'noise', noise: ['$.n'] },
    { name: 'noise and a real difference together are a mismatch', x: () => exchange({ rules: { noise: { secondLegacyCall: true, minCount: 1 } }, primary: res({ a: 1, n: 'x' }), legacyAgain: res({ a: 1, n: 'y' }), candidate: res({ a: 2, n: 'z' }) }), outcome: 'mismatch', real: ['$.a'], noise: ['$.n'] },
    { name: 'read-after-write: matching after the wait is lag', x: () => exchange({ rules: { readAfterWrite: { maxWaitMs: 10 } }, primary: res({ s: 5 }), candidate: res({ s: 4 }), resend: [res({ s: 5 })] }), outcome: 'lag', real: ['$.s'], reason: /matched after 10 ms/ },
    { name: 'read-after-write: still differing without CDC lag is a mismatch', x: () => exchange({ rules: { readAfterWrite: { maxWaitMs: 10 } }, primary: res({ s: 5 }), candidate: res({ s: 4 }), resend: [res({ s: 3 })] }), outcome: 'mismatch', real: ['$.s'] },
    { name: 'read-after-write: still differing while CDC reports lag is lag', x: () => exchange({ rules: { readAfterWrite: { maxWaitMs: 10 } }, primary: res({ s: 5 }), candidate: res({ s: 4 }), resend: [res({ s: 4 })] }), lagMs: 900, outcome: 'lag', reason: /CDC reports 900 ms/ },
    { name: 'read-after-write with the CDC position check: matching once applied is lag', sync: syncSaying(true), x: () => exchange({ rules: { readAfterWrite: { maxWaitMs: 10 } }, primary: res({ s: 5 }), candidate: res({ s: 4 }), resend: [res({ s: 5 })] }), outcome: 'lag', reason: /matched once the sync had applied 0-1-77/ },
    { name: 'read-after-write with the CDC position check: still differing once applied is a real mismatch, whatever lagMs says', sync: syncSaying(true), lagMs: 900, x: () => exchange({ rules: { readAfterWrite: { maxWaitMs: 10 } }, primary: res({ s: 5 }), candidate: res({ s: 4 }), resend: [res({ s: 4 })] }), outcome: 'mismatch', real: ['$.s'], reason: /still differs after the sync applied 0-1-77/ },
    { name: 'read-after-write with the CDC position check: not applied in time is lag', sync: syncSaying(false), x: () => exchange({ rules: { readAfterWrite: { maxWaitMs: 10 } }, primary: res({ s: 5 }), candidate: res({ s: 4 }), resend: [res({ s: 4 })] }), outcome: 'lag', reason: /had not applied 0-1-77 after 10 ms/ },
    { name: 'read-after-write with the CDC not answering falls back to the wait and lagMs', sync: syncSaying(undefined), lagMs: 900, x: () => exchange({ rules: { readAfterWrite: { maxWaitMs: 10 } }, primary: res({ s: 5 }), candidate: res({ s: 4 }), resend: [res({ s: 4 })] }), outcome: 'lag', reason: /CDC reports 900 ms/ },
    { name: 'read-after-write never retries a write', x: () => exchange({ rules: { readAfterWrite: { maxWaitMs: 10 }, writes: { safeBy: 'idempotency-key' } }, method: 'POST', primary: res({ s: 5 }), candidate: res({ s: 4 }), resend: [res({ s: 5 })] }), outcome: 'mismatch' },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const v = await createShadowComparator({ ...noWait, lagMs: () => c.lagMs, sync: c.sync }).compare(c.x());
      expect(v.outcome).to.equal(c.outcome);
      if (c.real) expect(v.differences.map((d) => d.path)).to.deep.equal(c.real);
      if (c.noise) expect(v.noise.map((d) => d.path)).to.deep.equal(c.noise);
      if (c.reason) expect(v.reason).to.match(c.reason);
    });
  }

  it('learns noise per route: a later exchange without a second call still sets the field apart', async () => {
    const cmp = createShadowComparator(noWait);
    const rules = { noise: { secondLegacyCall: true, minCount: 1 } };
    await cmp.compare(exchange({ rules, primary: res({ n: 'x' }), legacyAgain: res({ n: 'y' }), candidate: res({ n: 'x' }) }));
    const v = await cmp.compare(exchange({ rules, primary: res({ n: 'x', a: 1 }), candidate: res({ n: 'q', a: 1 }) }));
    expect(v.outcome).to.equal('noise');
    expect(cmp.noiseModel('r')).to.deep.equal({ pairs: 1, fields: { '$.n': 1 } });
  });
});
