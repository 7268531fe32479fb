import { expect } from 'chai';
import { fakeFixture } from '../testing/fake-fixture.ts';
import { createInventoryService, maxStock } from './inventory-service.ts';

describe('inventory service (fakes)', () => {
  it('records adjustments with the resulting quantity and refuses out-of-range stock without writing', async () => {
    const f = fakeFixture();
    const inv = createInventoryService({ stores: f.stores, uow: f.uow, clock: f.clock });
    const p = f.product(100, 2), admin = f.user('admin');
    expect(await inv.adjust(admin.id, p, 3, 'delivery')).to.include({ quantityAfter: 5, adminUserId: admin.id });
    for (const delta of [-6, maxStock]) {
      const e = await inv.adjust(admin.id, p, delta, 'oops').then(() => undefined, (x: { code: string }) => x);
      expect(e?.code).to.equal('INVENTORY_OUT_OF_RANGE');
    }
    expect((await inv.stock(p)).quantity).to.equal(5);
    expect(f.db.adjustments).to.have.length(1);
    const missing = await inv.stock(999).then(() => undefined, (x: { code: string }) => x);
    expect(missing?.code).to.equal('PRODUCT_NOT_FOUND');
  });
});
