import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { readStackEnv, waitFor } from '@ficus/common';
import { createTestDatabase } from '@ficus/common/testing';
import { debeziumUser, stackUp, stackStatus } from '@ficus/stack';
import { applyLegacySchema, seedLegacy } from '@ficus/legacy-monolith';
import { applyCatalogSchema } from '@ficus/catalog-service';
import { applyInventorySchema } from '@ficus/inventory-service';
import { createConnectClient } from '../connectors/connect-client.ts';
import { connectAll } from './cdc-runtime.ts';
import { defaultTopology } from './pipelines.ts';
import { provisionCdcForTest } from '../testing/cdc-test-login.ts';

type Db = Awaited<ReturnType<typeof createTestDatabase>>;
const childScript = fileURLToPath(new URL('../testing/pipelines-child.ts', import.meta.url));

describe('cdc faults during a write load end in exact parity', function () {
  this.timeout(300_000);
  const stack = readStackEnv();
  const prefix = `f${randomBytes(3).toString('hex')}`;
  let legacy: Db, catalog: Db, inventory: Db;
  let topology: ReturnType<typeof defaultTopology>;
  let child: ChildProcess | undefined;
  let cdcUser: Awaited<ReturnType<typeof provisionCdcForTest>> | undefined;

  const startChild = async (): Promise<ChildProcess> => {
    const c = spawn(process.execPath, [childScript], {
      env: { ...process.env, CDC_TEST_TOPOLOGY: JSON.stringify({ legacy: legacy.name, catalog: catalog.name, inventory: inventory.name, prefix, login: cdcUser!.login }) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: c.stdout! }).on('line', (l) => { if (l === 'ready') resolve(); });
      c.once('exit', (code) => reject(new Error(`applier process exited with ${code} before it was ready`)));
    });
    return c;
  };
  const kill9 = async (c: ChildProcess) => {
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  };

  /**
   * Updates random products' prices and stock for `ms`, in small transactions, bounded. A write
   * that fails (the database is down) is counted, not retried: what committed is what must sync.
   */
  const writeLoad = async (ms: number) => {
    const end = Date.now() + ms;
    let writes = 0;
    let failed = 0;
    while (Date.now() < end && writes + failed < 20_000) {
      const id = 1 + Math.floor(Math.random() * 2000);
      try {
        await legacy.knex.transaction(async (trx) => {
          await trx('products').where({ id }).update({ price_cents: Math.floor(Math.random() * 100_000), updated_at: new Date() });
          await trx('inventory').where({ product_id: id }).update({ quantity: Math.floor(Math.random() * 500) });
        });
        writes += 1;
      } catch {
        failed += 1;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    return writes;
  };

  const parity = async () => {
    const [lp, cp, li, si] = await Promise.all([
      legacy.knex('products').orderBy('id').select('id', 'price_cents', 'updated_at'),
      catalog.knex('products').orderBy('id').select('id', 'price_cents', 'updated_at'),
      legacy.knex('inventory').orderBy('product_id').select('product_id', 'quantity'),
      inventory.knex('stock_levels').orderBy('product_id').select('product_id', 'on_hand'),
    ]);
    return JSON.stringify(lp) === JSON.stringify(cp) &&
      JSON.stringify(li.map((r) => [r.product_id, r.quantity])) === JSON.stringify(si.map((r) => [r.product_id, r.on_hand]));
  };

  before(async () => {
    [legacy, catalog, inventory] = await Promise.all([createTestDatabase('flt_legacy'), createTestDatabase('flt_catalog'), createTestDatabase('flt_inventory')]);
    await applyLegacySchema(legacy.knex);
    await seedLegacy(legacy.knex, { profile: 'small', seed: 11 });
    await applyCatalogSchema(catalog.knex);
    await applyInventorySchema(inventory.knex);
    topology = defaultTopology({ legacy: legacy.name, catalog: catalog.name, inventory: inventory.name }, prefix);
    topology.connectors[0]!.serverId = 60_000 + Math.floor(Math.random() * 30_000);
    cdcUser = await provisionCdcForTest(stack, { databases: { legacy: legacy.name, catalog: catalog.name, inventory: inventory.name } });
    await connectAll(topology, stack, debeziumUser);
    child = await startChild();
    await waitFor(parity, { timeoutMs: 120_000, intervalMs: 500, what: 'initial parity' });
  });

  after(async () => {
    if (child && child.exitCode === null) await kill9(child);
    for (const c of topology?.connectors ?? []) await createConnectClient(stack.FICUS_CONNECT_URL).deleteConnector(c.name).catch(() => undefined);
    await cdcUser?.drop();
    await Promise.all([legacy, catalog, inventory].map((d) => d?.drop()));
  });

  it('kill -9 of the applier mid-load, then a restart: nothing lost, nothing applied twice in effect', async () => {
    const load = writeLoad(6000);
    await new Promise((r) => setTimeout(r, 2000)); // let the load run before the fault
    await kill9(child!);
    child = await startChild();
    const writes = await load;
    expect(writes).to.be.greaterThan(50);
    await waitFor(parity, { timeoutMs: 120_000, intervalMs: 500, what: 'parity after kill -9 and restart' });
  });

  it('Kafka Connect restarted mid-load: Debezium resumes from its offsets and parity holds', async () => {
    const connect = createConnectClient(stack.FICUS_CONNECT_URL);
    const load = writeLoad(8000);
    await new Promise((r) => setTimeout(r, 1500));
    const before = (await stackStatus()).find((c) => c.name === 'connect')!;
    expect(before.pid).to.be.a('number');
    process.kill(before.pid!, 'SIGTERM');
    await waitFor(async () => !(await stackStatus()).find((c) => c.name === 'connect')!.running, { timeoutMs: 60_000, what: 'connect stopped' });
    await stackUp(['connect']);
    await waitFor(async () => (await connect.status(topology.connectors[0]!.name)).tasks[0]?.state === 'RUNNING', { timeoutMs: 90_000, what: 'connector running again' });
    await load;
    await waitFor(parity, { timeoutMs: 120_000, intervalMs: 500, what: 'parity after the Connect restart' });
  });

  it('MariaDB restarted mid-load: the connector and the appliers reconnect and parity holds', async () => {
    const load = writeLoad(10_000);
    await new Promise((r) => setTimeout(r, 1500));
    const db = (await stackStatus()).find((c) => c.name === 'mariadb')!;
    process.kill(db.pid!, 'SIGTERM');
    await waitFor(async () => !(await stackStatus()).find((c) => c.name === 'mariadb')!.running, { timeoutMs: 90_000, what: 'mariadb stopped' });
    await stackUp(['mariadb']);
    const writes = await load;
    expect(writes).to.be.greaterThan(50);
    await waitFor(async () => (await createConnectClient(stack.FICUS_CONNECT_URL).status(topology.connectors[0]!.name)).tasks[0]?.state === 'RUNNING', { timeoutMs: 120_000, what: 'connector running after the restart' });
    await waitFor(parity, { timeoutMs: 180_000, intervalMs: 1000, what: 'parity after the MariaDB restart' });
  });
});
