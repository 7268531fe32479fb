import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { orderSagaWorkflowsPath } from '../create-saga-worker.ts';
import { waitFor } from '@ficus/common';
import { startSagaStack, stopAllSagaStacks, type SagaStack } from '../testing/saga-stack.ts';
import { replayWithFixtures } from '../testing/replay-histories.ts';
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
    const res = await u.saga.post('/api/orders', undefined, { 'idempotency-key': s.key('happy-1') });
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
    // The email follows the answer (decision 0014).
    await waitFor(() => s.notifications.some((n) => n.orderId === order.id), { what: 'the order email' });
    expect(s.notifications.map((n) => [n.template, n.orderId, n.recipient])).to.deep.include(['order_placed', order.id, u.email]);

    const workflowId = placeOrderWorkflowId(u.id, s.key('happy-1'));
    const report = await waitFor(async () => { const r = await readSagaReport(s.client, workflowId); return r.status === 'COMPLETED' ? r : undefined; }, { what: 'the saga to close' });
    expect(report).to.deep.include({ status: 'COMPLETED', orderId: String(order.id), userId: String(u.id) });
    // The stock was held before the saga; the service calls are local activities (run in the workflow
    // task), two rounds of two at once, then the order marked paid; the email is a scheduled activity.
    const rows = report.steps.map((x) => `${x.activity} ${x.status}${x.local ? ' local' : ''}`);
    expect(rows.slice(0, 2).sort()).to.deep.equal(['authorizePayment completed local', 'createOrder completed local']);
    expect(rows.slice(2, 4).sort()).to.deep.equal(['capturePayment completed local', 'confirmStock completed local']);
    expect(rows.slice(4)).to.deep.equal(['markOrderPaid completed local', 'notifyCustomer completed']);
    const found = await waitFor(async () => { const f = await findSagasOfOrder(s.client, String(order.id), { taskQueue: s.taskQueue }); return f.length ? f : undefined; }, { timeoutMs: 15_000, what: 'visibility of FicusOrderId' });
    expect(found.map((f) => f.workflowId)).to.deep.equal([workflowId]);
  });
});

describe('order saga: answers exactly as the monolith checkout does (e2e)', function () {
  this.timeout(120_000);
  let s: SagaStack;

  before(async function () {
    this.timeout(120_000);
    s = await startSagaStack('parity');
  });
  afterEach(async () => { await s?.expectConsistent(); });
  after(async () => { await stopAllSagaStacks(); });

  const errorOf = (r: { status: number; body: unknown }) => {
    const e = (r.body as ErrorBody).error;
    return { status: r.status, code: e.code, message: e.message, details: e.details };
  };

  it('empty cart: 409 CART_EMPTY from both', async () => {
    const u = await s.user();
    const legacy = await u.legacy.post('/api/orders');
    const saga = await u.saga.post('/api/orders');
    expect(errorOf(saga)).to.deep.equal(errorOf(legacy));
    expect(saga.status).to.equal(409);
  });

  it('shortage: the same 409 ORDER_OUT_OF_STOCK (message, details: first short line in cart order); no hold, no payment', async () => {
    const a = await s.product(100, 5), b = await s.product(200, 1);
    const u = await s.user();
    await u.addToCart(a, 1);
    await u.addToCart(b, 2);
    const calls = s.gatewayCalls.length;
    const saga = await u.saga.post('/api/orders', undefined, { 'idempotency-key': s.key('short-1') });
    expect(errorOf(saga)).to.deep.equal({ status: 409, code: 'ORDER_OUT_OF_STOCK', message: `not enough stock for product ${b}: 1 left, 2 wanted`, details: { productId: b, requested: 2, available: 1 } });
    const legacy = await u.legacy.post('/api/orders');
    expect(errorOf(saga)).to.deep.equal(errorOf(legacy));
    expect(s.gatewayCalls.length, 'no gateway call').to.equal(calls);
    expect(await s.dbs.payments.knex('payment_intents').where('intent_key', 'like', `checkout:${u.id}:%`).select('status')).to.deep.equal([]);
    expect(await s.stockOf(a)).to.deep.include({ on_hand: 5, reserved: 0 });
    expect((await u.legacy.get('/api/cart')).body).to.deep.include({ itemCount: 3 });
  });

  it('decline: the same 402 PAYMENT_DECLINED; the hold is released and the user sees no order', async () => {
    const a = await s.product(450, 3);
    const u = await s.user();
    await u.addToCart(a, 2);
    const legacy = await u.legacyDeclining.post('/api/orders');
    s.script.decline = true;
    try {
      const saga = await u.saga.post('/api/orders', undefined, { 'idempotency-key': s.key('declined-1') });
      expect(errorOf(saga)).to.deep.equal(errorOf(legacy));
      expect(saga.status).to.equal(402);
    } finally {
      s.script.decline = false;
    }
    expect(await s.stockOf(a)).to.deep.include({ on_hand: 3, reserved: 0 });
    expect((await u.saga.get('/api/orders')).body).to.deep.include({ total: 0 });
    expect((await u.legacy.get('/api/cart')).body).to.deep.include({ itemCount: 2 });
    const report = await readSagaReport(s.client, placeOrderWorkflowId(u.id, s.key('declined-1')));
    expect(report.status).to.equal('FAILED');
    // Authorize and create ran together; the decline undoes the order and the hold (held before the saga).
    expect(report.steps.slice(0, 2).map((x) => `${x.activity} ${x.kind} ${x.status}`).sort()).to.deep.equal(['authorizePayment action failed', 'createOrder action completed']);
    expect(report.steps.slice(2).map((x) => `${x.activity} ${x.kind} ${x.status}`)).to.deep.equal(['markOrderFailed compensation completed', 'releaseStock compensation completed']);
  });

  it('success: the same 201 order detail (but for ids, times and gateway references)', async () => {
    const a = await s.product(250, 10), b = await s.product(1999, 10);
    const u = await s.user();
    const strip = (d: Detail) => ({ ...d, id: 0, createdAt: 0, updatedAt: 0, payments: d.payments.map((p) => ({ ...p, id: 0, gatewayRef: '', createdAt: 0 })) });
    await u.addToCart(b, 1);
    await u.addToCart(a, 3);
    const legacy = await u.legacy.post('/api/orders');
    expect(legacy.status).to.equal(201);
    await u.addToCart(b, 1);
    await u.addToCart(a, 3);
    const saga = await u.saga.post('/api/orders');
    expect(saga.status, JSON.stringify(saga.body)).to.equal(201);
    expect(strip(saga.body as Detail)).to.deep.equal(strip(legacy.body as Detail));
    expect((await u.legacy.get('/api/cart')).body).to.deep.include({ items: [] });
  });

  it('a duplicate submit (same Idempotency-Key) creates one order: concurrent and later repeats answer the same order', async () => {
    const a = await s.product(500, 10);
    const u = await s.user();
    await u.addToCart(a, 2);
    const [r1, r2, r3] = await Promise.all([1, 2, 3].map(() => u.saga.post('/api/orders', undefined, { 'idempotency-key': s.key('dup-1') })));
    const later = await u.saga.post('/api/orders', undefined, { 'idempotency-key': s.key('dup-1') });
    const ids = [r1, r2, r3, later].map((r) => { expect(r!.status, JSON.stringify(r!.body)).to.equal(201); return (r!.body as Detail).id; });
    expect(new Set(ids).size).to.equal(1);
    expect(await s.dbs.orders.knex('orders').where({ user_id: u.id }).count({ n: '*' })).to.deep.equal([{ n: 1 }]);
    expect(await s.stockOf(a)).to.deep.include({ on_hand: 8 });
    expect(s.gatewayCalls.filter((c) => c.op === 'capture' && c.key.startsWith(`checkout:${u.id}:${s.key('dup-1')}`))).to.have.length(1);
    const bad = await u.saga.post('/api/orders', undefined, { 'idempotency-key': 'no spaces allowed' });
    expect(errorOf(bad)).to.deep.include({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('cancel: 200 with the refund, stock back on hand; a second cancel is ORDER_NOT_CANCELLABLE; others see ORDER_NOT_FOUND', async () => {
    const a = await s.product(300, 4);
    const u = await s.user(), other = await s.user();
    await u.addToCart(a, 3);
    const placed = (await u.saga.post('/api/orders')).body as Detail;
    expect(errorOf(await other.saga.post(`/api/orders/${placed.id}/cancel`))).to.deep.include({ status: 404, code: 'ORDER_NOT_FOUND' });
    const res = await u.saga.post(`/api/orders/${placed.id}/cancel`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const cancelled = res.body as Detail & { cancelledAt: string | null };
    expect(cancelled.status).to.equal('cancelled');
    expect(cancelled.cancelledAt).to.be.a('string');
    expect(cancelled.payments.map((p) => [p.kind, p.amountCents])).to.deep.equal([['charge', 900], ['refund', 900]]);
    expect(await s.stockOf(a)).to.deep.include({ on_hand: 4, reserved: 0 });
    expect(errorOf(await u.saga.post(`/api/orders/${placed.id}/cancel`))).to.deep.equal({
      status: 409, code: 'ORDER_NOT_CANCELLABLE', message: `order ${placed.id} is cancelled`, details: { orderId: placed.id, status: 'cancelled' },
    });
    await waitFor(() => s.notifications.filter((n) => n.orderId === placed.id).length === 2, { what: 'both emails' });
    expect(s.notifications.filter((n) => n.orderId === placed.id).map((n) => n.template)).to.deep.equal(['order_placed', 'order_cancelled']);
  });

  it('answers once the outcome is decided: the checkout does not wait for the email, which follows', async () => {
    const a = await s.product(700, 2);
    const u = await s.user();
    await u.addToCart(a, 1);
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    s.script.beforeNotify = () => held;
    try {
      const res = await u.saga.post('/api/orders', undefined, { 'idempotency-key': s.key('early-1') });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      const order = res.body as Detail;
      expect(order.status).to.equal('paid');
      expect(s.notifications.some((n) => n.orderId === order.id), 'email sent before the answer').to.equal(false);
      // The status URL answers the decided order too, while the workflow still waits on the email.
      const status = await u.saga.get(`/api/orders/checkouts/${s.key('early-1')}`);
      expect(status.status).to.equal(200);
      expect((status.body as Detail).id).to.equal(order.id);
      const running = await s.client.workflow.getHandle(placeOrderWorkflowId(u.id, s.key('early-1'))).describe();
      expect(running.status.name).to.equal('RUNNING');
      release();
      await waitFor(() => s.notifications.some((n) => n.orderId === order.id), { what: 'the email after the answer' });
    } finally {
      release();
      delete s.script.beforeNotify;
    }
  });
});

describe('order saga: determinism (e2e)', function () {
  this.timeout(180_000);
  let s: SagaStack;
  const fixtures = fileURLToPath(new URL('./histories/', import.meta.url));
  before(async function () {
    this.timeout(120_000);
    s = await startSagaStack('replay');
  });
  after(async () => { await stopAllSagaStacks(); });

  it('replays recorded histories (committed ones and fresh ones: placed, declined, compensated after capture, cancelled) without nondeterminism', async () => {
    const a = await s.product(400, 3);
    const u = await s.user();
    await u.addToCart(a, 1);
    const placed = (await u.saga.post('/api/orders', undefined, { 'idempotency-key': s.key('placed') })).body as Detail;
    expect((await u.saga.post(`/api/orders/${placed.id}/cancel`)).status).to.equal(200);
    await u.addToCart(a, 1);
    s.script.decline = true;
    expect((await u.saga.post('/api/orders', undefined, { 'idempotency-key': s.key('declined') })).status).to.equal(402);
    s.script.decline = false;
    const keys = (name: string) => placeOrderWorkflowId(u.id, s.key(name));
    s.script.beforeAuthorize = async () => {
      await s.dbs.inventory.knex('reservations').where({ reservation_key: `${keys('compensated')}:stock` }).update({ expires_at: new Date(Date.now() - 60_000) });
    };
    expect((await u.saga.post('/api/orders', undefined, { 'idempotency-key': s.key('compensated') })).status).to.equal(503);
    delete s.script.beforeAuthorize;
    await s.expectConsistent();

    const fresh = await Promise.all([
      // Recorded as `*-local.json` (local activities, decision 0014); the older fixtures keep sagas from before the patch replaying.
      ['place-order-placed-local', keys('placed')], ['cancel-order-local', `cancel:${keys('placed')}`], ['place-order-declined-local', keys('declined')],
      ['place-order-compensated-after-capture-local', keys('compensated')],
    ].map(async ([name, workflowId]) => ({ name: name!, workflowId: workflowId!, history: await s.client.workflow.getHandle(workflowId!).fetchHistory() })));
    const r = await replayWithFixtures({ workflowsPath: orderSagaWorkflowsPath, fixturesDir: fixtures, fresh: fresh.map((f) => ({ ...f, file: f.name })), record: process.env.FICUS_RECORD_SAGA_HISTORIES === '1' });
    expect(r.committed, 'committed histories').to.be.at.least(4);
    expect(r.results).to.deep.equal(r.expected);
  });
});
