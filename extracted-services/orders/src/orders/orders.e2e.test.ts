import { expect } from 'chai';
import type { Knex } from 'knex';
import { devServiceAuthSecret, signServiceToken, signUserToken } from '@ficus/common';
import { createHttpClient, createTestDatabase, listenEphemeral, type HttpClient } from '@ficus/common/testing';
import { createOrdersApp } from '../create-app.ts';
import { applyOrdersSchema } from '../db/apply-orders-schema.ts';
import { internalOrderSchema, orderDetailSchema, orderPageSchema } from '../api/orders-api.ts';

const as = (userId: number, role: 'customer' | 'admin') =>
  ({ 'x-ficus-user': signUserToken({ userId, role, exp: Math.floor(Date.now() / 1000) + 300 }, devServiceAuthSecret) });

describe('orders service: saga endpoints and user routes on MariaDB (e2e)', () => {
  let db: { knex: Knex; drop: () => Promise<void> };
  let close: () => Promise<void>;
  let svc: HttpClient;
  let ann: HttpClient;
  let bob: HttpClient;
  let baseUrl: string;
  const order = (userId: number, price = 250) => ({
    userId, customer: { email: `u${userId}@example.com`, name: `User ${userId}` },
    items: [{ productId: 3, sku: 'SKU-3', name: 'Kite', unitPriceCents: price, quantity: 2 }, { productId: 4, sku: 'SKU-4', name: 'Yoyo', unitPriceCents: 99, quantity: 1 }],
  });
  const code = (r: { status: number; body: unknown }) => [r.status, (r.body as { error: { code: string } }).error.code];

  before(async () => {
    db = await createTestDatabase('orders_svc');
    await applyOrdersSchema(db.knex);
    const s = await listenEphemeral(createOrdersApp({ auth: { secrets: [devServiceAuthSecret] } }, db.knex));
    close = s.close;
    baseUrl = s.baseUrl;
    svc = createHttpClient(s.baseUrl, () => ({ 'x-ficus-user': signServiceToken(devServiceAuthSecret) }));
    ann = createHttpClient(s.baseUrl, as(7, 'customer'));
    bob = createHttpClient(s.baseUrl, as(8, 'customer'));
  });
  after(async () => { await close?.(); await db?.drop(); });

  it('runs the saga path: create (201, then 200), mark paid, then the user sees it with the monolith shapes', async () => {
    const created = await svc.put('/internal/orders/saga-a', order(7));
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const o = internalOrderSchema.parse(created.body);
    expect(o).to.deep.include({ status: 'pending', totalCents: 599, itemCount: 3, key: 'saga-a' });
    expect((await svc.put('/internal/orders/saga-a', order(7))).status).to.equal(200);
    expect(orderPageSchema.parse((await ann.get('/api/orders')).body).total).to.equal(0);
    const paid = await svc.post('/internal/orders/saga-a/mark-paid', { charge: { amountCents: 599, gatewayRef: 'ch_1' } });
    expect(internalOrderSchema.parse(paid.body).status).to.equal('paid');
    const page = orderPageSchema.parse((await ann.get('/api/orders')).body);
    expect(page).to.include({ total: 1, page: 1, pageSize: 20, totalPages: 1 });
    const detail = orderDetailSchema.parse((await ann.get(`/api/orders/${o.id}`)).body);
    expect(detail.items.map((i) => i.lineTotalCents)).to.deep.equal([500, 99]);
    expect(detail.payments.map((p) => [p.kind, p.amountCents, p.gatewayRef])).to.deep.equal([['charge', 599, 'ch_1']]);
    expect(code(await bob.get(`/api/orders/${o.id}`))).to.deep.equal([404, 'ORDER_NOT_FOUND']);
  });

  it('creates one order under 10 concurrent creates with the same key', async () => {
    const rs = await Promise.all(Array.from({ length: 10 }, () => svc.put('/internal/orders/saga-dup', order(8))));
    expect(rs.map((r) => r.status).sort()).to.deep.equal([...Array(9).fill(200), 201]);
    expect(await db.knex('orders').where({ order_key: 'saga-dup' })).to.have.length(1);
  });

  it('marks failed and cancelled with their rules, and lists for the saga by status', async () => {
    await svc.put('/internal/orders/saga-f', order(8));
    expect(internalOrderSchema.parse((await svc.post('/internal/orders/saga-f/mark-failed', { code: 'PAYMENT_DECLINED', reason: 'card declined' })).body))
      .to.deep.include({ status: 'failed', failure: { code: 'PAYMENT_DECLINED', reason: 'card declined' } });
    expect(code(await svc.post('/internal/orders/saga-f/mark-paid', { charge: { amountCents: 1, gatewayRef: 'x' } }))).to.deep.equal([409, 'ORDER_INVALID_STATE']);
    expect(code(await svc.post('/internal/orders/saga-a/mark-failed', { code: 'X', reason: '' }))).to.deep.equal([409, 'ORDER_INVALID_STATE']);
    const cancelled = await svc.post('/internal/orders/saga-a/mark-cancelled', { refund: { amountCents: 599, gatewayRef: 're_1' } });
    expect(internalOrderSchema.parse(cancelled.body).cancelledAt).to.be.a('string');
    const failed = (await svc.get('/internal/orders?status=failed')).body as { items: unknown[] };
    expect(failed.items).to.have.length(1);
    expect(orderPageSchema.parse((await bob.get('/api/orders')).body).total).to.equal(0);
  });

  it('answers bad input and missing rights with the monolith codes', async () => {
    expect(code(await createHttpClient(baseUrl).get('/api/orders'))).to.deep.equal([401, 'AUTH_REQUIRED']);
    expect(code(await ann.get('/api/orders?pageSize=0'))).to.deep.equal([400, 'VALIDATION_FAILED']);
    expect(code(await ann.get('/api/orders/abc'))).to.deep.equal([400, 'VALIDATION_FAILED']);
    expect(code(await ann.get('/api/orders/999999'))).to.deep.equal([404, 'ORDER_NOT_FOUND']);
    expect(code(await ann.put('/internal/orders/x', order(7)))).to.deep.equal([403, 'FORBIDDEN']);
    expect(code(await svc.put('/internal/orders/x', { ...order(7), items: [] }))).to.deep.equal([400, 'VALIDATION_FAILED']);
    expect(code(await svc.get('/internal/orders/nope'))).to.deep.equal([404, 'ORDER_NOT_FOUND']);
  });
});
