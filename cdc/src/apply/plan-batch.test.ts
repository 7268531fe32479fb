import { expect } from 'chai';
import { z } from 'zod';
import { planBatch, type IncomingMessage } from './plan-batch.ts';
import type { TableMapping } from './table-mapping-type.ts';

const mapping: TableMapping = {
  sourceTable: 'legacy.items',
  targetTable: 'items',
  targetKey: ['item_id'],
  sourceRow: z.object({ id: z.number().int(), name: z.string(), price_cents: z.number().int() }),
  toTarget: (r: { id: number; name: string; price_cents: number }) => ({ item_id: r.id, title: r.name, price: r.price_cents }),
};

let offset = 0;
const ev = (op: 'c' | 'u' | 'd' | 'r', row: Record<string, unknown>, gtid: string | null = `0-1-${offset + 100}`): IncomingMessage => ({
  offset: String(offset++),
  key: JSON.stringify({ id: row.id }),
  value: JSON.stringify({ op, before: op === 'c' || op === 'r' ? null : row, after: op === 'd' ? null : row, source: { db: 'legacy', table: 'items', gtid, ts_ms: 1000 }, ts_ms: 1001 }),
});
const opts = (applied = new Map()) => ({ mapping, applied, syncDomain: 9 });

describe('planBatch', () => {
  beforeEach(() => { offset = 0; });

  it('maps rows and keeps only the last state per key, in partition order', () => {
    const p = planBatch([ev('c', { id: 1, name: 'a', price_cents: 1 }), ev('u', { id: 1, name: 'b', price_cents: 2 }), ev('c', { id: 2, name: 'x', price_cents: 5 })], opts());
    expect([...p.upserts.values()]).to.deep.equal([{ item_id: 1, title: 'b', price: 2 }, { item_id: 2, title: 'x', price: 5 }]);
    expect(p.deletes.size).to.equal(0);
    expect(p.versions.get('[1]')).to.deep.equal({ domain: 0, seq: 101 });
  });

  it('a row the target must not hold (absentWhen) is applied as a delete of its key, and comes back once it may', () => {
    const m: TableMapping = { ...mapping, absentWhen: (r: { name: string }) => r.name === 'pending' };
    const p = planBatch([ev('c', { id: 1, name: 'pending', price_cents: 1 }), ev('c', { id: 2, name: 'pending', price_cents: 1 }), ev('u', { id: 2, name: 'paid', price_cents: 1 })], { ...opts(), mapping: m });
    expect([...p.deletes.keys()]).to.deep.equal(['[1]']);
    expect([...p.upserts.values()]).to.deep.equal([{ item_id: 2, title: 'paid', price: 1 }]);
  });

  it('a delete after an upsert of the same key wins, and vice versa', () => {
    const p = planBatch([ev('c', { id: 1, name: 'a', price_cents: 1 }), ev('d', { id: 1, name: 'a', price_cents: 1 }), ev('c', { id: 2, name: 'b', price_cents: 1 }), ev('d', { id: 2, name: 'b', price_cents: 1 }), ev('c', { id: 2, name: 'c', price_cents: 1 })], opts());
    expect([...p.deletes.keys()]).to.deep.equal(['[1]']);
    expect([...p.upserts.keys()]).to.deep.equal(['[2]']);
  });

  it('skips events older than what is applied (a redelivery) and applies the same transaction again', () => {
    const applied = new Map([['[1]', { domain: 0, seq: 150 }]]);
    const p = planBatch([ev('u', { id: 1, name: 'old', price_cents: 1 }, '0-1-120'), ev('u', { id: 1, name: 'same-trx', price_cents: 1 }, '0-1-150')], opts(applied));
    expect(p.stale).to.equal(1);
    expect(p.upserts.get('[1]')).to.deep.include({ title: 'same-trx' });
  });

  it('a snapshot read fills only rows streaming has not touched', () => {
    const applied = new Map([['[1]', { domain: 0, seq: 5 }]]);
    const p = planBatch([ev('r', { id: 1, name: 'snap', price_cents: 1 }, null), ev('r', { id: 2, name: 'snap', price_cents: 1 }, null)], opts(applied));
    expect([...p.upserts.keys()]).to.deep.equal(['[2]']);
    expect(p.stale).to.equal(1);
  });

  it('drops changes the sync wrote itself (its GTID domain) so nothing echoes back', () => {
    const p = planBatch([ev('u', { id: 1, name: 'echo', price_cents: 1 }, '9-1-77')], opts());
    expect(p.echoes).to.equal(1);
    expect(p.upserts.size).to.equal(0);
  });

  it('sends what cannot be applied to dead letters with a reason and goes on', () => {
    const bad = ev('c', { id: 3, name: 'no price' });
    const schemaChanged = ev('c', { id: 4, name: 'p', price_cents: '12.50' });
    const p = planBatch([{ offset: '90', key: null, value: '{nope' }, bad, schemaChanged, ev('c', { id: 5, name: 'fine', price_cents: 1 })], opts());
    expect(p.deadLetters.map((d) => d.code)).to.deep.equal(['CDC_EVENT_MALFORMED', 'CDC_MAPPING_FAILED', 'CDC_MAPPING_FAILED']);
    expect(p.deadLetters[1]!.reason).to.contain('price_cents');
    expect([...p.upserts.keys()]).to.deep.equal(['[5]']);
  });

  it('carries the write\'s trace context from source.query (the traceparent comment) on applied changes only, sampled only', () => {
    const sampled = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const withQuery = (m: IncomingMessage, query: string | null): IncomingMessage => {
      const v = JSON.parse(m.value!) as { source: Record<string, unknown> };
      v.source.query = query;
      return { ...m, value: JSON.stringify(v) };
    };
    const applied = new Map([['[9]', { domain: 0, seq: 500 }]]);
    const p = planBatch([
      withQuery(ev('c', { id: 1, name: 'a', price_cents: 1 }), `/*traceparent='${sampled}'*/ insert into \`items\` (\`name\`) values ('a')`),
      withQuery(ev('u', { id: 2, name: 'b', price_cents: 1 }), `/*traceparent='${sampled.replace(/01$/, '00')}'*/ update items set name = 'b'`),
      withQuery(ev('u', { id: 3, name: 'c', price_cents: 1 }), "update items set name = 'c'"),
      withQuery(ev('u', { id: 4, name: 'd', price_cents: 1 }), null),
      withQuery(ev('u', { id: 9, name: 'stale', price_cents: 1 }, '0-1-120'), `/*traceparent='${sampled}'*/ update items set name = 'stale'`),
      withQuery(ev('u', { id: 1, name: 'echo', price_cents: 1 }, '9-1-121'), `/*traceparent='${sampled}'*/ update items set name = 'echo'`),
    ], opts(applied));
    expect(p.upserts.size).to.equal(4);
    expect(p.traced).to.deep.equal([{ trace: { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', sampled: true }, op: 'c', offset: '0', sourceTs: 1000 }]);
  });

  it('ignores tombstones', () => {
    const p = planBatch([{ offset: '1', key: '{"id":1}', value: null }], opts());
    expect(p.ignored).to.equal(1);
  });
});
