import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { createLogger, readStackEnv, waitFor } from '@ficus/common';
import { createTestDatabase } from '@ficus/common/testing';
import { debeziumUser } from '@ficus/stack';
import { applyLegacySchema, seedLegacy } from '@ficus/legacy-monolith';
import { applyCatalogSchema } from '@ficus/catalog-service';
import { applyInventorySchema } from '@ficus/inventory-service';
import { createConnectClient } from '../connectors/connect-client.ts';
import { connectAll, startPipelines } from './cdc-runtime.ts';
import { defaultTopology } from './pipelines.ts';
import { provisionCdcForTest } from '../testing/cdc-test-login.ts';

type Db = Awaited<ReturnType<typeof createTestDatabase>>;

describe('cdc both ways at once: changes reach the other side once and never echo back', function () {
  this.timeout(240_000);
  const stack = readStackEnv();
  const prefix = `r${randomBytes(3).toString('hex')}`;
  let legacy: Db, catalog: Db, inventory: Db;
  let running: Awaited<ReturnType<typeof startPipelines>> | undefined;
  let topology: ReturnType<typeof defaultTopology>;
  let cdcUser: Awaited<ReturnType<typeof provisionCdcForTest>> | undefined;

  /** Sum of a counter over the streams whose name matches. */
  const counter = async (name: 'applied' | 'echoes', streamMatch: (s: string) => boolean) => {
    const m = await running!.metrics[name].get();
    return m.values.filter((v) => streamMatch(String(v.labels.stream))).reduce((n, v) => n + v.value, 0);
  };
  const intoLegacy = (s: string) => s.endsWith('->products') && s.startsWith(catalog.name) || s.startsWith(inventory.name);
  const intoServices = (s: string) => s.startsWith(legacy.name);

  const productsEqual = async () => {
    const [l, c] = await Promise.all([
      legacy.knex('products').orderBy('id').select('id', 'sku', 'name', 'price_cents', 'updated_at'),
      catalog.knex('products').orderBy('id').select('id', 'sku', 'name', 'price_cents', 'updated_at'),
    ]);
    return JSON.stringify(l) === JSON.stringify(c);
  };
  const stockEqual = async () => {
    const [l, s] = await Promise.all([
      legacy.knex('inventory').orderBy('product_id').select('product_id', 'quantity'),
      inventory.knex('stock_levels').orderBy('product_id').select('product_id', 'on_hand'),
    ]);
    return JSON.stringify(l.map((r) => [r.product_id, r.quantity])) === JSON.stringify(s.map((r) => [r.product_id, r.on_hand]));
  };

  before(async () => {
    [legacy, catalog, inventory] = await Promise.all([createTestDatabase('rev_legacy'), createTestDatabase('rev_catalog'), createTestDatabase('rev_inventory')]);
    await applyLegacySchema(legacy.knex);
    await seedLegacy(legacy.knex, { profile: 'small', seed: 5 });
    await applyCatalogSchema(catalog.knex);
    await applyInventorySchema(inventory.knex);
    const both = { forward: true, reverse: true };
    topology = defaultTopology({ legacy: legacy.name, catalog: catalog.name, inventory: inventory.name }, prefix, { catalog: both, inventory: both });
    for (const [i, c] of topology.connectors.entries()) c.serverId = 100_000 + Math.floor(Math.random() * 50_000) * 3 + i;
    cdcUser = await provisionCdcForTest(stack, { databases: { legacy: legacy.name, catalog: catalog.name, inventory: inventory.name } });
    await connectAll(topology, stack, debeziumUser);
    running = await startPipelines(topology, stack, cdcUser.login, createLogger('cdc-reverse-e2e'));
    await waitFor(async () => (await productsEqual()) && (await stockEqual()), { timeoutMs: 120_000, intervalMs: 500, what: 'forward initial load' });
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed' || !running) return;
    for (const n of ['applied', 'echoes'] as const) console.error(n, JSON.stringify((await running.metrics[n].get()).values.map((v) => [v.labels.stream, v.value])));
  });

  after(async () => {
    await running?.stop();
    for (const c of topology?.connectors ?? []) await createConnectClient(stack.FICUS_CONNECT_URL).deleteConnector(c.name).catch(() => undefined);
    await cdcUser?.drop();
    await Promise.all([legacy, catalog, inventory].map((d) => d?.drop()));
  });

  it('service writes flow back to legacy exactly once; the echoes of the sync are dropped on both sides', async () => {
    // the initial load wrote every service row through the sync: the reverse side drops them all as echoes
    await waitFor(async () => (await counter('echoes', intoLegacy)) >= 2000, { timeoutMs: 60_000, what: 'initial-load echoes dropped by the reverse applier' });
    expect(await counter('applied', intoLegacy)).to.equal(0);

    await catalog.knex('products').where('id', '<=', 20).update({ price_cents: 4242, updated_at: new Date() });
    await inventory.knex('stock_levels').where('product_id', '<=', 10).update({ on_hand: 321 });
    await waitFor(async () => (await productsEqual()) && (await stockEqual()), { timeoutMs: 60_000, intervalMs: 300, what: 'service writes in legacy' });
    await waitFor(async () => (await counter('echoes', intoServices)) >= 30, { timeoutMs: 30_000, what: 'the forward side dropping the reverse writes' });
    expect(await counter('applied', intoLegacy)).to.equal(30);
    const appliedForwardBefore = await counter('applied', intoServices);

    await legacy.knex('products').whereBetween('id', [100, 114]).update({ name: 'renamed in legacy', updated_at: new Date() });
    await waitFor(productsEqual, { timeoutMs: 60_000, intervalMs: 300, what: 'legacy writes in the service' });
    await waitFor(async () => (await counter('applied', intoServices)) === appliedForwardBefore + 15, { timeoutMs: 30_000, what: 'the 15 legacy changes applied once' });
    await waitFor(async () => (await counter('echoes', intoLegacy)) >= 2000 + 15, { timeoutMs: 30_000, what: 'their echoes dropped by the reverse side' });
    expect(await counter('applied', intoLegacy), 'no legacy change came back as a service change').to.equal(30);
  });
});
