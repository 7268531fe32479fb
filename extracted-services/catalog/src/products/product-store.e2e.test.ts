import { expect } from 'chai';
import { createTestDatabase, withSessionCounters } from '@ficus/common/testing';
import { createProductStore } from './product-store.ts';
import { applyCatalogSchema } from '../db/apply-catalog-schema.ts';

// As in the monolith: with table statistics in place MariaDB would start from the categories and
// sort every product for each page unless the products drive the join. Rows carry a realistic
// description: with near-empty rows the optimizer rightly prefers scanning the whole small table.
describe('catalog service store: the product list reads one page from an index (MariaDB, 2,000 products)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;

  before(async function () {
    this.timeout(60_000);
    db = await createTestDatabase('catalog_svc_plan');
    await applyCatalogSchema(db.knex);
    await db.knex('categories').insert(Array.from({ length: 12 }, (_, i) => ({ id: i + 1, slug: `c${i + 1}`, name: `Category ${i + 1}` })));
    const start = Date.UTC(2025, 0, 1);
    await db.knex.batchInsert('products', Array.from({ length: 2_000 }, (_, i) => ({
      id: i + 1, sku: `SKU-${i + 1}`, name: `Product ${(i * 7919) % 2_000}`, description: `Product ${i + 1}: sturdy, light and made to last, with a two-year warranty and free returns`, price_cents: 100 + ((i * 31) % 5_000),
      category_id: (i % 12) + 1, created_at: new Date(start + ((i * 104_729) % 2_000) * 60_000), updated_at: new Date(start),
    })), 500);
    await db.knex.raw('ANALYZE TABLE products, categories');
  });
  after(async () => { await db?.drop(); });

  for (const sort of ['newest', 'price_asc', 'name_asc'] as const) {
    it(`reads the first page by ${sort} without sorting or a temporary table, and with the right rows`, async () => {
      const { result, moved } = await withSessionCounters(db.knex, (trx) => createProductStore(trx).listProducts({ page: 1, pageSize: 20, sort }));
      expect(moved.Sort_rows, 'rows sorted').to.equal(0);
      expect(moved.Created_tmp_tables, 'temporary tables').to.equal(0);
      const order = { newest: [{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }], price_asc: [{ column: 'price_cents' }, { column: 'id' }], name_asc: [{ column: 'name' }, { column: 'id' }] }[sort];
      expect(result.items.map((p) => p.id)).to.deep.equal(await db.knex('products').orderBy(order).limit(20).pluck('id'));
      expect(result.total).to.equal(2_000);
    });
  }
});
