import { expect } from 'chai';
import { startLegacyTestApp, type LegacyTestApp } from '../testing/legacy-test-app.ts';
import type { HttpClient } from '../testing/http-client.ts';
import { expectError, expectOk } from '../testing/expect-api.ts';
import { categoryListSchema, categorySchema, productDetailSchema, productPageSchema } from '../contract/catalog-contract.ts';

describe('catalog: categories, product list and detail, admin edits (e2e)', () => {
  let t: LegacyTestApp;
  let admin: HttpClient;
  let customer: HttpClient;
  const ids: Record<string, number> = {};

  before(async () => {
    t = await startLegacyTestApp('catalog');
    admin = (await t.signUp({ admin: true })).http;
    customer = (await t.signUp()).http;
    ids.toys = expectOk(await admin.post('/api/categories', { name: 'Toys', slug: 'toys' }), 201, categorySchema).id;
    ids.books = expectOk(await admin.post('/api/categories', { name: 'Books', slug: 'books' }), 201, categorySchema).id;
    const make = async (sku: string, name: string, priceCents: number, categoryId: number, description = '') =>
      expectOk(await admin.post('/api/products', { sku, name, priceCents, categoryId, description, initialStock: 5 }), 201, productDetailSchema).id;
    ids.yoyo = await make('TOY-001', 'Wooden Yoyo', 499, ids.toys!, 'A classic spinning toy');
    ids.kite = await make('TOY-002', 'Red Kite', 2599, ids.toys!, 'Flies in light wind');
    ids.novel = await make('BK-001', 'A Long Novel', 1599, ids.books!, 'About a wooden boat');
    ids.atlas = await make('BK-002', 'World Atlas', 4999, ids.books!);
  });
  after(async () => { await t?.close(); });

  const list = async (query: string) => expectOk(await t.client().get(`/api/products${query}`), 200, productPageSchema);

  it('lists categories by name', async () => {
    const body = expectOk(await t.client().get('/api/categories'), 200, categoryListSchema);
    expect(body.items.map((c) => c.slug)).to.deep.equal(['books', 'toys']);
  });

  it('lets only admins create categories, with unique slugs', async () => {
    expectError(await t.client().post('/api/categories', { name: 'Garden', slug: 'garden' }), 401, 'AUTH_REQUIRED');
    expectError(await customer.post('/api/categories', { name: 'Garden', slug: 'garden' }), 403, 'FORBIDDEN');
    expectError(await admin.post('/api/categories', { name: 'Toys again', slug: 'toys' }), 409, 'CATEGORY_SLUG_TAKEN');
    expectError(await admin.post('/api/categories', { name: 'Bad', slug: 'Not A Slug' }), 400, 'VALIDATION_FAILED');
    expect((await t.knex('categories')).length).to.equal(2);
  });

  it('pages products with the {items,page,pageSize,total,totalPages} shape, newest first by default', async () => {
    const p1 = await list('?pageSize=3');
    expect(p1).to.include({ page: 1, pageSize: 3, total: 4, totalPages: 2 });
    expect(p1.items.map((p) => p.id)).to.deep.equal([ids.atlas, ids.novel, ids.kite]);
    const p2 = await list('?pageSize=3&page=2');
    expect(p2.items.map((p) => p.id)).to.deep.equal([ids.yoyo]);
    expect((await list('?page=9')).items).to.deep.equal([]);
  });

  it('filters by category and price range (inclusive, cents) and sorts', async () => {
    expect((await list(`?categoryId=${ids.toys}&sort=price_asc`)).items.map((p) => p.sku)).to.deep.equal(['TOY-001', 'TOY-002']);
    expect((await list('?minPrice=1599&maxPrice=2599&sort=price_desc')).items.map((p) => p.sku)).to.deep.equal(['TOY-002', 'BK-001']);
    expect((await list('?sort=name_asc')).items.map((p) => p.name)).to.deep.equal(['A Long Novel', 'Red Kite', 'Wooden Yoyo', 'World Atlas']);
    expect((await list('?categoryId=999999')).total).to.equal(0);
  });

  it('searches name and description case-insensitively, with LIKE wildcards taken literally', async () => {
    expect((await list('?q=WOODEN&sort=name_asc')).items.map((p) => p.sku)).to.deep.equal(['BK-001', 'TOY-001']);
    expect((await list('?q=%25')).total).to.equal(0);
  });

  it('rejects bad list queries with VALIDATION_FAILED', async () => {
    for (const q of ['?pageSize=101', '?page=0', '?sort=cheapest', '?minPrice=-1', '?minPrice=10&maxPrice=5', '?categoryId=abc', '?q=']) {
      expectError(await t.client().get(`/api/products${q}`), 400, 'VALIDATION_FAILED');
    }
  });

  it('shows product detail with category and stock', async () => {
    const p = expectOk(await t.client().get(`/api/products/${ids.kite}`), 200, productDetailSchema);
    expect(p).to.deep.include({ sku: 'TOY-002', priceCents: 2599, stock: 5, description: 'Flies in light wind' });
    expect(p.category).to.deep.equal({ id: ids.toys, name: 'Toys', slug: 'toys' });
  });

  it('answers PRODUCT_NOT_FOUND for an unknown id and VALIDATION_FAILED for a malformed one', async () => {
    expectError(await t.client().get('/api/products/999999'), 404, 'PRODUCT_NOT_FOUND');
    expectError(await t.client().get('/api/products/abc'), 400, 'VALIDATION_FAILED');
  });

  it('lets admins create products; checks category, SKU and body, writing nothing on failure', async () => {
    const body = { sku: 'NEW-1', name: 'New', priceCents: 100, categoryId: ids.toys };
    expectError(await customer.post('/api/products', body), 403, 'FORBIDDEN');
    expectError(await admin.post('/api/products', { ...body, categoryId: 999999 }), 404, 'CATEGORY_NOT_FOUND');
    expectError(await admin.post('/api/products', { ...body, sku: 'TOY-001' }), 409, 'PRODUCT_SKU_TAKEN');
    expectError(await admin.post('/api/products', { ...body, priceCents: 1.5 }), 400, 'VALIDATION_FAILED');
    expectError(await admin.post('/api/products', { ...body, priceCents: '100' }), 400, 'VALIDATION_FAILED');
    expect((await t.knex('products')).length).to.equal(4);
    expect((await t.knex('inventory')).length).to.equal(4);
  });

  it('lets admins edit a product', async () => {
    const p = expectOk(await admin.patch(`/api/products/${ids.atlas}`, { priceCents: 3999, categoryId: ids.toys }), 200, productDetailSchema);
    expect(p).to.deep.include({ priceCents: 3999 });
    expect(p.category.slug).to.equal('toys');
    expect(new Date(p.updatedAt).getTime()).to.be.greaterThan(new Date(p.createdAt).getTime() - 1);
    expectError(await admin.patch('/api/products/999999', { name: 'X' }), 404, 'PRODUCT_NOT_FOUND');
    expectError(await admin.patch(`/api/products/${ids.atlas}`, { categoryId: 999999 }), 404, 'CATEGORY_NOT_FOUND');
    expectError(await admin.patch(`/api/products/${ids.atlas}`, {}), 400, 'VALIDATION_FAILED');
    expectError(await customer.patch(`/api/products/${ids.atlas}`, { name: 'X' }), 403, 'FORBIDDEN');
    expectError(await t.client().patch(`/api/products/${ids.atlas}`, { name: 'X' }), 401, 'AUTH_REQUIRED');
  });
});
