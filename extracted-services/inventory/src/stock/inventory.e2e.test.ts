import { expect } from 'chai';
import type { Knex } from 'knex';
import { devServiceAuthSecret, signServiceToken, signUserToken, waitFor } from '@ficus/common';
import { createHttpClient, createTestDatabase, listenEphemeral, type HttpClient } from '@ficus/common/testing';
import { createInventoryApp } from '../create-app.ts';
import { applyInventorySchema } from '../db/apply-inventory-schema.ts';
import { reservationSchema, stockLevelSchema, stockSchema, adjustmentSchema } from '../api/inventory-api.ts';

const user = (userId: number, role: 'customer' | 'admin') =>
  ({ 'x-ficus-user': signUserToken({ userId, role, exp: Math.floor(Date.now() / 1000) + 300 }, devServiceAuthSecret) });

describe('inventory service: stock, reservations and admin adjustments on MariaDB (e2e)', () => {
  let db: { knex: Knex; drop: () => Promise<void> };
  let close: () => Promise<void>;
  let svc: HttpClient;
  let admin: HttpClient;
  let customer: HttpClient;
  let sweep: () => Promise<number>;
  let baseUrl: string;

  before(async () => {
    db = await createTestDatabase('inventory_svc');
    await applyInventorySchema(db.knex);
    const app = createInventoryApp({ reservation: { defaultTtlSeconds: 60, maxTtlSeconds: 600 }, auth: { secrets: [devServiceAuthSecret] } }, db.knex);
    sweep = () => app.inventory.expireDue();
    const s = await listenEphemeral(app);
    close = s.close;
    baseUrl = s.baseUrl;
    svc = createHttpClient(s.baseUrl, () => ({ 'x-ficus-user': signServiceToken(devServiceAuthSecret) }));
    admin = createHttpClient(s.baseUrl, user(1, 'admin'));
    customer = createHttpClient(s.baseUrl, user(2, 'customer'));
  });
  after(async () => { await close?.(); await db?.drop(); });

  const setStock = async (productId: number, onHand: number) => {
    const r = await svc.put(`/internal/stock/${productId}`, { onHand });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    return stockLevelSchema.parse(r.body);
  };

  it('guards internal routes with the service role', async () => {
    expect((await createHttpClient(baseUrl).get('/internal/stock/1')).status).to.equal(401);
    expect((await customer.get('/internal/stock/1')).status).to.equal(403);
  });

  it('sets and reads stock levels, one or many', async () => {
    await setStock(101, 7);
    await setStock(102, 3);
    expect(stockLevelSchema.parse((await svc.get('/internal/stock/101')).body)).to.include({ onHand: 7, reserved: 0, available: 7 });
    const batch = (await svc.get('/internal/stock?productIds=102,101,999')).body as { items: Array<{ productId: number }> };
    expect(batch.items.map((i) => i.productId)).to.deep.equal([101, 102]);
    expect(((await svc.get('/internal/stock/999')).body as { error: { code: string } }).error.code).to.equal('PRODUCT_NOT_FOUND');
  });

  it('reserves idempotently by key: 201 then 200 with the same reservation, 409 for other items', async () => {
    await setStock(201, 5);
    const body = { items: [{ productId: 201, quantity: 2 }], reference: 'order-x' };
    const first = await svc.put('/internal/reservations/saga-1-reserve', body);
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    const again = await svc.put('/internal/reservations/saga-1-reserve', body);
    expect(again.status).to.equal(200);
    expect(again.body).to.deep.equal(first.body);
    expect(reservationSchema.parse(first.body)).to.include({ status: 'held', reference: 'order-x' });
    const other = await svc.put('/internal/reservations/saga-1-reserve', { items: [{ productId: 201, quantity: 1 }] });
    expect([other.status, (other.body as { error: { code: string } }).error.code]).to.deep.equal([409, 'IDEMPOTENCY_KEY_REUSED']);
    const short = await svc.put('/internal/reservations/saga-2-reserve', { items: [{ productId: 201, quantity: 4 }] });
    expect(short.status).to.equal(409);
    expect((short.body as { error: unknown }).error).to.deep.include({ code: 'INSUFFICIENT_STOCK', details: { productId: 201, requested: 4, available: 3 } });
    expect(((await svc.post('/internal/reservations/saga-1-reserve/confirm')).body as { status: string }).status).to.equal('confirmed');
    expect(stockLevelSchema.parse((await svc.get('/internal/stock/201')).body)).to.include({ onHand: 3, reserved: 0, available: 3 });
    expect(((await svc.post('/internal/reservations/saga-1-reserve/restock')).body as { status: string }).status).to.equal('restocked');
    expect(stockLevelSchema.parse((await svc.get('/internal/stock/201')).body)).to.include({ onHand: 5 });
  });

  it('never oversells: 50 parallel holds of 1 unit on stock 10 give exactly 10', async () => {
    await setStock(301, 10);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => svc.put(`/internal/reservations/race-${i}`, { items: [{ productId: 301, quantity: 1 }] })));
    expect(results.filter((r) => r.status !== 201 && r.status !== 409).map((r) => r.body)).to.deep.equal([]);
    expect(results.filter((r) => r.status === 201)).to.have.length(10);
    expect(results.filter((r) => r.status === 409)).to.have.length(40);
    expect(stockLevelSchema.parse((await svc.get('/internal/stock/301')).body)).to.include({ onHand: 10, reserved: 10, available: 0 });
    const same = await Promise.all(Array.from({ length: 8 }, () => svc.put('/internal/reservations/dup-key', { items: [{ productId: 201, quantity: 1 }] })));
    expect(same.map((r) => r.status).sort()).to.deep.equal([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(await db.knex('reservations').where({ reservation_key: 'dup-key' })).to.have.length(1);
  });

  it('expires holds past their time and gives the units back', async () => {
    await setStock(401, 2);
    expect((await svc.put('/internal/reservations/short-hold', { items: [{ productId: 401, quantity: 2 }], ttlSeconds: 1 })).status).to.equal(201);
    await waitFor(async () => (await sweep()) > 0 || ((await svc.get('/internal/reservations/short-hold')).body as { status: string }).status === 'expired',
      { timeoutMs: 5_000, what: 'the hold to expire' });
    expect(((await svc.get('/internal/reservations/short-hold')).body as { status: string }).status).to.equal('expired');
    expect(stockLevelSchema.parse((await svc.get('/internal/stock/401')).body)).to.include({ reserved: 0, available: 2 });
    const c = await svc.post('/internal/reservations/short-hold/confirm');
    expect([c.status, (c.body as { error: { code: string } }).error.code]).to.deep.equal([409, 'RESERVATION_INVALID_STATE']);
  });

  it('serves the monolith admin routes: stock, adjustments, with its codes', async () => {
    await setStock(501, 4);
    expect(stockSchema.parse((await admin.get('/api/inventory/501')).body)).to.include({ productId: 501, quantity: 4 });
    const adj = await admin.post('/api/inventory/501/adjustments', { delta: -1, reason: 'broken in transit' });
    expect(adjustmentSchema.parse(adj.body)).to.include({ delta: -1, quantityAfter: 3, adminUserId: 1 });
    expect(((await admin.get('/api/inventory/501/adjustments')).body as { items: unknown[] }).items).to.have.length(1);
    const code = (r: { status: number; body: unknown }) => [r.status, (r.body as { error: { code: string } }).error.code];
    expect(code(await admin.post('/api/inventory/501/adjustments', { delta: -10, reason: 'too many' }))).to.deep.equal([409, 'INVENTORY_OUT_OF_RANGE']);
    expect(code(await admin.post('/api/inventory/501/adjustments', { delta: 0, reason: 'zero' }))).to.deep.equal([400, 'VALIDATION_FAILED']);
    expect(code(await admin.get('/api/inventory/999999'))).to.deep.equal([404, 'PRODUCT_NOT_FOUND']);
    expect(code(await customer.get('/api/inventory/501'))).to.deep.equal([403, 'FORBIDDEN']);
  });
});
