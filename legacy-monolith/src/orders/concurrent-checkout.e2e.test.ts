import { expect } from 'chai';
import { startLegacyTestApp, type LegacyTestApp } from '../testing/legacy-test-app.ts';
import { createProducts } from '../testing/catalog-fixture.ts';
import { createHttpClient } from '../testing/http-client.ts';

describe('concurrent checkouts never oversell (e2e)', () => {
  let t: LegacyTestApp;
  before(async () => { t = await startLegacyTestApp('oversell'); });
  after(async () => { await t?.close(); });

  for (const latencyMs of [0, 10]) it(`50 parallel orders on a stock of 10 (gateway latency ${latencyMs} ms): exactly 10 succeed, stock ends at 0, 40 get ORDER_OUT_OF_STOCK`, async () => {
    const app = await t.startApp({ gateway: { declineRate: 0, latencyMs } });
    // Children first, so foreign keys hold while the previous run's orders go.
    for (const table of ['payments', 'notifications', 'order_items', 'orders']) await t.knex(table).delete();
    const admin = (await t.signUp({ admin: true })).http;
    const [productId] = (await createProducts(admin, [{ priceCents: 500, stock: 10 }])) as [number];
    const buyers = await Promise.all(Array.from({ length: 50 }, () => t.signUp()));
    await Promise.all(buyers.map((b) => b.http.post('/api/cart/items', { productId, quantity: 1 })));

    const results = await Promise.all(buyers.map((b) => {
      const viaApp = createHttpClient(app.baseUrl);
      for (const [k, v] of b.http.cookies) viaApp.cookies.set(k, v);
      return viaApp.post('/api/orders');
    }));
    const statuses = results.map((r) => r.status);
    const codes = results.filter((r) => r.status !== 201).map((r) => (r.body as { error: { code: string } }).error.code);

    expect(statuses.filter((s) => s === 201)).to.have.length(10);
    expect(statuses.filter((s) => s === 409)).to.have.length(40);
    expect(new Set(codes)).to.deep.equal(new Set(['ORDER_OUT_OF_STOCK']));
    expect((await t.knex('inventory').where({ product_id: productId }).first()).quantity).to.equal(0);
    const sold = await t.knex('order_items').where({ product_id: productId }).sum({ n: 'quantity' }).first();
    expect(Number(sold?.n)).to.equal(10);
    expect((await t.knex('orders')).length).to.equal(10);
    expect((await t.knex('payments')).length).to.equal(10);
  });
});
