import { expect } from 'chai';
import { createLogger } from '@ficus/common';
import { createFakeShadowStore } from './fake-shadow-store.ts';
import { startShadowRetention } from './shadow-retention.ts';
import type { NewMismatch } from './shadow-store-type.ts';

const mismatch = (at: string, url: string): NewMismatch => ({
  route: 'catalog.products', requestId: url, outcome: 'mismatch', reason: null, at, method: 'GET', url,
  request: { target: 'legacy', headers: {}, bodyBytes: 0 }, primary: {}, candidate: {}, differences: [], noise: [], total: 1, bodyMode: null,
});
const silent = createLogger('test', 'silent');

describe('shadow retention', () => {
  it('deletes records older than the age limit and keeps at most the row cap, the newest', async () => {
    const store = createFakeShadowStore();
    const now = Date.parse('2026-12-02T12:00:00Z');
    for (let i = 0; i < 10; i++) await store.saveMismatch(mismatch(new Date(now - (10 - i) * 3_600_000).toISOString(), `/p/${i}`));
    // 10 records, 10 h … 1 h old; keep 5 h → 4 are newer than that (4 h … 1 h), the cap of 3 keeps the newest 3
    const r = startShadowRetention(store, { maxAgeMs: 4.5 * 3_600_000, maxRows: 3, intervalMs: 60_000 }, silent, () => now);
    await r.settled();
    await r.stop();
    expect(store.rows.map((m) => m.url)).to.deep.equal(['/p/7', '/p/8', '/p/9']);
    const counts = await store.mismatches({ limit: 10 });
    expect(counts).to.have.length(3);
  });

  it('with no age limit keeps the newest records up to the cap', async () => {
    const store = createFakeShadowStore();
    for (let i = 0; i < 5; i++) await store.saveMismatch(mismatch('2020-01-01T00:00:00Z', `/old/${i}`));
    const r = startShadowRetention(store, { maxAgeMs: 0, maxRows: 100, intervalMs: 60_000 }, silent);
    await r.stop();
    expect(store.rows).to.have.length(5);
  });

  it('survives a store that fails, and prunes again on the next tick', async () => {
    const store = createFakeShadowStore();
    let calls = 0;
    const failing = { ...store, prune: async () => { calls++; if (calls === 1) throw new Error('connection refused'); return 0; } };
    const r = startShadowRetention(failing, { maxAgeMs: 0, maxRows: 100, intervalMs: 1_000 }, silent);
    await r.settled();
    await new Promise((res) => setTimeout(res, 1_100));
    await r.settled();
    await r.stop();
    expect(calls).to.be.greaterThanOrEqual(2);
  });
});
