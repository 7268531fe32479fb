import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { createLogger, readStackEnv, waitFor } from '@ficus/common';
import { createTestDatabase } from '@ficus/common/testing';
import { debeziumUser } from '@ficus/stack';
import { applyLegacySchema, seedLegacy } from '@ficus/legacy-monolith';
import { applyCatalogSchema } from '@ficus/catalog-service';
import { applyInventorySchema } from '@ficus/inventory-service';
import { createConnectClient } from '../connectors/connect-client.ts';
import { startSupervisedPipelines } from './cdc-supervisor.ts';
import { createCdcSyncControl } from './sync-control.ts';
import { openCdcControl } from './directions-store.ts';
import { provisionCdcForTest } from '../testing/cdc-test-login.ts';

type Db = Awaited<ReturnType<typeof createTestDatabase>>;

describe('cdc sync control: the write cutover turns a domain around on the running CDC process', function () {
  this.timeout(240_000);
  const stack = readStackEnv();
  const prefix = `s${randomBytes(3).toString('hex')}`;
  let legacy: Db, catalog: Db, inventory: Db, control: Db;
  let supervisor: Awaited<ReturnType<typeof startSupervisedPipelines>> | undefined;
  let cdcUser: Awaited<ReturnType<typeof provisionCdcForTest>> | undefined;

  before(async () => {
    [legacy, catalog, inventory, control] = await Promise.all([createTestDatabase('sc_legacy'), createTestDatabase('sc_catalog'), createTestDatabase('sc_inventory'), createTestDatabase('sc_control')]);
    await applyLegacySchema(legacy.knex);
    await seedLegacy(legacy.knex, { profile: 'small', seed: 3 });
    await applyCatalogSchema(catalog.knex);
    await applyInventorySchema(inventory.knex);
    // the control database's tables and the CDC's grants, as provisioning makes them
    cdcUser = await provisionCdcForTest(stack, { databases: { legacy: legacy.name, catalog: catalog.name, inventory: inventory.name }, control: control.name });
  });
  after(async () => {
    await supervisor?.stop();
    for (const c of ['legacy', 'catalog', 'inventory']) await createConnectClient(stack.FICUS_CONNECT_URL).deleteConnector(`${prefix}-${c}`).catch(() => undefined);
    await cdcUser?.drop();
    await Promise.all([legacy, catalog, inventory, control].map((d) => d?.drop()));
  });

  const priceOf = async (db: Db, id: number) => Number((await db.knex('products').where({ id }).first('price_cents')).price_cents);

  it('forward only, then both ways, then reverse only; each acknowledged by the process, with lag reported', async () => {
    const databases = { legacy: legacy.name, catalog: catalog.name, inventory: inventory.name };
    // the CDC process reads and acknowledges the directions as its own user; the workflow side (root) requests them
    const cdcControl = await openCdcControl(stack, cdcUser!.login, control.name);
    after(() => cdcControl.destroy());
    supervisor = await startSupervisedPipelines({ stack, databases, prefix, serverIdBase: 200_000 + Math.floor(Math.random() * 50_000) * 4, debezium: debeziumUser, login: cdcUser!.login, control: cdcControl, log: createLogger('sync-control-e2e'), pollMs: 300 });
    const sync = createCdcSyncControl({ stack, databases, prefix, control: control.knex, applyTimeoutMs: 90_000 });

    await legacy.knex('products').where({ id: 1 }).update({ price_cents: 111 });
    await waitFor(async () => (await priceOf(catalog, 1)) === 111, { timeoutMs: 120_000, intervalMs: 300, what: 'forward sync (the default)' });
    expect((await sync.lag('catalog', 'reverse')).events).to.equal(null);

    await sync.setDirections('catalog', { forward: true, reverse: true });
    await catalog.knex('products').where({ id: 2 }).update({ price_cents: 222 });
    await waitFor(async () => (await priceOf(legacy, 2)) === 222, { timeoutMs: 60_000, intervalMs: 300, what: 'a service write back in legacy' });

    await sync.setDirections('catalog', { forward: false, reverse: true });
    await legacy.knex('products').where({ id: 3 }).update({ price_cents: 333 }); // legacy no longer owns writes: not carried
    await catalog.knex('products').where({ id: 4 }).update({ price_cents: 444 });
    await waitFor(async () => (await priceOf(legacy, 4)) === 444, { timeoutMs: 60_000, intervalMs: 300, what: 'reverse sync after the switch' });
    expect(await priceOf(catalog, 3)).to.not.equal(333);
    expect((await sync.lag('catalog', 'forward')).events).to.equal(null);
    await waitFor(async () => (await sync.lag('catalog', 'reverse')).events === 0, { timeoutMs: 30_000, what: 'reverse lag drained' });
  });
});
