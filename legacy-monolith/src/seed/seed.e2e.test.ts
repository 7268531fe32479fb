import { expect } from 'chai';
import type { Knex } from 'knex';
import { createTestDatabase } from '@ficus/common/testing';
import { seedLegacy } from './seed-legacy.ts';
import { seedAccounts, type SeedProfile } from './seed-profiles.ts';
import { startLegacyTestApp } from '../testing/legacy-test-app.ts';

const tiny: SeedProfile = { categories: 5, products: 300, users: 50, orders: 600, cartUsers: 10, batchRows: 100 };
const tables = ['categories', 'products', 'inventory', 'users', 'cart_items', 'orders', 'order_items', 'payments', 'notifications'];

const checksums = async (knex: Knex) => {
  const out: Record<string, unknown> = {};
  for (const t of tables) out[t] = ((await knex.raw('CHECKSUM TABLE ??', [t])) as [Array<{ Checksum: number }>])[0][0]?.Checksum;
  return out;
};

describe('seed generator (e2e)', () => {
  it('is deterministic for a seed, differs across seeds, and counts every row it writes', async () => {
    const [a, b, c] = await Promise.all([createTestDatabase('seed_a'), createTestDatabase('seed_b'), createTestDatabase('seed_c')]);
    try {
      const progress: number[] = [];
      const ra = await seedLegacy(a.knex, { profile: tiny, seed: 42, onProgress: (p) => progress.push(p.rows) });
      await seedLegacy(b.knex, { profile: tiny, seed: 42 });
      await seedLegacy(c.knex, { profile: tiny, seed: 43 });
      expect(await checksums(a.knex)).to.deep.equal(await checksums(b.knex));
      expect((await checksums(a.knex)).products).to.not.equal((await checksums(c.knex)).products);
      expect(ra.rows).to.include({ products: 300, inventory: 300, users: 51, orders: 600, categories: 5 });
      expect(ra.totalRows).to.equal(Object.values(ra.rows).reduce((x, y) => x + y, 0));
      expect(progress.at(-1)).to.equal(ra.totalRows);
      const sums = await a.knex.raw('SELECT COUNT(*) AS bad FROM orders o WHERE o.total_cents <> (SELECT SUM(quantity * unit_price_cents) FROM order_items WHERE order_id = o.id)');
      expect(Number((sums as [Array<{ bad: number }>])[0][0]?.bad)).to.equal(0);
      await seedLegacy(a.knex, { profile: tiny, seed: 42 });
      expect(await checksums(a.knex)).to.deep.equal(await checksums(b.knex));
    } finally {
      await Promise.all([a.drop(), b.drop(), c.drop()]);
    }
  });

  it('makes accounts that can log in and data the API serves', async () => {
    const t = await startLegacyTestApp('seed_api');
    try {
      await seedLegacy(t.knex, { profile: tiny, seed: 5 });
      const admin = t.client();
      expect((await admin.post('/api/auth/login', seedAccounts.admin)).status).to.equal(200);
      expect(((await admin.get('/api/me')).body as { role: string }).role).to.equal('admin');
      const email = (await t.knex('users').where({ id: 2 }).first()).email as string;
      const customer = t.client();
      expect((await customer.post('/api/auth/login', { email, password: seedAccounts.customerPassword })).status).to.equal(200);
      expect(((await customer.get('/api/orders')).body as { total: number }).total).to.be.a('number');
      expect(((await t.client().get('/api/products?pageSize=5')).body as { total: number }).total).to.equal(300);
      expect((await customer.post('/api/cart/items', { productId: 1 })).status).to.equal(200);
    } finally {
      await t.close();
    }
  });
});
