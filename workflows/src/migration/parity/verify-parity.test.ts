import { expect } from 'chai';
import { createFakeParitySide } from './fake-parity-side.ts';
import { diffRowHashes, planChunks, splitRange, verifyParity } from './verify-parity.ts';

const table = (n: number, start = 1) => new Map<number, Record<string, string | null>>(Array.from({ length: n }, (_, i) => [start + i, { id: String(start + i), name: `p${start + i}`, price: String((start + i) * 10) }] as const));

describe('parity verification: chunking and drilling (fakes)', () => {
  it('splits ranges into consecutive non-empty parts that cover them exactly', () => {
    expect(splitRange({ lo: 0, hi: 10 }, 3)).to.deep.equal([{ lo: 0, hi: 4 }, { lo: 4, hi: 8 }, { lo: 8, hi: 10 }]);
    expect(splitRange({ lo: 5, hi: 6 }, 8)).to.deep.equal([{ lo: 5, hi: 6 }]);
    expect(planChunks(null, null, 10)).to.deep.equal([]);
    const chunks = planChunks({ min: 1, max: 1000, count: 1000 }, { min: 3, max: 1200, count: 990 }, 100);
    expect(chunks).to.have.length(10);
    expect(chunks[0]!.lo).to.equal(1);
    expect(chunks.at(-1)!.hi).to.equal(1201);
  });

  it('diffs row hashes into missing, extra and changed, ordered by key', () => {
    expect(diffRowHashes([{ key: 1, hash: 'a' }, { key: 2, hash: 'b' }, { key: 4, hash: 'd' }], [{ key: 2, hash: 'x' }, { key: 3, hash: 'c' }, { key: 4, hash: 'd' }]))
      .to.deep.equal([{ kind: 'missing', key: 1 }, { kind: 'changed', key: 2 }, { kind: 'extra', key: 3 }]);
  });

  it('reports equal tables clean and reads no rows', async () => {
    const l = createFakeParitySide(table(5000));
    const s = createFakeParitySide(table(5000));
    const r = await verifyParity('products', l, s, { chunkRows: 1000 });
    expect(r).to.include({ clean: true, legacyRows: 5000, serviceRows: 5000, rowsCompared: 5000, chunks: 5, mismatchedChunks: 0, differencesTotal: 0 });
    expect(l.calls.rowHashes + l.calls.rows).to.equal(0);
  });

  it('finds a missing row, an extra row and a changed value, with the changed columns', async () => {
    const legacy = table(10_000);
    const service = table(10_000);
    service.delete(1234);
    service.set(10_001, { id: '10001', name: 'ghost', price: '1' });
    service.set(7777, { ...service.get(7777)!, price: '1' });
    const l = createFakeParitySide(legacy);
    const s = createFakeParitySide(service);
    const r = await verifyParity('products', l, s, { chunkRows: 2000, drillRows: 100, fanout: 4 });
    expect(r.clean).to.equal(false);
    expect(r.differences).to.deep.equal([
      { kind: 'missing', key: 1234 },
      { kind: 'changed', key: 7777, columns: [{ column: 'price', legacy: '77770', service: '1' }] },
      { kind: 'extra', key: 10_001 },
    ]);
    expect(r.mismatchedChunks).to.equal(3);
    // drilled: row hashes were read only for small ranges, not for whole 2,000-row chunks
    expect(l.calls.rowHashes).to.be.at.most(3);
  });

  it('drills a chunk that differs only in count (rows missing at the end) and an empty side', async () => {
    const r = await verifyParity('t', createFakeParitySide(table(50)), createFakeParitySide(new Map()), { chunkRows: 10, drillRows: 5 });
    expect(r.differencesTotal).to.equal(50);
    expect(r.differences.every((d) => d.kind === 'missing')).to.equal(true);
    const extra = await verifyParity('t', createFakeParitySide(new Map()), createFakeParitySide(table(3)), {});
    expect(extra.differences.map((d) => d.kind)).to.deep.equal(['extra', 'extra', 'extra']);
  });

  it('lists at most maxReported differences and counts the rest', async () => {
    const s = table(300);
    for (let k = 1; k <= 300; k += 2) s.set(k, { ...s.get(k)!, name: 'x' });
    const r = await verifyParity('t', createFakeParitySide(table(300)), createFakeParitySide(s), { maxReported: 10, chunkRows: 50, drillRows: 20 });
    expect(r.differencesTotal).to.equal(150);
    expect(r.differences).to.have.length(10);
    expect(r.differences[0]).to.deep.equal({ kind: 'changed', key: 1, columns: [{ column: 'name', legacy: 'p1', service: 'x' }] });
  });

  it('reports progress per chunk', async () => {
    const seen: number[] = [];
    await verifyParity('t', createFakeParitySide(table(100)), createFakeParitySide(table(100)), { chunkRows: 25, concurrency: 1, onProgress: (p) => seen.push(p.rowsCompared) });
    expect(seen).to.deep.equal([25, 50, 75, 100]);
  });
});
