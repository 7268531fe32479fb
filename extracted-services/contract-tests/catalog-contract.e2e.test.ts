import { expect } from 'chai';
import { devServiceAuthSecret } from '@ficus/common';
import { type HttpClient } from '@ficus/common/testing';
import { createCatalogApp, applyCatalogSchema } from '@ficus/catalog-service';
import { createInventoryApp, applyInventorySchema } from '@ficus/inventory-service';
import { copyRows, expectSameResponse, serviceClientFor, startLegacyReference, startServiceUnderTest, type LegacyReference } from './contract-harness.ts';
import { loadCatalogFromLegacy, loadInventoryFromLegacy } from './legacy-mappings.ts';

describe('contract: catalog service answers like the monolith over the same data (e2e)', () => {
  let legacy: LegacyReference;
  let inventory: Awaited<ReturnType<typeof startServiceUnderTest>>;
  let catalog: Awaited<ReturnType<typeof startServiceUnderTest>>;
  let l: HttpClient;
  let s: HttpClient;
  const auth = { secrets: [devServiceAuthSecret] };
  // One fixed clock for both sides, so timestamps of writes compare equal.
  const fixed = new Date(Math.floor(Date.now() / 1000) * 1000);
  const clock = () => fixed;

  before(async function () {
    this.timeout(60_000);
    legacy = await startLegacyReference({ clock });
    inventory = await startServiceUnderTest('contract_inventory', applyInventorySchema,
      (knex) => createInventoryApp({ reservation: { defaultTtlSeconds: 60, maxTtlSeconds: 600 }, auth }, knex));
    await loadInventoryFromLegacy(legacy.knex, inventory.knex, copyRows);
    catalog = await startServiceUnderTest('contract_catalog', applyCatalogSchema,
      (knex) => createCatalogApp({ inventory: { baseUrl: inventory.baseUrl, timeoutMs: 2_000 }, auth }, knex, { clock }));
    await loadCatalogFromLegacy(legacy.knex, catalog.knex, copyRows);
    l = legacy.anonymous();
    s = serviceClientFor(catalog.baseUrl);
  });
  after(async () => { await catalog?.close(); await inventory?.close(); await legacy?.close(); });

  it('lists categories the same way', async () => {
    const c = await expectSameResponse(l, s, 'GET', '/api/categories');
    expect((c.legacy.body as { items: unknown[] }).items).to.have.length(6);
  });

  it('pages, filters, searches and sorts products the same way', async () => {
    const queries = [
      '', '?page=2', '?pageSize=7&page=3', '?pageSize=100&page=3', '?page=999', '?pageSize=1',
      '?sort=price_asc', '?sort=price_desc&pageSize=50', '?sort=name_asc&pageSize=100', '?sort=newest&page=4&pageSize=13',
      '?categoryId=2', '?categoryId=3&sort=price_asc&pageSize=5&page=2', '?categoryId=999',
      '?minPrice=1000', '?maxPrice=2000&sort=price_desc', '?minPrice=500&maxPrice=5000&categoryId=1&sort=name_asc',
      '?q=wood', '?q=WOOD&sort=price_asc', '?q=%25', '?q=_', '?q=%20steel%20', '?q=a&pageSize=100&page=2',
      '?unknown=1', '?page=1&page=2',
    ];
    for (const q of queries) await expectSameResponse(l, s, 'GET', `/api/products${q}`);
    const some = await expectSameResponse(l, s, 'GET', '/api/products?q=a');
    expect((some.legacy.body as { total: number }).total).to.be.greaterThan(20);
  });

  it('shows product details (with stock from the inventory service) the same way', async () => {
    for (const id of [1, 2, 17, 99, 120, 240]) await expectSameResponse(l, s, 'GET', `/api/products/${id}`);
  });

  it('refuses bad input and unknown ids with the same status, code and message', async () => {
    const paths = [
      '/api/products?pageSize=101', '/api/products?page=0', '/api/products?sort=cheapest', '/api/products?minPrice=-1',
      '/api/products?minPrice=10&maxPrice=5', '/api/products?categoryId=abc', '/api/products?q=', '/api/products?q=%20%20',
      `/api/products?q=${'x'.repeat(101)}`, '/api/products/999999', '/api/products/abc', '/api/products/0', '/api/products/1.5',
      '/api/products/99999999999999999999', '/api/nope',
    ];
    for (const p of paths) await expectSameResponse(l, s, 'GET', p);
  });

  it('refuses anonymous and customer writes the same way', async () => {
    await expectSameResponse(l, s, 'POST', '/api/categories', { name: 'Garden', slug: 'garden' });
    await expectSameResponse(l, s, 'POST', '/api/products', { sku: 'NEW-1', name: 'New', priceCents: 100, categoryId: 1 });
    await expectSameResponse(l, s, 'PATCH', '/api/products/1', { name: 'X' });
  });

  it('applies admin writes the same way (same ids, timestamps, stock, conflicts)', async () => {
    const la = await legacy.login('admin@ficus.local', 'ficus-admin');
    const sa = serviceClientFor(catalog.baseUrl, { id: 1, role: 'admin' });
    const cat = await expectSameResponse(la, sa, 'POST', '/api/categories', { name: 'Potting', slug: 'potting-sheds' });
    expect(cat.legacy.status).to.equal(201);
    await expectSameResponse(la, sa, 'POST', '/api/categories', { name: 'Potting 2', slug: 'potting-sheds' });
    const categoryId = (cat.legacy.body as { id: number }).id;
    const created = await expectSameResponse(la, sa, 'POST', '/api/products', { sku: 'GRD-001', name: 'Rake', priceCents: 1999, categoryId, initialStock: 12 });
    expect(created.legacy.body).to.deep.include({ stock: 12 });
    await expectSameResponse(la, sa, 'POST', '/api/products', { sku: 'GRD-001', name: 'Rake', priceCents: 1999, categoryId });
    await expectSameResponse(la, sa, 'POST', '/api/products', { sku: 'GRD-002', name: 'Hoe', priceCents: 1999, categoryId: 999 });
    await expectSameResponse(la, sa, 'POST', '/api/products', { sku: 'bad sku', name: '', priceCents: 1.5, categoryId });
    await expectSameResponse(la, sa, 'PATCH', `/api/products/${(created.legacy.body as { id: number }).id}`, { priceCents: 1499, categoryId: 2 });
    await expectSameResponse(la, sa, 'PATCH', '/api/products/5', { description: 'Now with a longer description' });
    await expectSameResponse(la, sa, 'PATCH', '/api/products/5', {});
    await expectSameResponse(la, sa, 'PATCH', '/api/products/999999', { name: 'X' });
    await expectSameResponse(l, s, 'GET', '/api/products?categoryId=2&sort=price_asc&pageSize=100');
    await expectSameResponse(l, s, 'GET', '/api/categories');
  });

  it('answers a customer on admin routes the same way', async () => {
    const [customer] = await legacy.knex('users').where({ role: 'customer' }).orderBy('id').limit(1);
    const lc = await legacy.login(customer.email, 'ficus-demo');
    const sc = serviceClientFor(catalog.baseUrl, { id: customer.id, role: 'customer' });
    await expectSameResponse(lc, sc, 'POST', '/api/categories', { name: 'Garden', slug: 'garden-x' });
    await expectSameResponse(lc, sc, 'PATCH', '/api/products/1', { name: 'X' });
  });
});
