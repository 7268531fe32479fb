// Test harness: the real services in-process on their own MariaDB databases, the real monolith
// (carts and sessions), and the real Temporal dev server with a worker on a unique task queue.
import { connectTemporal } from '../temporal-connection.ts';
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { expect } from 'chai';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createLogger, createServiceClient, devServiceAuthSecret, readStackEnv, signUserToken } from '@ficus/common';
import { createHttpClient, createTestDatabase, listenEphemeral } from '@ficus/common/testing';
import { createInventoryApp, applyInventorySchema } from '@ficus/inventory-service';
import { createPaymentsApp, createSimulatedGateway, applyPaymentsSchema, type PaymentGateway } from '@ficus/payments-service';
import { createLegacyCartClient, createOrdersApp, applyOrdersSchema } from '@ficus/orders-service';
import { createApp, applyLegacySchema, testConfig } from '@ficus/legacy-monolith';
import { createActivities, type CustomerNotification } from '../order-saga/activities.ts';
import { createTemporalCheckoutSaga } from '../order-saga/client.ts';
import { sagaClientInterceptors } from '../order-saga/saga-client-interceptors.ts';
import { orderSagaWorkflowsPath, sagaWorkerTuning } from '../create-saga-worker.ts';

/** Per-test behaviour of the payment gateway: hooks run before the simulated processor answers. */
export interface GatewayScript {
  decline?: boolean;
  beforeAuthorize?: (key: string) => Promise<void>;
  beforeCapture?: (key: string) => Promise<void>;
  /** Runs after the processor captured (the money moved), e.g. to lose the acknowledgement. */
  afterCapture?: (key: string) => Promise<void>;
  /** Runs before the customer's email is recorded (e.g. to hold it and see the checkout answer first). */
  beforeNotify?: (n: CustomerNotification) => Promise<void>;
}

export interface ServiceDb { knex: Knex; drop: () => Promise<void> }

const started: Array<() => Promise<void>> = [];

export const startSagaStack = async (name: string, o: { waitMs?: number; inProcessWorker?: boolean } = {}) => {
  const auth = { secrets: [devServiceAuthSecret] };
  const stack = readStackEnv();
  // Workflow ids are global in the namespace and outlive a run: every key a test makes carries this tag.
  const runTag = randomBytes(4).toString('hex');
  const taskQueue = `saga-${name}-${runTag}`;
  const dbs = {
    inventory: await createTestDatabase(`saga_inv_${name}`),
    payments: await createTestDatabase(`saga_pay_${name}`),
    orders: await createTestDatabase(`saga_ord_${name}`),
    legacy: await createTestDatabase(`saga_legacy_${name}`),
  };
  const closers: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
    for (const d of Object.values(dbs)) await d.drop().catch(() => undefined);
  };
  started.push(stop);
  await Promise.all([applyInventorySchema(dbs.inventory.knex), applyPaymentsSchema(dbs.payments.knex), applyOrdersSchema(dbs.orders.knex), applyLegacySchema(dbs.legacy.knex)]);

  const inventoryApp = createInventoryApp({ reservation: { defaultTtlSeconds: 900, maxTtlSeconds: 3600 }, auth }, dbs.inventory.knex);
  const inventory = await listenEphemeral(inventoryApp);
  closers.push(inventory.close);

  const script: GatewayScript = {};
  const simulated = createSimulatedGateway({ declineRate: 0, latencyMs: 0, failureRate: 0 });
  const declining = createSimulatedGateway({ declineRate: 1, latencyMs: 0, failureRate: 0 });
  const gatewayCalls: Array<{ op: string; key: string }> = [];
  const gateway: PaymentGateway = {
    async authorize(r) { gatewayCalls.push({ op: 'authorize', key: r.key }); await script.beforeAuthorize?.(r.key); return (script.decline ? declining : simulated).authorize(r); },
    async capture(r) {
      gatewayCalls.push({ op: 'capture', key: r.key });
      await script.beforeCapture?.(r.key);
      const answer = await simulated.capture(r);
      await script.afterCapture?.(r.key);
      return answer;
    },
    async void(r) { gatewayCalls.push({ op: 'void', key: r.key }); return simulated.void(r); },
    async refund(r) { gatewayCalls.push({ op: 'refund', key: r.key }); return simulated.refund(r); },
  };
  const payments = await listenEphemeral(createPaymentsApp({ gateway: { declineRate: 0, latencyMs: 0, failureRate: 0 }, auth }, dbs.payments.knex, { gateway }));
  closers.push(payments.close);

  const legacyApp = await listenEphemeral(createApp(testConfig({ gateway: { declineRate: 0, latencyMs: 0 } }), dbs.legacy.knex));
  closers.push(legacyApp.close);
  // The same monolith with a gateway that declines every charge (for answer-for-answer comparisons).
  const legacyDeclining = await listenEphemeral(createApp(testConfig({ gateway: { declineRate: 1, latencyMs: 0 } }), dbs.legacy.knex));
  closers.push(legacyDeclining.close);

  const { connection, close: closeConnection } = await connectTemporal(stack.FICUS_TEMPORAL_ADDRESS);
  closers.push(closeConnection);
  // as the orders service's main.ts: the checkout's request id (and, with tracing on, its trace) go with the saga
  const client = new Client({ connection, namespace: stack.FICUS_TEMPORAL_NAMESPACE, interceptors: sagaClientInterceptors() });
  const saga = createTemporalCheckoutSaga(client, taskQueue, {
    inventory: createServiceClient({ service: 'inventory', baseUrl: inventory.baseUrl, authSecret: devServiceAuthSecret, timeoutMs: 4_000 }),
  });
  closers.push(async () => saga.close());

  const ordersApp = await listenEphemeral(createOrdersApp({ auth }, dbs.orders.knex, {
    checkout: { saga, cart: createLegacyCartClient({ baseUrl: legacyApp.baseUrl, timeoutMs: 3_000 }), waitMs: o.waitMs ?? 10_000, followMs: 60_000 },
  }));
  closers.push(ordersApp.close);

  const urls = { inventory: inventory.baseUrl, payments: payments.baseUrl, orders: ordersApp.baseUrl, legacy: legacyApp.baseUrl, legacyDeclining: legacyDeclining.baseUrl };
  const notifications: CustomerNotification[] = [];
  const serviceClient = (service: string, baseUrl: string, timeoutMs: number) => createServiceClient({ service, baseUrl, authSecret: devServiceAuthSecret, timeoutMs });

  let worker: Worker | undefined;
  let workerRun: Promise<void> | undefined;
  const startWorker = async () => {
    const nativeConnection = await NativeConnection.connect({ address: stack.FICUS_TEMPORAL_ADDRESS });
    worker = await Worker.create({
      connection: nativeConnection, namespace: stack.FICUS_TEMPORAL_NAMESPACE, taskQueue, workflowsPath: orderSagaWorkflowsPath,
      activities: createActivities({
        inventory: serviceClient('inventory', urls.inventory, 4_000), payments: serviceClient('payments', urls.payments, 9_000), orders: serviceClient('orders', urls.orders, 4_000),
        notifications: async (n) => { await script.beforeNotify?.(n); notifications.push(n); }, log: createLogger('saga-test'),
      }),
      bundlerOptions: { ignoreModules: [] },
      shutdownGraceTime: '2 seconds',
      ...sagaWorkerTuning,
    });
    const w = worker;
    workerRun = w.run().finally(() => nativeConnection.close());
    closers.push(async () => { if (w.getState() === 'RUNNING') w.shutdown(); await workerRun; });
  };
  if (o.inProcessWorker ?? true) await startWorker();

  /** The worker's environment for `node workflows/src/worker.ts` in a child process. */
  const workerEnv = {
    FICUS_SAGA_TASK_QUEUE: taskQueue, FICUS_SAGA_INVENTORY_URL: urls.inventory, FICUS_SAGA_PAYMENTS_URL: urls.payments, FICUS_SAGA_ORDERS_URL: urls.orders,
    FICUS_SAGA_SHUTDOWN_GRACE_MS: '2000',
    // several worker processes may run at once (a takeover): no metrics port to share
    FICUS_SAGA_METRICS_ADDRESS: 'off',
  };

  let productSeq = 0;
  /** A product in both the monolith (for carts) and inventory (for holds), same id, same stock. */
  const product = async (priceCents: number, stock: number) => {
    const id = ++productSeq;
    const now = new Date();
    if (id === 1) await dbs.legacy.knex('categories').insert({ id: 1, slug: 'saga', name: 'Saga', created_at: now });
    await dbs.legacy.knex('products').insert({ id, sku: `SKU-${id}`, name: `Product ${id}`, description: 'd', price_cents: priceCents, category_id: 1, created_at: now, updated_at: now });
    await dbs.legacy.knex('inventory').insert({ product_id: id, quantity: stock, updated_at: now });
    const r = await serviceClient('inventory', urls.inventory, 4_000)({ method: 'PUT', path: `/internal/stock/${id}`, body: { onHand: stock } });
    expect(r.status).to.be.oneOf([200, 201]);
    return id;
  };

  let userSeq = 0;
  /** A monolith user; `legacy` talks to the monolith, `saga` to the orders service (session cookie + signed header, as the proxy sends). */
  const user = async () => {
    const legacy = createHttpClient(urls.legacy);
    const email = `saga${++userSeq}-${randomBytes(3).toString('hex')}@example.com`;
    const reg = await legacy.post('/api/auth/register', { email, password: 'correct horse battery', name: `Saga User ${userSeq}` });
    expect(reg.status, JSON.stringify(reg.body)).to.equal(201);
    const id = (reg.body as { id: number }).id;
    const saga = createHttpClient(urls.orders, () => ({
      'x-ficus-user': signUserToken({ userId: id, role: 'customer', exp: Math.floor(Date.now() / 1000) + 300 }, devServiceAuthSecret),
      cookie: [...legacy.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    }));
    const addToCart = async (productId: number, quantity: number) => {
      const r = await legacy.post('/api/cart/items', { productId, quantity });
      expect(r.status, JSON.stringify(r.body)).to.equal(200);
    };
    /** The same session against the monolith that declines every charge. */
    const legacyDecliningClient = createHttpClient(urls.legacyDeclining, () => ({ cookie: [...legacy.cookies].map(([k, v]) => `${k}=${v}`).join('; ') }));
    return { id, email, legacy, legacyDeclining: legacyDecliningClient, saga, addToCart };
  };

  const stockOf = async (productId: number) =>
    (await dbs.inventory.knex('stock_levels').where({ product_id: productId }).first()) as { on_hand: number; reserved: number };

  /**
   * The invariant after every saga: nothing held, nothing authorized-but-not-captured, no order
   * pending; every captured-not-refunded payment belongs to a paid order of the same amount.
   */
  const expectConsistent = async () => {
    const held = await dbs.inventory.knex('reservations').where({ status: 'held' }).count({ n: '*' });
    expect(Number(held[0]?.n), 'reservations left held').to.equal(0);
    const authorized = await dbs.payments.knex('payment_intents').whereIn('status', ['authorized', 'pending']).select('intent_key');
    expect(authorized, 'payments left authorized').to.deep.equal([]);
    const pending = await dbs.orders.knex('orders').where({ status: 'pending' }).select('order_key');
    expect(pending, 'orders left pending').to.deep.equal([]);
    const captured = await dbs.payments.knex('payment_intents').where({ status: 'captured' }).select('intent_key', 'captured_cents', 'refunded_cents');
    const paid = await dbs.orders.knex('orders').whereIn('status', ['paid']).select('order_key', 'total_cents');
    expect(captured.map((c: { intent_key: string; captured_cents: number }) => [c.intent_key.replace(/:payment$/, ''), c.captured_cents]).sort())
      .to.deep.equal(paid.map((p: { order_key: string; total_cents: number }) => [p.order_key, p.total_cents]).sort());
    const reserved = await dbs.inventory.knex('stock_levels').where('reserved', '>', 0).select('product_id');
    expect(reserved, 'stock left reserved').to.deep.equal([]);
  };

  return {
    taskQueue, urls, dbs,
    /** A checkout key unique to this run. */
    key: (name: string) => `${name}-${runTag}`, client, saga, script, gatewayCalls, notifications, workerEnv,
    startWorker,
    stopWorker: async () => { if (worker?.getState() === 'RUNNING') worker.shutdown(); await workerRun; },
    product, user, stockOf, expectConsistent, stop,
  };
};

export type SagaStack = Awaited<ReturnType<typeof startSagaStack>>;

/** Stops every stack a test file started (for `after` hooks that run after a failed `before`). */
export const stopAllSagaStacks = async () => { for (const s of started.splice(0)) await s(); };
