import { expect } from 'chai';
import { createProductService } from './product-service.ts';
import { createFakeProductStore } from './fake-product-store.ts';
import { createFakeStockPort } from '../stock/fake-stock-port.ts';

describe('catalog product service (fakes)', () => {
  const setup = () => {
    const store = createFakeProductStore();
    const stock = createFakeStockPort();
    let t = Date.UTC(2025, 0, 1);
    const service = createProductService({ store, uow: store, stock, clock: () => new Date(t += 1000) });
    return { store, stock, service };
  };

  it('creates a product with its initial stock in inventory and shows it in the detail', async () => {
    const { service, stock } = setup();
    const cat = await service.createCategory({ name: 'Toys', slug: 'toys' });
    const p = await service.createProduct({ sku: 'TOY-1', name: 'Yoyo', description: '', priceCents: 499, categoryId: cat.id, initialStock: 7 });
    expect(stock.levels.get(p.id)).to.equal(7);
    expect(await service.getProduct(p.id)).to.deep.include({ sku: 'TOY-1', stock: 7, category: { id: cat.id, name: 'Toys', slug: 'toys' } });
  });

  it('writes nothing when inventory is unreachable during creation', async () => {
    const { service, stock, store } = setup();
    const cat = await service.createCategory({ name: 'Toys', slug: 'toys' });
    stock.down = true;
    const err = await service.createProduct({ sku: 'TOY-1', name: 'Yoyo', description: '', priceCents: 1, categoryId: cat.id, initialStock: 1 })
      .then(() => undefined, (e: unknown) => e);
    expect(err).to.include({ code: 'INVENTORY_UNAVAILABLE', status: 503, retriable: true });
    expect(store.products).to.have.length(0);
  });

  it('refuses unknown categories and products with the monolith codes', async () => {
    const { service } = setup();
    const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code: string }) => e.code);
    expect(await codeOf(service.createProduct({ sku: 'X-1', name: 'x', description: '', priceCents: 1, categoryId: 9, initialStock: 0 }))).to.equal('CATEGORY_NOT_FOUND');
    expect(await codeOf(service.getProduct(9))).to.equal('PRODUCT_NOT_FOUND');
    expect(await codeOf(service.updateProduct(9, { name: 'y' }))).to.equal('PRODUCT_NOT_FOUND');
  });

  it('pages, filters and sorts with ties broken by id', async () => {
    const { service } = setup();
    const cat = await service.createCategory({ name: 'Toys', slug: 'toys' });
    for (const [sku, price] of [['A-1', 300], ['B-1', 100], ['C-1', 300], ['D-1', 200]] as const) {
      await service.createProduct({ sku, name: sku, description: '', priceCents: price, categoryId: cat.id, initialStock: 0 });
    }
    const page = await service.listProducts({ page: 1, pageSize: 3, sort: 'price_desc' });
    expect(page).to.include({ total: 4, totalPages: 2, page: 1, pageSize: 3 });
    expect(page.items.map((p) => p.sku)).to.deep.equal(['C-1', 'A-1', 'D-1']);
    expect((await service.listProducts({ page: 1, pageSize: 10, sort: 'newest', minPriceCents: 150, maxPriceCents: 250 })).items.map((p) => p.sku)).to.deep.equal(['D-1']);
  });
});
