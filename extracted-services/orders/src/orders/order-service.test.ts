import { expect } from 'chai';
import { createOrderService } from './order-service.ts';
import { createFakeOrderStore } from './fake-order-store.ts';

describe('orders service: saga steps and user views (fakes)', () => {
  const setup = () => {
    const store = createFakeOrderStore();
    const service = createOrderService({ store, uow: store, clock: () => new Date(Date.UTC(2025, 0, 1)) });
    return { store, service };
  };
  const input = { userId: 7, customer: { email: 'a@example.com', name: 'Ann' }, items: [{ productId: 3, sku: 'SKU-3', name: 'Kite', unitPriceCents: 250, quantity: 2 }] };
  const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code: string }) => e.code);
  const ann = { userId: 7, role: 'customer' as const, exp: 0 };

  it('creates one pending order per key with the snapshot total, hidden from the user until paid', async () => {
    const { service } = setup();
    const a = await service.create('k', input);
    expect(a.created).to.equal(true);
    expect(a.order).to.include({ status: 'pending', totalCents: 500 });
    expect((await service.create('k', input)).created).to.equal(false);
    expect(await codeOf(service.create('k', { ...input, userId: 8 }))).to.equal('IDEMPOTENCY_KEY_REUSED');
    expect((await service.list(ann, 1, 20)).total).to.equal(0);
    expect(await codeOf(service.view(ann, a.order.id))).to.equal('ORDER_NOT_FOUND');
    await service.markPaid('k', { amountCents: 500, gatewayRef: 'ch_1' });
    const detail = await service.view(ann, a.order.id);
    expect(detail).to.deep.include({ status: 'paid', itemCount: 2, customer: { id: 7, email: 'a@example.com', name: 'Ann' } });
    expect(detail.items[0]).to.deep.include({ lineTotalCents: 500 });
  });

  it('marks failed idempotently, refuses to fail a paid order, and a fail before create blocks the create', async () => {
    const { service } = setup();
    await service.create('k', input);
    expect((await service.markFailed('k', { code: 'PAYMENT_DECLINED', reason: 'declined' })).status).to.equal('failed');
    expect((await service.markFailed('k', { code: 'PAYMENT_DECLINED', reason: 'declined' })).failure).to.deep.equal({ code: 'PAYMENT_DECLINED', reason: 'declined' });
    expect(await codeOf(service.markPaid('k', { amountCents: 1, gatewayRef: 'x' }))).to.equal('ORDER_INVALID_STATE');
    await service.create('p', input);
    await service.markPaid('p', { amountCents: 500, gatewayRef: 'ch' });
    expect(await codeOf(service.markFailed('p', { code: 'X', reason: '' }))).to.equal('ORDER_INVALID_STATE');
    expect((await service.markFailed('early', { code: 'INSUFFICIENT_STOCK', reason: '' })).status).to.equal('failed');
    expect(await codeOf(service.create('early', input))).to.equal('ORDER_INVALID_STATE');
  });

  it('cancels a paid order with its refund; only the owner or an admin sees it', async () => {
    const { service } = setup();
    const { order } = await service.create('k', input);
    expect(await codeOf(service.markCancelled('k', { amountCents: 500, gatewayRef: 're' }))).to.equal('ORDER_INVALID_STATE');
    await service.markPaid('k', { amountCents: 500, gatewayRef: 'ch' });
    const c = await service.markCancelled('k', { amountCents: 500, gatewayRef: 're' });
    expect(c.status).to.equal('cancelled');
    expect(c.payments.map((p) => p.kind)).to.deep.equal(['charge', 'refund']);
    expect(await codeOf(service.view({ userId: 8, role: 'customer', exp: 0 }, order.id))).to.equal('ORDER_NOT_FOUND');
    expect((await service.view({ userId: 1, role: 'admin', exp: 0 }, order.id)).status).to.equal('cancelled');
  });
});
