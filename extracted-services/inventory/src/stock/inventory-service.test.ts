import { expect } from 'chai';
import { createInventoryService } from './inventory-service.ts';
import { createFakeInventoryStore } from './fake-inventory-store.ts';

describe('inventory service: reservations (fakes)', () => {
  const setup = () => {
    const store = createFakeInventoryStore();
    let now = Date.UTC(2025, 0, 1);
    const clock = () => new Date(now);
    const service = createInventoryService({ store, uow: store, clock, reservation: { defaultTtlSeconds: 60, maxTtlSeconds: 600 } });
    return { store, service, advance: (ms: number) => { now += ms; } };
  };
  const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code: string }) => e.code);
  const level = (s: ReturnType<typeof setup>, id: number) => s.store.levels().get(id);

  it('holds units all or nothing and replays the same key without holding twice', async () => {
    const s = setup();
    await s.service.setOnHand(1, 5);
    await s.service.setOnHand(2, 1);
    const first = await s.service.reserve('k1', { items: [{ productId: 1, quantity: 2 }] });
    expect(first.created).to.equal(true);
    const again = await s.service.reserve('k1', { items: [{ productId: 1, quantity: 2 }] });
    expect(again).to.deep.include({ created: false });
    expect(level(s, 1)).to.include({ onHand: 5, reserved: 2 });
    expect(await codeOf(s.service.reserve('k2', { items: [{ productId: 1, quantity: 1 }, { productId: 2, quantity: 2 }] }))).to.equal('INSUFFICIENT_STOCK');
    expect(level(s, 1)).to.include({ reserved: 2 });
    expect(await codeOf(s.service.reserve('k1', { items: [{ productId: 1, quantity: 3 }] }))).to.equal('IDEMPOTENCY_KEY_REUSED');
    expect(await codeOf(s.service.reserve('k3', { items: [{ productId: 99, quantity: 1 }] }))).to.equal('INSUFFICIENT_STOCK');
  });

  it('confirms into a sale, restocks it back, each step idempotent', async () => {
    const s = setup();
    await s.service.setOnHand(1, 5);
    await s.service.reserve('k', { items: [{ productId: 1, quantity: 2 }] });
    expect((await s.service.confirm('k')).status).to.equal('confirmed');
    expect((await s.service.confirm('k')).status).to.equal('confirmed');
    expect(level(s, 1)).to.include({ onHand: 3, reserved: 0 });
    expect(await codeOf(s.service.release('k'))).to.equal('RESERVATION_INVALID_STATE');
    expect((await s.service.restock('k')).status).to.equal('restocked');
    expect((await s.service.restock('k')).status).to.equal('restocked');
    expect(level(s, 1)).to.include({ onHand: 5, reserved: 0 });
    expect(await codeOf(s.service.confirm('nope'))).to.equal('RESERVATION_NOT_FOUND');
  });

  it('releases idempotently, and a release that overtakes its reserve leaves a tombstone', async () => {
    const s = setup();
    await s.service.setOnHand(1, 5);
    await s.service.reserve('k', { items: [{ productId: 1, quantity: 4 }] });
    expect((await s.service.release('k')).status).to.equal('released');
    expect((await s.service.release('k')).status).to.equal('released');
    expect(level(s, 1)).to.include({ onHand: 5, reserved: 0 });
    expect((await s.service.release('late')).status).to.equal('released');
    expect(await codeOf(s.service.reserve('late', { items: [{ productId: 1, quantity: 1 }] }))).to.equal('RESERVATION_INVALID_STATE');
    expect(level(s, 1)).to.include({ reserved: 0 });
  });

  it('expires holds past their time: the units come back and confirm is refused', async () => {
    const s = setup();
    await s.service.setOnHand(1, 5);
    await s.service.reserve('a', { items: [{ productId: 1, quantity: 5 }], ttlSeconds: 10 });
    expect(await codeOf(s.service.reserve('b', { items: [{ productId: 1, quantity: 1 }] }))).to.equal('INSUFFICIENT_STOCK');
    expect(level(s, 1)).to.include({ reserved: 5 });
    s.advance(10_000);
    expect(await codeOf(s.service.confirm('a'))).to.equal('RESERVATION_INVALID_STATE');
    expect((await s.service.reservation('a')).status).to.equal('expired');
    expect(level(s, 1)).to.include({ onHand: 5, reserved: 0 });
    await s.service.reserve('c', { items: [{ productId: 1, quantity: 1 }], ttlSeconds: 5 });
    s.advance(5_000);
    expect(await s.service.expireDue()).to.equal(1);
    expect(level(s, 1)).to.include({ reserved: 0 });
  });

  it('keeps admin adjustments inside held..max with the monolith code', async () => {
    const s = setup();
    await s.service.setOnHand(1, 5);
    await s.service.reserve('k', { items: [{ productId: 1, quantity: 3 }] });
    expect(await codeOf(s.service.adjust(1, 1, -3, 'shrinkage'))).to.equal('INVENTORY_OUT_OF_RANGE');
    expect(await s.service.adjust(1, 1, -2, 'shrinkage')).to.include({ quantityAfter: 3, delta: -2 });
    expect(await codeOf(s.service.adjust(1, 42, 1, 'unknown'))).to.equal('PRODUCT_NOT_FOUND');
  });
});
