import { expect } from 'chai';
import { createTestDatabase, withSessionCounters } from '@ficus/common/testing';
import { createCatalogStore } from './catalog-store.ts';
import { seedLegacy } from '../seed/seed-legacy.ts';
import type { ProductQuery } from './catalog-types.ts';

// The product list is the monolith's busiest read. With table statistics in place (ANALYZE TABLE,
// or InnoDB's own background recalculation after seeding) MariaDB once chose to start from the
// categories and sort every product for each page: 10x the database CPU per request.
describe('catalog store: the product list reads one page from an index (MariaDB, seeded "small")', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const newest: ProductQuery = { page: 1, pageSize: 20, sort: 'newest' };

  before(async function () {
    this.timeout(120_000);
    db = await createTestDatabase('catalog_plan');
    await seedLegacy(db.knex, { profile: 'small', seed: 7 });
    await db.knex.raw('ANALYZE TABLE products, categories');
  });
  after(async () => { await db?.drop(); });

  it('pages newest first without sorting or a temporary table, and with the right rows', async () => {
    const { result, moved } = await withSessionCounters(db.knex, (trx) => createCatalogStore(trx).listProducts(newest));
    expect(moved.Sort_rows, 'rows sorted').to.equal(0);
    expect(moved.Created_tmp_tables, 'temporary tables').to.equal(0);
    const expected = await db.knex('products').orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(20).pluck('id');
    expect(result.items.map((p) => p.id)).to.deep.equal(expected);
    expect(result.total).to.equal(2_000);
  });
});
