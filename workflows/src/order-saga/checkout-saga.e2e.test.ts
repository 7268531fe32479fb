import { expect } from 'chai';
import { waitFor } from '@ficus/common';
import { startSagaStack, stopAllSagaStacks, type SagaStack } from '../testing/saga-stack.ts';
import { readSagaReport, findSagasOfOrder } from './saga-history.ts';
import { placeOrderWorkflowId } from './saga-types.ts';

type Detail = { id: number; status: string; totalCents: number; itemCount: number; customer: { id: number; email: string; name: string }; items: Array<{ productId: number; quantity: number; lineTotalCents: number }>; payments: Array<{ kind: string; amountCents: number; gatewayRef: string }> };
type ErrorBody = { error: { code: string; message: string; details?: Record<string, unknown>; requestId: string } };

describe('order saga: checkout through the orders service on real Temporal, MariaDB and services (e2e)', function () {
  this.timeout(120_000);
  let s: SagaStack;

  before(async function () {
    this.timeout(120_000);
    s = await startSagaStack('checkout');
  });
  afterEach(async () => { await s?.expectConsistent(); });
  after(async () => { await stopAllSagaStacks(); });

  it('places the order: 201 with the monolith shape, stock sold, payment captured, cart emptied, searchable saga', async () => {
    const a = await s.product(300, 5), b = await s.product(1000, 2);
    const u = await s.user();
    await u.addToCart(a, 2);
    await u.addToCart(b, 1);
    const res = await u.saga.post('/api/orders', undefined, { 'idempotency-key': 'happy-1' });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const order = res.body as Detail;
    expect(order).to.deep.include({ status: 'paid', totalCents: 1600, itemCount: 3, cancelledAt: null });
    expect(order.customer).to.include({ id: u.id, email: u.email });
    expect(order.items.map((i) => [i.productId, i.quantity, i.lineTotalCents])).to.deep.equal([[a, 2, 600], [b, 1, 1000]]);
    expect(order.payments.map((p) => [p.kind, p.amountCents])).to.deep.equal([['charge', 1600]]);
    expect(await s.stockOf(a)).to.deep.include({ on_hand: 3, reserved: 0 });
    expect(await s.stockOf(b)).to.deep.include({ on_hand: 1, reserved: 0 });
    expect((await u.legacy.get('/api/cart')).body).to.deep.include({ items: [], itemCount: 0 });
    expect((await u.saga.get(`/api/orders/${order.id}`)).body).to.deep.equal(order);
    expect(s.notifications.map((n) => [n.template, n.orderId, n.recipient])).to.deep.include(['order_placed', order.id, u.email]);

    const workflowId = placeOrderWorkflowId(u.id, 'happy-1');
    const report = await readSagaReport(s.client, workflowId);
    expect(report).to.deep.include({ status: 'COMPLETED', orderId: String(order.id), userId: String(u.id) });
    expect(report.steps.map((x) => [x.activity, x.status])).to.deep.equal([
      ['reserveStock', 'completed'], ['authorizePayment', 'completed'], ['createOrder', 'completed'], ['capturePayment', 'completed'],
      ['confirmStock', 'completed'], ['markOrderPaid', 'completed'], ['notifyCustomer', 'completed'],
    ]);
    const found = await waitFor(async () => { const f = await findSagasOfOrder(s.client, String(order.id)); return f.length ? f : undefined; }, { timeoutMs: 15_000, what: 'visibility of FicusOrderId' });
    expect(found.map((f) => f.workflowId)).to.deep.equal([workflowId]);
  });
});
