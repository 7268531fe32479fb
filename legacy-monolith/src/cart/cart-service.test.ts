import { expect } from 'chai';
import { fakeFixture } from '../testing/fake-fixture.ts';
import { cartOf, createCartService } from './cart-service.ts';

describe('cart service (fakes)', () => {
  it('totals lines in cents', () => {
    expect(cartOf([
      { productId: 1, sku: 'A', name: 'A', unitPriceCents: 199, quantity: 3 },
      { productId: 2, sku: 'B', name: 'B', unitPriceCents: 1, quantity: 1 },
    ])).to.deep.include({ itemCount: 4, totalCents: 598 });
    expect(cartOf([])).to.deep.equal({ items: [], itemCount: 0, totalCents: 0 });
  });

  it('merges adds, caps a line at 999 and reports missing lines and products', async () => {
    const f = fakeFixture();
    const carts = createCartService({ stores: f.stores, clock: f.clock });
    const p = f.product(100, 1), u = f.user();
    await carts.add(u.id, p, 500);
    expect((await carts.add(u.id, p, 499)).itemCount).to.equal(999);
    const codeOf = (x: Promise<unknown>) => x.then(() => 'none', (e: { code: string }) => e.code);
    expect(await codeOf(carts.add(u.id, p, 1))).to.equal('CART_QUANTITY_LIMIT');
    expect(await codeOf(carts.add(u.id, 42, 1))).to.equal('PRODUCT_NOT_FOUND');
    expect(await codeOf(carts.setQuantity(u.id, 42, 1))).to.equal('CART_ITEM_NOT_FOUND');
    expect(await codeOf(carts.remove(u.id, 42))).to.equal('CART_ITEM_NOT_FOUND');
    expect((await carts.remove(u.id, p)).items).to.deep.equal([]);
  });
});
