import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { createLogger, readStackEnv, waitFor } from '@ficus/common';
import { createTestDatabase } from '@ficus/common/testing';
import { debeziumUser } from '@ficus/stack';
import { applyLegacySchema, seedLegacy } from '@ficus/legacy-monolith';
import { applyCatalogSchema } from '@ficus/catalog-service';
import { applyInventorySchema } from '@ficus/inventory-service';
import { createConnectClient } from '../connectors/connect-client.ts';
import { connectAll, kafkaFor, startPipelines } from './cdc-runtime.ts';
import { cdcStatus } from './cdc-status.ts';
import { defaultTopology, deadLetterTopicOf } from './pipelines.ts';
import { readDeadLetters } from '../dead-letters/dead-letter-queue.ts';
import { requestIncrementalSnapshot } from './incremental-snapshot.ts';
import { provisionCdcForTest } from '../testing/cdc-test-login.ts';

type Db = Awaited<ReturnType<typeof createTestDatabase>>;

describe('cdc pipelines: legacy → catalog and inventory services on the real stack', () => {
  const stack = readStackEnv();
  const prefix = `t${randomBytes(3).toString('hex')}`;
  let legacy: Db, catalog: Db, inventory: Db;
  let running: Awaited<ReturnType<typeof startPipelines>> | undefined;
  let topology: ReturnType<typeof defaultTopology>;
  let cdcUser: Awaited<ReturnType<typeof provisionCdcForTest>> | undefined;

  before(async () => {
    [legacy, catalog, inventory] = await Promise.all([createTestDatabase('cdc_legacy'), createTestDatabase('cdc_catalog'), createTestDatabase('cdc_inventory')]);
    await applyLegacySchema(legacy.knex);
    await seedLegacy(legacy.knex, { profile: 'small', seed: 7 });
    await applyCatalogSchema(catalog.knex);
    await applyInventorySchema(inventory.knex);
    topology = defaultTopology({ legacy: legacy.name, catalog: catalog.name, inventory: inventory.name }, prefix);
    topology.connectors[0]!.serverId = 20_000 + Math.floor(Math.random() * 40_000);
  });

  after(async () => {
    await running?.stop();
    for (const c of topology?.connectors ?? []) await createConnectClient(stack.FICUS_CONNECT_URL).deleteConnector(c.name).catch(() => undefined);
    await cdcUser?.drop();
    await Promise.all([legacy, catalog, inventory].map((d) => d?.drop()));
  });

  const products = {
    legacy: async () => (await legacy.knex('products').orderBy('id').select('id', 'sku', 'name', 'description', 'price_cents', 'category_id', 'created_at', 'updated_at')),
    catalog: async () => (await catalog.knex('products').orderBy('id').select('id', 'sku', 'name', 'description', 'price_cents', 'category_id', 'created_at', 'updated_at')),
  };
  const stock = {
    legacy: async () => (await legacy.knex('inventory').orderBy('product_id').select('product_id', 'quantity')).map((r) => ({ product_id: r.product_id, on_hand: r.quantity })),
    service: async () => inventory.knex('stock_levels').orderBy('product_id').select('product_id', 'on_hand'),
  };
  let lastDiff = '';
  /** Exact parity; remembers the first differing row for the failure message. */
  const equal = async (a: () => Promise<unknown[]>, b: () => Promise<unknown[]>) => {
    const [x, y] = [await a(), await b()];
    if (JSON.stringify(x) === JSON.stringify(y)) return true;
    const i = x.findIndex((r, k) => JSON.stringify(r) !== JSON.stringify(y[k]));
    lastDiff = `rows ${x.length} vs ${y.length}; first difference at ${i}: ${JSON.stringify(x[i])} vs ${JSON.stringify(y[i])}`;
    return false;
  };
  afterEach(function () { if (this.currentTest?.state === 'failed') console.error(`last parity difference: ${lastDiff}`); });

  it('loads the history through the initial snapshot, then follows changes, row for row', async function () {
    this.timeout(300_000);
    // the appliers run as a CDC user of this test's own, granted only what provisioning grants
    cdcUser = await provisionCdcForTest(stack, { databases: { legacy: legacy.name, catalog: catalog.name, inventory: inventory.name } });
    await connectAll(topology, stack, debeziumUser);
    running = await startPipelines(topology, stack, cdcUser.login, createLogger('cdc-e2e'));
    await waitFor(() => equal(products.legacy, products.catalog), { timeoutMs: 120_000, intervalMs: 500, what: 'catalog products equal legacy products' });
    await waitFor(() => equal(stock.legacy, stock.service), { timeoutMs: 60_000, intervalMs: 500, what: 'stock levels equal legacy inventory' });
    expect((await catalog.knex('categories').count({ n: '*' }))[0]!.n).to.equal((await legacy.knex('categories').count({ n: '*' }))[0]!.n);

    await legacy.knex('products').where('id', '<=', 50).update({ price_cents: 999, updated_at: new Date() });
    await legacy.knex('inventory').where('product_id', '<=', 30).increment('quantity', 3);
    const [cat] = await legacy.knex('categories').insert({ name: 'Garden', slug: `garden-${prefix}` });
    await legacy.knex('products').insert({ sku: `SKU-${prefix}`, name: 'Hose', description: 'green', category_id: cat, price_cents: 1500 });
    await waitFor(() => equal(products.legacy, products.catalog), { timeoutMs: 60_000, intervalMs: 300, what: 'products after changes' });
    await waitFor(() => equal(stock.legacy, stock.service), { timeoutMs: 60_000, intervalMs: 300, what: 'stock after changes' });

    const status = await cdcStatus(topology, stack);
    expect(status.connectors[0]!.state).to.equal('RUNNING');
    const catalogPipeline = status.pipelines.find((p) => p.name.endsWith('catalog-forward'))!;
    expect(catalogPipeline.tables.every((t) => t.sourceRows === t.targetRows)).to.equal(true);
    expect(catalogPipeline.lastAppliedAt).to.be.a('string');
  });

  it('an incremental snapshot backfills a target that lost rows, while streaming goes on', async function () {
    this.timeout(180_000);
    await inventory.knex('stock_levels').where('product_id', '>', 1000).delete();
    await legacy.knex('inventory').where({ product_id: 3 }).update({ quantity: 55 });
    await requestIncrementalSnapshot(topology, stack, topology.connectors[0]!.name, ['inventory']);
    await waitFor(() => equal(stock.legacy, stock.service), { timeoutMs: 120_000, intervalMs: 500, what: 'stock levels backfilled by the incremental snapshot' });
  });

  it('a legacy DDL the mapping does not know sends the row to dead letters instead of writing wrong data', async () => {
    await legacy.knex.schema.alterTable('products', (t) => { t.string('colour', 20).nullable(); });
    await legacy.knex('products').where({ id: 1 }).update({ name: 'after the DDL', colour: 'red' });
    const kafka = kafkaFor(stack, 'cdc-e2e-dlq');
    const pipeline = topology.pipelines.find((p) => p.name.endsWith('catalog-forward'))!;
    const letters = await waitFor(async () => { const l = await readDeadLetters(kafka, deadLetterTopicOf(pipeline)); return l.length ? l : undefined; }, { timeoutMs: 60_000, intervalMs: 1000, what: 'a dead letter' });
    expect(letters[0]!.code).to.equal('CDC_MAPPING_FAILED');
    expect(letters[0]!.reason).to.contain('colour');
    expect((await catalog.knex('products').where({ id: 1 }).first()).name).to.not.equal('after the DDL');
    // the pipeline goes on for the tables that still fit
    await legacy.knex('inventory').where({ product_id: 2 }).update({ quantity: 77 });
    await waitFor(async () => (await inventory.knex('stock_levels').where({ product_id: 2 }).first())?.on_hand === 77, { timeoutMs: 30_000, what: 'stock change after the DDL' });
  });
});
