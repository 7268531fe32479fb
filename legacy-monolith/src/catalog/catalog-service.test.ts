import { expect } from 'chai';
import { fakeFixture } from '../testing/fake-fixture.ts';
import { createCatalogService } from './catalog-service.ts';

describe('catalog service (fakes)', () => {
  it('pages with totals and creates products with their stock in one unit of work', async () => {
    const f = fakeFixture();
    const catalog = createCatalogService({ stores: f.stores, uow: f.uow, clock: f.clock });
    for (let i = 0; i < 5; i++) f.product(100 * (i + 1), 1);
    const page = await catalog.listProducts({ page: 2, pageSize: 2, sort: 'price_desc' });
    expect(page).to.deep.include({ page: 2, pageSize: 2, total: 5, totalPages: 3 });
    expect(page.items.map((p) => p.priceCents)).to.deep.equal([300, 200]);
    const created = await catalog.createProduct({ sku: 'NEW-1', name: 'New', description: '', priceCents: 5, categoryId: 1, initialStock: 7 });
    expect(created.stock).to.equal(7);
    const e = await catalog.createProduct({ sku: 'NEW-2', name: 'X', description: '', priceCents: 5, categoryId: 99, initialStock: 1 }).then(() => undefined, (x: { code: string }) => x);
    expect(e?.code).to.equal('CATEGORY_NOT_FOUND');
    expect(f.db.products).to.have.length(6);
  });
});
