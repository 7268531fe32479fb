import { expect } from 'chai';
import { startLegacyTestApp, type LegacyTestApp } from '../testing/legacy-test-app.ts';
import type { HttpClient } from '../testing/http-client.ts';
import { expectError, expectOk } from '../testing/expect-api.ts';
import { createProducts } from '../testing/catalog-fixture.ts';
import { cartSchema } from '../contract/cart-contract.ts';

describe('cart: add, update, remove, totals (e2e)', () => {
  let t: LegacyTestApp;
  let admin: HttpClient;
  let pen: number;
  let pad: number;

  before(async () => {
    t = await startLegacyTestApp('cart');
    admin = (await t.signUp({ admin: true })).http;
    [pen, pad] = (await createProducts(admin, [{ priceCents: 150, stock: 10 }, { priceCents: 399, stock: 10 }])) as [number, number];
  });
  after(async () => { await t?.close(); });

  it('starts empty', async () => {
    const { http } = await t.signUp();
    expect(expectOk(await http.get('/api/cart'), 200, cartSchema)).to.deep.equal({ items: [], itemCount: 0, totalCents: 0 });
  });

  it('adds items, merges repeated adds and totals in cents', async () => {
    const { http } = await t.signUp();
    expectOk(await http.post('/api/cart/items', { productId: pen, quantity: 2 }), 200, cartSchema);
    expectOk(await http.post('/api/cart/items', { productId: pad }), 200, cartSchema);
    const cart = expectOk(await http.post('/api/cart/items', { productId: pen, quantity: 1 }), 200, cartSchema);
    expect(cart.items.map((i) => [i.productId, i.quantity, i.lineTotalCents])).to.deep.equal([[pen, 3, 450], [pad, 1, 399]]);
    expect(cart).to.include({ itemCount: 4, totalCents: 849 });
  });

  it('sets a line quantity and removes a line', async () => {
    const { http } = await t.signUp();
    await http.post('/api/cart/items', { productId: pen, quantity: 2 });
    await http.post('/api/cart/items', { productId: pad, quantity: 1 });
    expect(expectOk(await http.put(`/api/cart/items/${pad}`, { quantity: 5 }), 200, cartSchema).totalCents).to.equal(300 + 5 * 399);
    const cart = expectOk(await http.delete(`/api/cart/items/${pen}`), 200, cartSchema);
    expect(cart.items.map((i) => i.productId)).to.deep.equal([pad]);
  });

  it('answers CART_ITEM_NOT_FOUND for lines not in the cart and PRODUCT_NOT_FOUND for unknown products', async () => {
    const { http } = await t.signUp();
    expectError(await http.put(`/api/cart/items/${pen}`, { quantity: 1 }), 404, 'CART_ITEM_NOT_FOUND');
    expectError(await http.delete(`/api/cart/items/${pen}`), 404, 'CART_ITEM_NOT_FOUND');
    expectError(await http.post('/api/cart/items', { productId: 999999, quantity: 1 }), 404, 'PRODUCT_NOT_FOUND');
    expect(expectOk(await http.get('/api/cart'), 200, cartSchema).items).to.deep.equal([]);
  });

  it('caps a line at 999 units with CART_QUANTITY_LIMIT', async () => {
    const { http } = await t.signUp();
    await http.post('/api/cart/items', { productId: pen, quantity: 999 });
    expectError(await http.post('/api/cart/items', { productId: pen, quantity: 1 }), 409, 'CART_QUANTITY_LIMIT');
    expect(expectOk(await http.get('/api/cart'), 200, cartSchema).itemCount).to.equal(999);
  });

  it('validates quantities and ids', async () => {
    const { http } = await t.signUp();
    for (const body of [{ productId: pen, quantity: 0 }, { productId: pen, quantity: 1000 }, { productId: 'x' }, { quantity: 1 }]) {
      expectError(await http.post('/api/cart/items', body), 400, 'VALIDATION_FAILED');
    }
    expectError(await http.put(`/api/cart/items/${pen}`, { quantity: -1 }), 400, 'VALIDATION_FAILED');
    expectError(await http.put('/api/cart/items/zero', { quantity: 1 }), 400, 'VALIDATION_FAILED');
    expectError(await http.delete('/api/cart/items/-4'), 400, 'VALIDATION_FAILED');
  });

  it('needs a session', async () => {
    const anon = t.client();
    expectError(await anon.get('/api/cart'), 401, 'AUTH_REQUIRED');
    expectError(await anon.post('/api/cart/items', { productId: pen }), 401, 'AUTH_REQUIRED');
    expectError(await anon.put(`/api/cart/items/${pen}`, { quantity: 1 }), 401, 'AUTH_REQUIRED');
    expectError(await anon.delete(`/api/cart/items/${pen}`), 401, 'AUTH_REQUIRED');
  });
});
