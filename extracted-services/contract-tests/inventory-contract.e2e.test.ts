import { expect } from 'chai';
import { devServiceAuthSecret } from '@ficus/common';
import { type HttpClient } from '@ficus/common/testing';
import { createInventoryApp, applyInventorySchema } from '@ficus/inventory-service';
import { copyRows, expectSameResponse, serviceClientFor, startLegacyReference, startServiceUnderTest, type LegacyReference } from './contract-harness.ts';
import { loadInventoryFromLegacy } from './legacy-mappings.ts';

describe('contract: inventory service answers the admin stock routes like the monolith (e2e)', () => {
  let legacy: LegacyReference;
  let inventory: Awaited<ReturnType<typeof startServiceUnderTest>>;
  let la: HttpClient;
  let sa: HttpClient;
  const fixed = new Date(Math.floor(Date.now() / 1000) * 1000);
  const clock = () => fixed;

  before(async function () {
    this.timeout(60_000);
    legacy = await startLegacyReference({ clock });
    inventory = await startServiceUnderTest('contract_inventory', applyInventorySchema,
      (knex) => createInventoryApp({ reservation: { defaultTtlSeconds: 60, maxTtlSeconds: 600 }, auth: { secrets: [devServiceAuthSecret] } }, knex, { clock }));
    await loadInventoryFromLegacy(legacy.knex, inventory.knex, copyRows);
    la = await legacy.login('admin@ficus.local', 'ficus-admin');
    sa = serviceClientFor(inventory.baseUrl, { id: 1, role: 'admin' });
  });
  after(async () => { await inventory?.close(); await legacy?.close(); });

  it('reads stock levels the same way, including out-of-stock products', async () => {
    const [empty] = await legacy.knex('inventory').where({ quantity: 0 }).limit(1);
    for (const id of [1, 2, 50, 240, empty?.product_id ?? 3]) await expectSameResponse(la, sa, 'GET', `/api/inventory/${id}`);
  });

  it('adjusts stock and lists adjustments the same way, newest first', async () => {
    const first = await expectSameResponse(la, sa, 'POST', '/api/inventory/7/adjustments', { delta: 5, reason: 'delivery' });
    expect(first.legacy.status).to.equal(201);
    await expectSameResponse(la, sa, 'POST', '/api/inventory/7/adjustments', { delta: -2, reason: 'broken' });
    await expectSameResponse(la, sa, 'POST', '/api/inventory/7/adjustments', { delta: -1_000_000, reason: 'too much' });
    await expectSameResponse(la, sa, 'GET', '/api/inventory/7/adjustments');
    await expectSameResponse(la, sa, 'GET', '/api/inventory/7/adjustments?limit=1');
    await expectSameResponse(la, sa, 'GET', '/api/inventory/7');
  });

  it('refuses bad input, unknown products and missing rights the same way', async () => {
    const anon = legacy.anonymous();
    const sAnon = serviceClientFor(inventory.baseUrl);
    for (const p of ['/api/inventory/999999', '/api/inventory/abc', '/api/inventory/1/adjustments?limit=0', '/api/inventory/999999/adjustments']) {
      await expectSameResponse(la, sa, 'GET', p);
    }
    for (const b of [{ delta: 0, reason: 'zero' }, { delta: 1, reason: 'x' }, { delta: 1.5, reason: 'fraction' }, { delta: 1, reason: 'ok', extra: 1 }]) {
      await expectSameResponse(la, sa, 'POST', '/api/inventory/1/adjustments', b);
    }
    await expectSameResponse(la, sa, 'POST', '/api/inventory/999999/adjustments', { delta: 1, reason: 'nothing there' });
    await expectSameResponse(anon, sAnon, 'GET', '/api/inventory/1');
    const [customer] = await legacy.knex('users').where({ role: 'customer' }).orderBy('id').limit(1);
    await expectSameResponse(await legacy.login(customer.email, 'ficus-demo'), serviceClientFor(inventory.baseUrl, { id: customer.id, role: 'customer' }), 'GET', '/api/inventory/1');
  });
});
