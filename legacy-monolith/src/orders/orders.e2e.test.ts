import { expect } from 'chai';
import { startLegacyTestApp, type LegacyTestApp } from '../testing/legacy-test-app.ts';
import type { HttpClient } from '../testing/http-client.ts';
import { expectError, expectOk } from '../testing/expect-api.ts';
import { createProducts } from '../testing/catalog-fixture.ts';
import { cartSchema } from '../contract/cart-contract.ts';
import { orderDetailSchema, orderPageSchema } from '../contract/order-contract.ts';

describe('checkout and orders: one transaction, own orders, cancel (e2e)', () => {
  let t: LegacyTestApp;
  let admin: HttpClient;

  before(async () => {
    t = await startLegacyTestApp('orders');
    admin = (await t.signUp({ admin: true })).http;
  });
  after(async () => { await t?.close(); });

  const stockOf = async (productId: number) => (await t.knex('inventory').where({ product_id: productId }).first()).quantity as number;
  const counts = async () => {
    const n = async (table: string) => Number((await t.knex(table).count({ n: '*' }).first())?.n);
    return { orders: await n('orders'), items: await n('order_items'), payments: await n('payments'), notifications: await n('notifications') };
  };

  it('places an order: stock down, prices of the moment, charge, outbox email, empty cart', async () => {
    const [a, b] = (await createProducts(admin, [{ priceCents: 1000, stock: 5 }, { priceCents: 250, stock: 3 }])) as [number, number];
    const { http, id: userId, email } = await t.signUp();
    await http.post('/api/cart/items', { productId: a, quantity: 2 });
    await http.post('/api/cart/items', { productId: b, quantity: 3 });
    const order = expectOk(await http.post('/api/orders'), 201, orderDetailSchema);
    expect(order).to.deep.include({ status: 'paid', totalCents: 2750, itemCount: 5, cancelledAt: null });
    expect(order.customer).to.deep.include({ id: userId, email });
    expect(order.items.map((i) => [i.productId, i.quantity, i.unitPriceCents, i.lineTotalCents])).to.deep.equal([[a, 2, 1000, 2000], [b, 3, 250, 750]]);
    expect(order.payments).to.have.length(1);
    expect(order.payments[0]).to.include({ kind: 'charge', status: 'succeeded', amountCents: 2750 });
    expect([await stockOf(a), await stockOf(b)]).to.deep.equal([3, 0]);
    expect(expectOk(await http.get('/api/cart'), 200, cartSchema).items).to.deep.equal([]);
    const mail = await t.knex('notifications').where({ order_id: order.id }).first();
    expect(mail).to.include({ template: 'order_placed', recipient: email, status: 'pending', channel: 'email' });

    await admin.patch(`/api/products/${a}`, { priceCents: 9999 });
    const again = expectOk(await http.get(`/api/orders/${order.id}`), 200, orderDetailSchema);
    expect(again.items[0]?.unitPriceCents).to.equal(1000);
    expect(again.totalCents).to.equal(2750);
  });

  it('answers CART_EMPTY for an empty cart', async () => {
    const { http } = await t.signUp();
    expectError(await http.post('/api/orders'), 409, 'CART_EMPTY');
  });

  it('answers ORDER_OUT_OF_STOCK naming the product and writes nothing', async () => {
    const [a, b] = (await createProducts(admin, [{ priceCents: 100, stock: 10 }, { priceCents: 100, stock: 1 }])) as [number, number];
    const { http } = await t.signUp();
    await http.post('/api/cart/items', { productId: a, quantity: 1 });
    await http.post('/api/cart/items', { productId: b, quantity: 2 });
    const before = await counts();
    const err = expectError(await http.post('/api/orders'), 409, 'ORDER_OUT_OF_STOCK');
    expect(err.details).to.deep.equal({ productId: b, requested: 2, available: 1 });
    expect(await counts()).to.deep.equal(before);
    expect([await stockOf(a), await stockOf(b)]).to.deep.equal([10, 1]);
    expect(expectOk(await http.get('/api/cart'), 200, cartSchema).itemCount).to.equal(3);
  });

  it('answers PAYMENT_DECLINED when the gateway declines and rolls everything back', async () => {
    const declining = await t.startApp({ gateway: { declineRate: 1, latencyMs: 5 } });
    try {
      const [a] = (await createProducts(admin, [{ priceCents: 700, stock: 4 }])) as [number];
      const { http } = await t.signUp();
      await http.post('/api/cart/items', { productId: a, quantity: 2 });
      const before = await counts();
      const res = await fetch(`${declining.baseUrl}/api/orders`, { method: 'POST', headers: { cookie: `ficus_session=${http.cookies.get('ficus_session')}` } });
      expect(res.status).to.equal(402);
      expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('PAYMENT_DECLINED');
      expect(await counts()).to.deep.equal(before);
      expect(await stockOf(a)).to.equal(4);
      expect(expectOk(await http.get('/api/cart'), 200, cartSchema).itemCount).to.equal(2);
    } finally {
      await declining.close();
    }
  });

  it('lists only one\'s own orders, newest first, in pages', async () => {
    const [a] = (await createProducts(admin, [{ priceCents: 100, stock: 100 }])) as [number];
    const { http } = await t.signUp();
    const other = await t.signUp();
    const placed: number[] = [];
    for (let i = 1; i <= 3; i++) {
      await http.post('/api/cart/items', { productId: a, quantity: i });
      placed.push(expectOk(await http.post('/api/orders'), 201, orderDetailSchema).id);
    }
    await other.http.post('/api/cart/items', { productId: a, quantity: 1 });
    await other.http.post('/api/orders');
    const p1 = expectOk(await http.get('/api/orders?pageSize=2'), 200, orderPageSchema);
    expect(p1).to.include({ page: 1, pageSize: 2, total: 3, totalPages: 2 });
    expect(p1.items.map((o) => [o.id, o.itemCount])).to.deep.equal([[placed[2], 3], [placed[1], 2]]);
    const p2 = expectOk(await http.get('/api/orders?pageSize=2&page=2'), 200, orderPageSchema);
    expect(p2.items.map((o) => o.id)).to.deep.equal([placed[0]]);
    expectError(await http.get('/api/orders?pageSize=0'), 400, 'VALIDATION_FAILED');
  });

  it('hides other customers\' orders as ORDER_NOT_FOUND; admins may see them', async () => {
    const [a] = (await createProducts(admin, [{ priceCents: 100, stock: 5 }])) as [number];
    const owner = await t.signUp();
    await owner.http.post('/api/cart/items', { productId: a });
    const order = expectOk(await owner.http.post('/api/orders'), 201, orderDetailSchema);
    const stranger = await t.signUp();
    expectError(await stranger.http.get(`/api/orders/${order.id}`), 404, 'ORDER_NOT_FOUND');
    expectError(await stranger.http.post(`/api/orders/${order.id}/cancel`), 404, 'ORDER_NOT_FOUND');
    expect(expectOk(await admin.get(`/api/orders/${order.id}`), 200, orderDetailSchema).customer.id).to.equal(owner.id);
    expectError(await owner.http.get('/api/orders/999999'), 404, 'ORDER_NOT_FOUND');
    expectError(await owner.http.get('/api/orders/1.5'), 400, 'VALIDATION_FAILED');
  });

  it('cancels a paid order: restock, refund, email; a second cancel is ORDER_NOT_CANCELLABLE', async () => {
    const [a] = (await createProducts(admin, [{ priceCents: 1234, stock: 6 }])) as [number];
    const { http, email } = await t.signUp();
    await http.post('/api/cart/items', { productId: a, quantity: 4 });
    const order = expectOk(await http.post('/api/orders'), 201, orderDetailSchema);
    expect(await stockOf(a)).to.equal(2);
    const cancelled = expectOk(await http.post(`/api/orders/${order.id}/cancel`), 200, orderDetailSchema);
    expect(cancelled.status).to.equal('cancelled');
    expect(cancelled.cancelledAt).to.be.a('string');
    expect(cancelled.payments.map((p) => [p.kind, p.amountCents])).to.deep.equal([['charge', 4936], ['refund', 4936]]);
    expect(await stockOf(a)).to.equal(6);
    expect(await t.knex('notifications').where({ order_id: order.id, template: 'order_cancelled', recipient: email }).first()).to.not.equal(undefined);
    expectError(await http.post(`/api/orders/${order.id}/cancel`), 409, 'ORDER_NOT_CANCELLABLE');
    expect(await stockOf(a)).to.equal(6);
    expect((await t.knex('payments').where({ order_id: order.id })).length).to.equal(2);
  });

  it('needs a session for every order endpoint', async () => {
    const anon = t.client();
    expectError(await anon.post('/api/orders'), 401, 'AUTH_REQUIRED');
    expectError(await anon.get('/api/orders'), 401, 'AUTH_REQUIRED');
    expectError(await anon.get('/api/orders/1'), 401, 'AUTH_REQUIRED');
    expectError(await anon.post('/api/orders/1/cancel'), 401, 'AUTH_REQUIRED');
  });
});
