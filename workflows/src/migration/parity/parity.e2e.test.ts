import { expect } from 'chai';
import { runBackfill } from '../backfill/run-backfill.ts';
import { catalogMigrationDeclaration, createMigrationDatabases, type MigrationDatabases } from '../testing/migration-databases.ts';
import { verifyMigrationParity } from './verify-migration.ts';

// backfill and parity run as a migration worker user of the test's own; the faults are made as root
describe('parity verification and backfill on MariaDB (e2e)', function () {
  this.timeout(120_000);
  let dbs: MigrationDatabases;
  before(async () => { dbs = await createMigrationDatabases('parity', 6_000); });
  after(async () => { await dbs?.drop(); });

  it('backfills by chunked copy, resumes after a crash, and then finds the tables equal', async () => {
    const config = catalogMigrationDeclaration('parity-e2e', { legacy: dbs.names.legacy, service: dbs.names.service });
    // "crash" after two chunks of categories+products: categories (8 rows) finish, products stop half-way
    const first = await runBackfill(config, dbs.worker, { batchRows: 1_000, stopAfterChunks: 2 });
    expect(first.map((t) => [t.table, t.done])).to.deep.equal([['categories', true], ['products', false]]);
    expect(first[1]!.rowsCopied).to.equal(2_000);
    const saved = await dbs.store.backfill('parity-e2e', 'products');
    expect(saved).to.include({ method: 'copy', rowsCopied: 2_000, done: false });
    const progress: number[] = [];
    const second = await runBackfill(config, dbs.worker, { batchRows: 1_000, onProgress: (p) => { if (p.table === 'products') progress.push(p.rowsCopied); } });
    expect(second.map((t) => [t.table, t.done, t.sourceRows])).to.deep.equal([['categories', true, 8], ['products', true, 6_000]]);
    // resumed at the stored position: chunks 3..6 only
    expect(progress).to.deep.equal([3_000, 4_000, 5_000, 6_000, 6_000]);
    const r = await verifyMigrationParity(config, dbs.worker);
    expect(r.clean, JSON.stringify(r.tables.map((t) => t.differences.slice(0, 3)))).to.equal(true);
    expect(r.rowsCompared).to.equal(6_008);
  });

  it('finds a missing row, an extra row and a changed value, down to the column', async () => {
    const config = catalogMigrationDeclaration('parity-e2e', { legacy: dbs.names.legacy, service: dbs.names.service });
    const ids = (await dbs.legacy('products').orderBy('id').pluck('id')) as number[];
    const [missing, changed, changedTime] = [ids[100]!, ids[4_321]!, ids[5_000]!];
    await dbs.serviceWriter('products').where({ id: missing }).delete();
    await dbs.serviceWriter('products').where({ id: changed }).update({ price_cents: 1 });
    await dbs.serviceWriter('products').where({ id: changedTime }).update({ updated_at: new Date(Date.UTC(2001, 0, 1)) });
    const extra = ids[ids.length - 1]! + 10;
    const any = await dbs.service('products').where({ id: ids[0] }).first();
    await dbs.serviceWriter('products').insert({ ...any, id: extra, sku: `EXTRA-${extra}` });
    const legacyPrice = (await dbs.legacy('products').where({ id: changed }).first()).price_cents as number;

    const r = await verifyMigrationParity(config, dbs.worker, { chunkRows: 1_000, drillRows: 100 });
    expect(r.clean).to.equal(false);
    const products = r.tables.find((t) => t.table.startsWith('products'))!;
    expect(products.differencesTotal).to.equal(4);
    expect(products.differences.map((d) => [d.kind, d.key])).to.deep.equal([['missing', missing], ['changed', changed], ['changed', changedTime], ['extra', extra]]);
    expect(products.differences[1]!.columns).to.deep.equal([{ column: 'price_cents', legacy: String(legacyPrice), service: '1' }]);
    expect(products.differences[2]!.columns!.map((c) => c.column)).to.deep.equal(['updated_at']);
    expect(products.differences[2]!.columns![0]!.service).to.equal('2001-01-01 00:00:00.000000');
    expect(r.tables.find((t) => t.table.startsWith('categories'))!.clean).to.equal(true);

    // a backfill from scratch repairs the changed and missing rows (the extra row is the service's own)
    await runBackfill(config, dbs.worker, { restart: true, batchRows: 2_000 });
    const after = await verifyMigrationParity(config, dbs.worker);
    expect(after.tables.find((t) => t.table.startsWith('products'))!.differences.map((d) => [d.kind, d.key])).to.deep.equal([['extra', extra]]);
  });
});
