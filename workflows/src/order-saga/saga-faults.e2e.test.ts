import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { FicusError, waitFor } from '@ficus/common';
import { startSagaStack, stopAllSagaStacks, type SagaStack } from '../testing/saga-stack.ts';
import { outcomeOf } from './client.ts';
import { readSagaReport } from './saga-history.ts';
import { placeOrderWorkflowId, sagaKeys, type PlaceOrderResult } from './saga-types.ts';

type ErrorBody = { error: { code: string; message: string } };
const gatewayDown = () => new FicusError('GATEWAY_UNAVAILABLE', 'payment gateway timed out', { status: 502, retriable: true });
/** A gate a gateway hook waits on until the test opens it. */
const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((r) => { open = r; });
  return { open, opened };
};

describe('order saga faults: gateway declines, times out, fails after capture; concurrent checkouts (e2e)', function () {
  this.timeout(180_000);
  let s: SagaStack;
  before(async function () {
    this.timeout(120_000);
    s = await startSagaStack('faults');
  });
  afterEach(async () => {
    for (const k of Object.keys(s.script) as Array<keyof typeof s.script>) delete s.script[k];
    await s.expectConsistent();
  });
  after(async () => { await stopAllSagaStacks(); });

  const request = (userId: number, productId: number, quantity: number, priceCents: number) => ({
    userId, customer: { email: `u${userId}@example.com`, name: `User ${userId}` },
    items: [{ productId, sku: `SKU-${productId}`, name: `Product ${productId}`, unitPriceCents: priceCents, quantity }],
  });
  const place = async (name: string, userId: number, productId: number, quantity: number, priceCents = 100) => {
    const key = s.key(name);
    // A shortage is answered at once (the stock hold before the saga); anything else follows the saga.
    const first = await s.saga.placeOrder(key, request(userId, productId, quantity, priceCents), 0);
    if (first.state === 'failed' || first.state === 'completed') return first;
    return waitFor(async () => { const o = await outcomeOf<PlaceOrderResult>(s.client, placeOrderWorkflowId(userId, key), 1_000); return o.state === 'running' ? undefined : o; },
      { timeoutMs: 120_000, intervalMs: 100, what: `saga ${key}` });
  };

  it('gateway timing out on authorize (502 twice): retried with the same key, completes with one authorization', async () => {
    const p = await s.product(100, 5);
    let failures = 2;
    s.script.beforeAuthorize = async () => { if (failures-- > 0) throw gatewayDown(); };
    const o = await place('gw-flaky', 9001, p, 2);
    expect(o.state).to.equal('completed');
    const intent = await s.dbs.payments.knex('payment_intents').where({ intent_key: sagaKeys(placeOrderWorkflowId(9001, s.key('gw-flaky'))).payment }).first();
    expect(intent).to.deep.include({ status: 'captured', captured_cents: 200 });
    expect(await s.stockOf(p)).to.deep.include({ on_hand: 3, reserved: 0 });
  });

  it('gateway slower than the activity timeout on capture: the timed-out call is retried, one capture, order paid', async () => {
    const p = await s.product(100, 5);
    let slow = true;
    s.script.beforeCapture = async () => { if (slow) { slow = false; await new Promise((r) => setTimeout(r, 11_000)); } };
    const o = await place('gw-slow', 9002, p, 1);
    expect(o.state).to.equal('completed');
    const key = sagaKeys(placeOrderWorkflowId(9002, s.key('gw-slow'))).payment;
    const ops = await s.dbs.payments.knex('payment_operations').join('payment_intents', 'payment_intents.id', 'payment_operations.intent_id')
      .where('payment_intents.intent_key', key).select('kind');
    expect(ops.map((x: { kind: string }) => x.kind).sort()).to.deep.equal(['authorize', 'capture']);
  });

  it('gateway down for capture past the retry policy: compensated (void, order failed, stock released), CHECKOUT_FAILED', async () => {
    const p = await s.product(100, 5);
    s.script.beforeCapture = async () => { throw gatewayDown(); };
    const o = await place('gw-down', 9003, p, 2);
    expect(o).to.deep.include({ state: 'failed', code: 'CHECKOUT_FAILED' });
    const keys = sagaKeys(placeOrderWorkflowId(9003, s.key('gw-down')));
    expect(await s.dbs.payments.knex('payment_intents').where({ intent_key: keys.payment }).first()).to.deep.include({ status: 'voided', captured_cents: 0 });
    expect(await s.dbs.orders.knex('orders').where({ order_key: keys.order }).first()).to.deep.include({ status: 'failed' });
    expect(await s.stockOf(p)).to.deep.include({ on_hand: 5, reserved: 0 });
  });

  it('gateway captures but the acknowledgement is lost: the retry gets the same capture, no double charge', async () => {
    const p = await s.product(700, 5);
    let lose = true;
    s.script.afterCapture = async () => { if (lose) { lose = false; throw gatewayDown(); } };
    const o = await place('gw-ack-lost', 9004, p, 1, 700);
    expect(o.state).to.equal('completed');
    const key = sagaKeys(placeOrderWorkflowId(9004, s.key('gw-ack-lost'))).payment;
    expect(s.gatewayCalls.filter((c) => c.op === 'capture' && c.key.startsWith(key))).to.have.length(2);
    const order = await s.dbs.orders.knex('orders').where({ order_key: placeOrderWorkflowId(9004, s.key('gw-ack-lost')) }).first();
    const charges = await s.dbs.orders.knex('order_payments').where({ order_id: order.id }).select('kind', 'amount_cents', 'gateway_ref');
    const intent = await s.dbs.payments.knex('payment_intents').where({ intent_key: key }).first();
    expect(intent).to.deep.include({ status: 'captured', captured_cents: 700 });
    expect(charges).to.have.length(1);
  });

  it('a step failing after capture (the hold expired): refunded, order failed, stock back, CHECKOUT_FAILED', async () => {
    const p = await s.product(300, 4);
    const keys = sagaKeys(placeOrderWorkflowId(9005, s.key('after-capture')));
    // The hold expires while the payment is authorized: the capture (alongside) goes through, the confirm cannot.
    s.script.beforeAuthorize = async () => {
      await s.dbs.inventory.knex('reservations').where({ reservation_key: keys.reservation }).update({ expires_at: new Date(Date.now() - 60_000) });
    };
    const o = await place('after-capture', 9005, p, 2, 300);
    expect(o).to.deep.include({ state: 'failed', code: 'CHECKOUT_FAILED' });
    expect(await s.dbs.payments.knex('payment_intents').where({ intent_key: keys.payment }).first()).to.deep.include({ status: 'refunded', captured_cents: 600, refunded_cents: 600 });
    expect(await s.dbs.orders.knex('orders').where({ order_key: keys.order }).first()).to.deep.include({ status: 'failed' });
    expect(await s.stockOf(p)).to.deep.include({ on_hand: 4, reserved: 0 });
    const report = await readSagaReport(s.client, keys.order);
    expect(report.steps.filter((x) => x.kind === 'compensation').map((x) => x.activity)).to.deep.equal(['refundPayment', 'markOrderFailed', 'voidPayment', 'releaseStock']);
  });

  it('50 concurrent checkouts on a stock of 10: exactly 10 orders, 40 ORDER_OUT_OF_STOCK, nothing left held', async () => {
    const p = await s.product(100, 10);
    const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => place(`race-${i}`, 10_000 + i, p, 1)));
    expect(outcomes.filter((o) => o.state === 'completed')).to.have.length(10);
    expect(outcomes.filter((o) => o.state === 'failed' && o.code === 'ORDER_OUT_OF_STOCK')).to.have.length(40);
    expect(await s.stockOf(p)).to.deep.include({ on_hand: 0, reserved: 0 });
    const paid = await s.dbs.orders.knex('orders').where('user_id', '>=', 10_000).where({ status: 'paid' }).count({ n: '*' });
    expect(Number(paid[0]?.n)).to.equal(10);
    // Losers are answered by the hold, without a workflow (one whose hold hit an inventory error
    // falls back to the saga's own reserve step, which answers the same).
    const states = await Promise.all(Array.from({ length: 50 }, (_, i) => outcomeOf(s.client, placeOrderWorkflowId(10_000 + i, s.key(`race-${i}`)), 0)));
    expect(states.filter((x) => x.state === 'not-found').length, 'checkouts that never started a workflow').to.be.at.least(1);
  });

  it('20 sagas started without a hold on a stock of 5: the reserve step of the saga admits exactly 5', async () => {
    const p = await s.product(100, 5);
    const outcomes = await Promise.all(Array.from({ length: 20 }, async (_, i) => {
      const workflowId = placeOrderWorkflowId(20_000 + i, s.key(`unheld-${i}`));
      await s.client.workflow.start('placeOrder', { workflowId, taskQueue: s.taskQueue, args: [{ ...request(20_000 + i, p, 1, 100), stockHeld: false }] });
      return waitFor(async () => { const o = await outcomeOf<PlaceOrderResult>(s.client, workflowId, 1_000); return o.state === 'running' ? undefined : o; }, { timeoutMs: 120_000, what: workflowId });
    }));
    expect(outcomes.filter((o) => o.state === 'completed')).to.have.length(5);
    expect(outcomes.filter((o) => o.state === 'failed' && o.code === 'ORDER_OUT_OF_STOCK')).to.have.length(15);
    expect(await s.stockOf(p)).to.deep.include({ on_hand: 0, reserved: 0 });
  });
});

describe('order saga past the wait bound: 202 with a status URL, the saga still completes (e2e)', function () {
  this.timeout(120_000);
  let s: SagaStack;
  before(async function () {
    this.timeout(120_000);
    s = await startSagaStack('bound', { waitMs: 300 });
  });
  afterEach(async () => { await s.expectConsistent(); });
  after(async () => { await stopAllSagaStacks(); });

  it('answers 202 + Location while capture hangs, then the status URL answers the order and the cart is emptied', async () => {
    const p = await s.product(800, 3);
    const u = await s.user();
    await u.addToCart(p, 1);
    const g = gate();
    s.script.beforeCapture = () => g.opened;
    const res = await u.saga.post('/api/orders', undefined, { 'idempotency-key': s.key('slow-1') });
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    const statusUrl = `/api/orders/checkouts/${s.key('slow-1')}`;
    expect(res.body).to.deep.equal({ status: 'pending', checkoutKey: s.key('slow-1'), statusUrl });
    expect(res.headers.get('location')).to.equal(statusUrl);
    expect((await u.saga.get(statusUrl)).status).to.equal(202);
    expect(((await u.saga.get('/api/orders/checkouts/nope')).body as ErrorBody).error.code).to.equal('CHECKOUT_NOT_FOUND');
    g.open();
    const done = await waitFor(async () => { const r = await u.saga.get(statusUrl); return r.status === 200 ? r : undefined; }, { timeoutMs: 30_000, what: 'the checkout to finish' });
    expect(done.body).to.deep.include({ status: 'paid', totalCents: 800 });
    await waitFor(async () => ((await u.legacy.get('/api/cart')).body as { itemCount: number }).itemCount === 0, { what: 'the cart to be emptied' });
  });
});

describe('order saga: the worker killed (kill -9) mid-saga and restarted (e2e)', function () {
  this.timeout(180_000);
  let s: SagaStack;
  const children: ChildProcess[] = [];
  const workerPath = fileURLToPath(new URL('../worker.ts', import.meta.url));
  const spawnWorker = async () => {
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', workerPath], {
      env: { ...process.env, ...s.workerEnv, LOG_LEVEL: 'info', FICUS_TEST: '' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    await waitFor(() => out.includes('saga worker running') || child.exitCode !== null, { timeoutMs: 60_000, what: 'the worker child to start' });
    expect(child.exitCode, out).to.equal(null);
    return { child, exited, output: () => out };
  };
  before(async function () {
    this.timeout(120_000);
    s = await startSagaStack('crash', { inProcessWorker: false });
  });
  after(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await stopAllSagaStacks();
  });

  it('completes the saga after a restart, captures once, and the restarted worker drains and exits 0 on SIGTERM', async () => {
    const p = await s.product(1200, 2);
    const g = gate();
    s.script.beforeCapture = () => g.opened;
    const first = await spawnWorker();
    const key = s.key('crash-1'), userId = 9100;
    await s.saga.placeOrder(key, { userId, customer: { email: 'c@example.com', name: 'C' }, items: [{ productId: p, sku: 'S', name: 'N', unitPriceCents: 1200, quantity: 1 }] }, 0);
    await waitFor(() => s.gatewayCalls.some((c) => c.op === 'capture'), { timeoutMs: 30_000, what: 'the capture to be in flight' });
    first.child.kill('SIGKILL');
    await first.exited;
    g.open();
    const second = await spawnWorker();
    const o = await waitFor(async () => { const r = await outcomeOf<PlaceOrderResult>(s.client, placeOrderWorkflowId(userId, key), 1_000); return r.state === 'running' ? undefined : r; },
      { timeoutMs: 90_000, intervalMs: 200, what: 'the saga to finish on the restarted worker' });
    expect(o.state, JSON.stringify(o)).to.equal('completed');
    await s.expectConsistent();
    expect(await s.stockOf(p)).to.deep.include({ on_hand: 1, reserved: 0 });
    const ops = await s.dbs.payments.knex('payment_operations').where({ kind: 'capture' }).count({ n: '*' });
    expect(Number(ops[0]?.n)).to.equal(1);
    second.child.kill('SIGTERM');
    expect(await second.exited, second.output()).to.equal(0);
    expect(second.output()).to.include('saga worker stopped');
  });
});
