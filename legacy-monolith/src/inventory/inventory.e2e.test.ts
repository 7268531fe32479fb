import { expect } from 'chai';
import { startLegacyTestApp, type LegacyTestApp } from '../testing/legacy-test-app.ts';
import type { HttpClient } from '../testing/http-client.ts';
import { expectError, expectOk } from '../testing/expect-api.ts';
import { categorySchema, productDetailSchema } from '../contract/catalog-contract.ts';
import { adjustmentListSchema, adjustmentSchema, stockSchema } from '../contract/inventory-contract.ts';

describe('inventory: stock and admin adjustments (e2e)', () => {
  let t: LegacyTestApp;
  let admin: HttpClient;
  let adminId: number;
  let customer: HttpClient;
  let productId: number;

  before(async () => {
    t = await startLegacyTestApp('inventory');
    const a = await t.signUp({ admin: true });
    admin = a.http;
    adminId = a.id;
    customer = (await t.signUp()).http;
    const cat = expectOk(await admin.post('/api/categories', { name: 'Tools', slug: 'tools' }), 201, categorySchema);
    productId = expectOk(await admin.post('/api/products', { sku: 'HAM-1', name: 'Hammer', priceCents: 1200, categoryId: cat.id, initialStock: 3 }), 201, productDetailSchema).id;
  });
  after(async () => { await t?.close(); });

  it('shows the stock of a product to admins', async () => {
    expect(expectOk(await admin.get(`/api/inventory/${productId}`), 200, stockSchema)).to.include({ productId, quantity: 3 });
  });

  it('adjusts stock with a reason and records who did it', async () => {
    const a = expectOk(await admin.post(`/api/inventory/${productId}/adjustments`, { delta: 7, reason: 'delivery from supplier' }), 201, adjustmentSchema);
    expect(a).to.include({ productId, delta: 7, quantityAfter: 10, reason: 'delivery from supplier', adminUserId: adminId });
    expectOk(await admin.post(`/api/inventory/${productId}/adjustments`, { delta: -2, reason: 'damaged in store' }), 201, adjustmentSchema);
    expect(expectOk(await admin.get(`/api/inventory/${productId}`), 200, stockSchema).quantity).to.equal(8);
    expect(expectOk(await t.client().get(`/api/products/${productId}`), 200, productDetailSchema).stock).to.equal(8);
    const list = expectOk(await admin.get(`/api/inventory/${productId}/adjustments?limit=1`), 200, adjustmentListSchema);
    expect(list.items.map((i) => i.reason)).to.deep.equal(['damaged in store']);
  });

  it('refuses an adjustment below zero with INVENTORY_OUT_OF_RANGE and changes nothing', async () => {
    const before = await t.knex('inventory_adjustments').count({ n: '*' }).first();
    expectError(await admin.post(`/api/inventory/${productId}/adjustments`, { delta: -1000, reason: 'stocktake' }), 409, 'INVENTORY_OUT_OF_RANGE');
    expect(expectOk(await admin.get(`/api/inventory/${productId}`), 200, stockSchema).quantity).to.equal(8);
    expect((await t.knex('inventory_adjustments').count({ n: '*' }).first())?.n).to.equal(before?.n);
  });

  it('validates adjustments: non-zero integer delta and a reason', async () => {
    for (const body of [{ delta: 0, reason: 'nothing' }, { delta: 1 }, { delta: 1.5, reason: 'half' }, { delta: 1, reason: '' }]) {
      expectError(await admin.post(`/api/inventory/${productId}/adjustments`, body), 400, 'VALIDATION_FAILED');
    }
    expectError(await admin.get(`/api/inventory/${productId}/adjustments?limit=0`), 400, 'VALIDATION_FAILED');
  });

  it('answers PRODUCT_NOT_FOUND for unknown products', async () => {
    expectError(await admin.get('/api/inventory/999999'), 404, 'PRODUCT_NOT_FOUND');
    expectError(await admin.get('/api/inventory/999999/adjustments'), 404, 'PRODUCT_NOT_FOUND');
    expectError(await admin.post('/api/inventory/999999/adjustments', { delta: 1, reason: 'found one' }), 404, 'PRODUCT_NOT_FOUND');
  });

  it('is admin only', async () => {
    expectError(await customer.get(`/api/inventory/${productId}`), 403, 'FORBIDDEN');
    expectError(await customer.get(`/api/inventory/${productId}/adjustments`), 403, 'FORBIDDEN');
    expectError(await customer.post(`/api/inventory/${productId}/adjustments`, { delta: 5, reason: 'sneaky' }), 403, 'FORBIDDEN');
    expectError(await t.client().get(`/api/inventory/${productId}`), 401, 'AUTH_REQUIRED');
  });
});
