import { expect } from 'chai';
import { fakeFixture } from '../testing/fake-fixture.ts';
import { createOrderService } from './order-service.ts';
import type { PaymentGateway } from './payment-gateway.ts';

const approving: PaymentGateway = {
  charge: async ({ idempotencyKey }) => ({ approved: true, ref: `ch-${idempotencyKey}` }),
  refund: async ({ chargeRef }) => ({ ref: `re-${chargeRef}` }),
};
const declining: PaymentGateway = { ...approving, charge: async () => ({ approved: false, reason: 'insufficient funds' }) };

const setup = (gateway: PaymentGateway = approving) => {
  const f = fakeFixture();
  return { f, orders: createOrderService({ stores: f.stores, uow: f.uow, gateway, clock: f.clock }) };
};

const rejection = async (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e: { code: string; details?: unknown }) => e);

describe('order service (fakes)', () => {
  it('checks out: decrements stock, totals at current prices, charges, queues an email, empties the cart', async () => {
    const { f, orders } = setup();
    const a = f.product(300, 5), b = f.product(1000, 1), u = f.user();
    await f.stores.carts.add(u.id, a, 2, f.clock());
    await f.stores.carts.add(u.id, b, 1, f.clock());
    const order = await orders.checkout(u);
    expect(order).to.deep.include({ status: 'paid', totalCents: 1600, itemCount: 3 });
    expect(f.db.inventory.map((i) => i.quantity)).to.deep.equal([3, 0]);
    expect(f.db.payments).to.have.length(1);
    expect(f.db.payments[0]).to.include({ kind: 'charge', amountCents: 1600, gatewayRef: `ch-order-${order.id}` });
    expect(f.db.notifications[0]).to.include({ template: 'order_placed', recipient: u.email });
    expect(f.db.notifications[0]?.body).to.include('Total: EUR 16.00');
    expect(f.db.cart).to.deep.equal([]);
  });

  it('refuses an empty cart with CART_EMPTY', async () => {
    const { f, orders } = setup();
    expect((await rejection(orders.checkout(f.user()))).code).to.equal('CART_EMPTY');
  });

  it('refuses when stock is short with ORDER_OUT_OF_STOCK and writes nothing', async () => {
    const { f, orders } = setup();
    const a = f.product(300, 1), u = f.user();
    await f.stores.carts.add(u.id, a, 2, f.clock());
    const before = structuredClone(f.db);
    const e = await rejection(orders.checkout(u));
    expect(e.code).to.equal('ORDER_OUT_OF_STOCK');
    expect(e.details).to.deep.equal({ productId: a, requested: 2, available: 1 });
    expect(f.db).to.deep.equal(before);
  });

  it('rolls back stock, order and cart when the gateway declines', async () => {
    const { f, orders } = setup(declining);
    const a = f.product(300, 4), u = f.user();
    await f.stores.carts.add(u.id, a, 2, f.clock());
    const before = structuredClone(f.db);
    expect((await rejection(orders.checkout(u))).code).to.equal('PAYMENT_DECLINED');
    expect(f.db).to.deep.equal(before);
  });

  it('cancels: restocks, refunds the charge, queues an email; a second cancel is refused', async () => {
    const { f, orders } = setup();
    const a = f.product(250, 3), u = f.user();
    await f.stores.carts.add(u.id, a, 3, f.clock());
    const placed = await orders.checkout(u);
    const cancelled = await orders.cancel(u, placed.id);
    expect(cancelled.status).to.equal('cancelled');
    expect(f.db.inventory[0]?.quantity).to.equal(3);
    expect(cancelled.payments.map((p) => [p.kind, p.amountCents, p.gatewayRef])).to.deep.equal([
      ['charge', 750, `ch-order-${placed.id}`], ['refund', 750, `re-ch-order-${placed.id}`],
    ]);
    expect(f.db.notifications.map((n) => n.template)).to.deep.equal(['order_placed', 'order_cancelled']);
    expect((await rejection(orders.cancel(u, placed.id))).code).to.equal('ORDER_NOT_CANCELLABLE');
  });

  it('hides other customers\' orders but shows them to admins', async () => {
    const { f, orders } = setup();
    const a = f.product(100, 3), owner = f.user(), stranger = f.user(), admin = f.user('admin');
    await f.stores.carts.add(owner.id, a, 1, f.clock());
    const placed = await orders.checkout(owner);
    expect((await rejection(orders.get(stranger, placed.id))).code).to.equal('ORDER_NOT_FOUND');
    expect((await rejection(orders.cancel(stranger, placed.id))).code).to.equal('ORDER_NOT_FOUND');
    expect((await orders.get(admin, placed.id)).customer.id).to.equal(owner.id);
    const page = await orders.list(owner, 1, 10);
    expect(page).to.deep.include({ total: 1, totalPages: 1, page: 1, pageSize: 10 });
    expect((await orders.list(stranger, 1, 10)).total).to.equal(0);
  });
});
