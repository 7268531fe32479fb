import { expect } from 'chai';
import { backfillResult, describeProgress, progressFromHeartbeat, startingPoint, withTable } from './backfill-progress.ts';
import type { BackfillTableResult } from './run-backfill.ts';

const t = (table: string, rowsCopied: number, sourceRows: number, done = false): BackfillTableResult =>
  ({ table, method: 'copy', rowsCopied, sourceRows, position: rowsCopied || null, done });

describe('backfill progress', () => {
  describe('startingPoint: where an attempt starts', () => {
    const cases: Array<[string, { restart?: boolean }, unknown, { reset: boolean; tables: BackfillTableResult[] }]> = [
      ['first attempt', {}, undefined, { reset: false, tables: [] }],
      ['first attempt with --restart: wipes the stored positions', { restart: true }, undefined, { reset: true, tables: [] }],
      ['retry after a heartbeat: continues, even with --restart', { restart: true }, { tables: [t('categories', 8, 8, true), t('products', 400, 3_000)] },
        { reset: false, tables: [t('categories', 8, 8, true), t('products', 400, 3_000)] }],
      ['retry whose first attempt heartbeat before any chunk', { restart: true }, { tables: [] }, { reset: false, tables: [] }],
      ['details that are not a backfill heartbeat are ignored', { restart: true }, { tables: [{ table: 'x' }] }, { reset: true, tables: [] }],
      ['a string heartbeat is ignored', {}, 'hold', { reset: false, tables: [] }],
    ];
    for (const [name, input, heartbeat, want] of cases) {
      it(name, () => {
        const s = startingPoint(input, heartbeat);
        expect({ reset: s.reset, tables: s.progress.tables }).to.deep.equal(want);
      });
    }
  });

  it('withTable replaces a table\'s numbers in place and appends a new table', () => {
    let p = withTable({ tables: [] }, t('categories', 8, 8, true));
    p = withTable(p, t('products', 50, 3_000));
    p = withTable(p, t('products', 100, 3_000));
    expect(p.tables).to.deep.equal([t('categories', 8, 8, true), t('products', 100, 3_000)]);
    expect(progressFromHeartbeat(JSON.parse(JSON.stringify(p)))).to.deep.equal(p);
  });

  it('a result is done only when every table of the migration is', () => {
    const config = { name: 'm', tables: [{ legacy: 'categories' }, { legacy: 'products' }] } as Parameters<typeof backfillResult>[0];
    expect(backfillResult(config, [t('categories', 8, 8, true), t('products', 3_000, 3_000, true)]).done).to.equal(true);
    expect(backfillResult(config, [t('categories', 8, 8, true), t('products', 100, 3_000)]).done).to.equal(false);
    expect(backfillResult(config, [t('categories', 8, 8, true)]).done, 'a table missing').to.equal(false);
  });

  it('describes progress in one line', () => {
    expect(describeProgress([t('categories', 8, 8, true), t('products', 2_000, 6_000)])).to.equal('categories 8/8 done (copy); products 2,000/6,000 (copy)');
    expect(describeProgress([])).to.equal('no table started yet');
  });
});
