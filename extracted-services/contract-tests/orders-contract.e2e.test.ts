import { expect } from 'chai';
import { devServiceAuthSecret } from '@ficus/common';
import { createOrdersApp, applyOrdersSchema } from '@ficus/orders-service';
import { copyRows, expectSameResponse, serviceClientFor, startLegacyReference, startServiceUnderTest, type LegacyReference } from './contract-harness.ts';
import { loadOrdersFromLegacy } from './legacy-mappings.ts';

describe('contract: orders service answers the order list and view like the monolith (e2e)', () => {
  let legacy: LegacyReference;
  let orders: Awaited<ReturnType<typeof startServiceUnderTest>>;
  let customers: Array<{ id: number; email: string; orders: number }>;

  before(async function () {
    this.timeout(60_000);
    legacy = await startLegacyReference();
    orders = await startServiceUnderTest('contract_orders', applyOrdersSchema, (knex) => createOrdersApp({ auth: { secrets: [devServiceAuthSecret] } }, knex));
    await loadOrdersFromLegacy(legacy.knex, orders.knex, copyRows);
    customers = (await legacy.knex('users as u').join('orders as o', 'o.user_id', 'u.id').groupBy('u.id', 'u.email')
      .orderByRaw('count(*) desc').limit(3).select('u.id', 'u.email', legacy.knex.raw('count(*) as orders')))
      .map((r: { id: number; email: string; orders: number }) => ({ id: Number(r.id), email: r.email, orders: Number(r.orders) }));
  });
  after(async () => { await orders?.close(); await legacy?.close(); });

  it('lists a customer\'s orders newest first, page by page, the same way', async () => {
    expect(customers[0]!.orders).to.be.greaterThan(5);
    for (const c of customers) {
      const l = await legacy.login(c.email, 'ficus-demo');
      const s = serviceClientFor(orders.baseUrl, { id: c.id, role: 'customer' });
      for (const q of ['', '?pageSize=3', '?pageSize=3&page=2', '?page=50', '?pageSize=100']) await expectSameResponse(l, s, 'GET', `/api/orders${q}`);
    }
  });

  it('shows order details (items, customer, payments incl. refunds) the same way, and hides others\' orders', async () => {
    const c = customers[0]!;
    const l = await legacy.login(c.email, 'ficus-demo');
    const s = serviceClientFor(orders.baseUrl, { id: c.id, role: 'customer' });
    const own = await legacy.knex('orders').where({ user_id: c.id }).orderBy('id').pluck('id');
    for (const id of own) await expectSameResponse(l, s, 'GET', `/api/orders/${id}`);
    const cancelled = await legacy.knex('orders').where({ status: 'cancelled' }).first('id', 'user_id');
    const [other] = await legacy.knex('orders').whereNot({ user_id: c.id }).limit(1).pluck('id');
    await expectSameResponse(l, s, 'GET', `/api/orders/${other}`);
    const la = await legacy.login('admin@ficus.local', 'ficus-admin');
    const sa = serviceClientFor(orders.baseUrl, { id: 1, role: 'admin' });
    await expectSameResponse(la, sa, 'GET', `/api/orders/${other}`);
    if (cancelled) await expectSameResponse(la, sa, 'GET', `/api/orders/${cancelled.id}`);
    expect(cancelled, 'the fixture has a cancelled order').to.not.equal(undefined);
  });

  it('refuses bad input and anonymous callers the same way', async () => {
    const c = customers[0]!;
    const l = await legacy.login(c.email, 'ficus-demo');
    const s = serviceClientFor(orders.baseUrl, { id: c.id, role: 'customer' });
    for (const p of ['/api/orders?pageSize=101', '/api/orders?page=0', '/api/orders/abc', '/api/orders/0', '/api/orders/999999']) {
      await expectSameResponse(l, s, 'GET', p);
    }
    await expectSameResponse(legacy.anonymous(), serviceClientFor(orders.baseUrl), 'GET', '/api/orders');
    await expectSameResponse(legacy.anonymous(), serviceClientFor(orders.baseUrl), 'GET', '/api/orders/1');
  });
});
