import { expect } from 'chai';
import type { Knex } from 'knex';
import { devServiceAuthSecret, signUserToken } from '@ficus/common';
import { createHttpClient, createTestDatabase, listenEphemeral, type HttpClient } from '@ficus/common/testing';
import { createCatalogApp } from '../create-app.ts';
import { applyCatalogSchema } from '../db/apply-catalog-schema.ts';
import { createFakeStockPort } from '../stock/fake-stock-port.ts';
import { categoryListSchema, productDetailSchema, productPageSchema } from '../api/catalog-api.ts';

const as = (userId: number, role: 'customer' | 'admin') =>
  ({ 'x-ficus-user': signUserToken({ userId, role, exp: Math.floor(Date.now() / 1000) + 300 }, devServiceAuthSecret) });

describe('catalog service: products and categories over HTTP on MariaDB (e2e)', () => {
  let db: { knex: Knex; drop: () => Promise<void> };
  let close: () => Promise<void>;
  let anon: HttpClient;
  let admin: HttpClient;
  let customer: HttpClient;
  const stock = createFakeStockPort();
  const ids: Record<string, number> = {};

  before(async () => {
    db = await createTestDatabase('catalog_svc');
    await applyCatalogSchema(db.knex);
    const app = createCatalogApp({ inventory: { baseUrl: 'http://127.0.0.1:9', timeoutMs: 100 }, auth: { secrets: [devServiceAuthSecret] } }, db.knex, { stock });
    const s = await listenEphemeral(app);
    close = s.close;
    anon = createHttpClient(s.baseUrl);
    admin = createHttpClient(s.baseUrl, as(1, 'admin'));
    customer = createHttpClient(s.baseUrl, as(2, 'customer'));
    ids.toys = ((await admin.post('/api/categories', { name: 'Toys', slug: 'toys' })).body as { id: number }).id;
    ids.books = ((await admin.post('/api/categories', { name: 'Books', slug: 'books' })).body as { id: number }).id;
    const make = async (sku: string, name: string, priceCents: number, categoryId: number, description = '') => {
      const r = await admin.post('/api/products', { sku, name, priceCents, categoryId, description, initialStock: 5 });
      expect(r.status, JSON.stringify(r.body)).to.equal(201);
      return (r.body as { id: number }).id;
    };
    ids.yoyo = await make('TOY-001', 'Wooden Yoyo', 499, ids.toys!, 'A classic spinning toy');
    ids.kite = await make('TOY-002', 'Red Kite', 2599, ids.toys!, 'Flies in light wind');
    ids.novel = await make('BK-001', 'A Long Novel', 1599, ids.books!, 'About a wooden boat');
  });
  after(async () => { await close?.(); await db?.drop(); });

  it('answers health, readiness and Prometheus metrics', async () => {
    expect((await anon.get('/health')).body).to.deep.equal({ status: 'ok' });
    expect((await anon.get('/ready')).body).to.deep.equal({ status: 'ready' });
    const m = await anon.get('/metrics');
    expect(m.status).to.equal(200);
    expect(String(m.body)).to.match(/http_requests_total\{[^}]*route="\/api\/products"[^}]*\} \d+/);
  });

  it('lists categories by name and products newest first with the page shape', async () => {
    const cats = categoryListSchema.parse((await anon.get('/api/categories')).body);
    expect(cats.items.map((c) => c.slug)).to.deep.equal(['books', 'toys']);
    const page = productPageSchema.parse((await anon.get('/api/products?pageSize=2')).body);
    expect(page).to.include({ total: 3, totalPages: 2, page: 1, pageSize: 2 });
    expect(page.items.map((p) => p.id)).to.deep.equal([ids.novel, ids.kite]);
    const search = productPageSchema.parse((await anon.get('/api/products?q=WOODEN&sort=name_asc')).body);
    expect(search.items.map((p) => p.sku)).to.deep.equal(['BK-001', 'TOY-001']);
    expect(productPageSchema.parse((await anon.get('/api/products?q=%25')).body).total).to.equal(0);
  });

  it('shows the detail with the stock inventory reports, and 503 when inventory is down', async () => {
    stock.levels.set(ids.kite!, 3);
    const p = productDetailSchema.parse((await anon.get(`/api/products/${ids.kite}`)).body);
    expect(p).to.deep.include({ sku: 'TOY-002', stock: 3, category: { id: ids.toys, name: 'Toys', slug: 'toys' } });
    stock.down = true;
    try {
      const r = await anon.get(`/api/products/${ids.kite}`, { 'x-request-id': 'req-down-1' });
      expect(r.status).to.equal(503);
      expect(r.body).to.deep.include({ error: { code: 'INVENTORY_UNAVAILABLE', message: 'inventory service unavailable: test', requestId: 'req-down-1' } });
    } finally { stock.down = false; }
  });

  it('answers bad input, unknown ids and missing rights with the monolith codes', async () => {
    const code = (r: { status: number; body: unknown }) => [r.status, (r.body as { error: { code: string } }).error.code];
    expect(code(await anon.get('/api/products?pageSize=101'))).to.deep.equal([400, 'VALIDATION_FAILED']);
    expect(code(await anon.get('/api/products/abc'))).to.deep.equal([400, 'VALIDATION_FAILED']);
    expect(code(await anon.get('/api/products/999999'))).to.deep.equal([404, 'PRODUCT_NOT_FOUND']);
    expect(code(await anon.post('/api/categories', { name: 'G', slug: 'g' }))).to.deep.equal([401, 'AUTH_REQUIRED']);
    expect(code(await customer.post('/api/categories', { name: 'G', slug: 'g' }))).to.deep.equal([403, 'FORBIDDEN']);
    expect(code(await admin.post('/api/categories', { name: 'T', slug: 'toys' }))).to.deep.equal([409, 'CATEGORY_SLUG_TAKEN']);
    expect(code(await admin.post('/api/products', { sku: 'TOY-001', name: 'x', priceCents: 1, categoryId: ids.toys }))).to.deep.equal([409, 'PRODUCT_SKU_TAKEN']);
    expect(code(await admin.post('/api/products', { sku: 'NEW-1', name: 'x', priceCents: 1, categoryId: 999 }))).to.deep.equal([404, 'CATEGORY_NOT_FOUND']);
    expect(code(await admin.request('POST', '/api/products', { rawBody: '{"sku":' }))).to.deep.equal([400, 'BODY_MALFORMED_JSON']);
    expect(code(await anon.get('/api/nope'))).to.deep.equal([404, 'ROUTE_NOT_FOUND']);
    expect((await db.knex('products')).length).to.equal(3);
  });

  it('refuses a forged or expired user header as anonymous', async () => {
    const forged = signUserToken({ userId: 1, role: 'admin', exp: Math.floor(Date.now() / 1000) + 60 }, 'not-the-secret-not-the-secret-not-the-secret');
    const expired = signUserToken({ userId: 1, role: 'admin', exp: Math.floor(Date.now() / 1000) - 1 }, devServiceAuthSecret);
    for (const token of [forged, expired]) {
      const r = await anon.request('POST', '/api/categories', { body: { name: 'G', slug: 'g' }, headers: { 'x-ficus-user': token } });
      expect(r.status).to.equal(401);
    }
  });

  it('lets admins edit a product and keeps the stock from inventory', async () => {
    const r = await admin.patch(`/api/products/${ids.novel}`, { priceCents: 999, categoryId: ids.toys });
    const p = productDetailSchema.parse(r.body);
    expect(p).to.deep.include({ priceCents: 999, stock: 5 });
    expect(p.category.slug).to.equal('toys');
    expect((await admin.patch(`/api/products/${ids.novel}`, {})).status).to.equal(400);
  });
});
