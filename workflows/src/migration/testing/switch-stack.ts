// Harness for the write switch on the real stack (the e2e test and `ficus bench switch`): the saga
// stack (monolith, inventory, payments, orders, Temporal worker) on test databases, a catalog test
// database, the CDC supervisor with Debezium in both directions under a test prefix, the CDC's
// position API over HTTP, an ownership store of its own, and an in-process strangler proxy whose
// checkout and order-read routes belong to unit `shop`, following ownership as a MariaDB user of its own.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import { createLogger, devServiceAuthSecret, readStackEnv, withRootConnection } from '@ficus/common';
import { createTestDatabase, listenEphemeral } from '@ficus/common/testing';
import {
  createConnectClient, createCdcSyncControl, createPositionChecker, createSwitchPositions, handlePositionRequest, loadCdcConfig, openCdcControl,
  startSupervisedPipelines, type Databases,
} from '@ficus/cdc';
import { provisionCdcForTest } from '@ficus/cdc/testing';
import { createCatalogApp, applyCatalogSchema } from '@ficus/catalog-service';
import { readShadowConfig } from '@ficus/strangler-proxy';
import { startTestProxy, uniqueFlag, unleashAdmin } from '@ficus/strangler-proxy/testing';
import { startSagaStack, stopAllSagaStacks } from '../../testing/saga-stack.ts';
import type { QuiesceCheck, SwitchPorts } from '../switch/switch-ownership.ts';
import { createQuiesceCheck } from '../switch/quiesce-check.ts';
import { openMigratorOwnership } from '../create-migration-worker.ts';
import { migratorConnection } from '../provision/migrator-login.ts';
import type { MigratorProvisionOptions } from '../provision/provision-migrator.ts';
import { tablePairs } from '../table-pairs.ts';
import { provisionMigratorForTest } from './migrator-test-login.ts';

export const switchDomains = ['catalog', 'inventory', 'orders'] as const;
/** What the reference unit waits for before writes leave the services (as `orders.json` declares it). */
export const sagaQuiesce: QuiesceCheck[] = [
  { side: 'service', database: 'orders', table: 'orders', where: "status = 'pending'", what: 'checkouts still running in a saga' },
  { side: 'service', database: 'inventory', table: 'reservations', where: "status = 'held'", what: 'stock reservations a saga has not confirmed or released' },
];

/** The reference declarations' table pairs and the shop unit's quiesce checks on these databases: what the worker's user is granted. */
const switchDeclarations = (databases: Databases): MigratorProvisionOptions['declarations'] => switchDomains.map((domain) => ({
  databases: { legacy: databases.legacy, service: databases[domain]! },
  tables: Object.values(tablePairs).filter((p) => p.domain === domain).map((p) => ({ legacy: p.legacyTable, service: p.serviceTable, mapping: p.mapping })),
  units: domain === 'orders' ? [{ name: 'shop', writeRoutes: ['checkout'], tables: [], quiesce: sagaQuiesce }] : [],
}));

export const startSwitchStack = async (name: string) => {
  const stack = readStackEnv();
  const tag = randomBytes(3).toString('hex');
  const log = createLogger(`switch-${name}`);
  const ownershipDb = `t_${name}_own_${tag}`;
  const controlDb = `t_${name}_cdc_${tag}`;
  const prefix = `w${tag}`;
  const closers: Array<() => Promise<unknown>> = [];
  const stop = async () => { for (const c of closers.reverse()) await c().catch(() => undefined); };
  try {
    const s = await startSagaStack(`${name}${tag}`);
    closers.push(stopAllSagaStacks);
    const catalog = await createTestDatabase(`${name}_catalog`);
    closers.push(catalog.drop);
    await applyCatalogSchema(catalog.knex);
    const databases: Databases = { legacy: s.dbs.legacy.name, catalog: catalog.name, inventory: s.dbs.inventory.name, orders: s.dbs.orders.name };
    // the CDC runs as a user of its own, and so does the workflow side (a migration worker user, decision 0018)
    const cdcUser = await provisionCdcForTest(stack, { databases, control: controlDb });
    closers.push(cdcUser.drop);
    const stateDb = `t_${name}_mst_${tag}`;
    const migrator = await provisionMigratorForTest(stack, { stateDatabase: stateDb, declarations: switchDeclarations(databases), sync: { control: controlDb, databases, ownershipDatabase: ownershipDb } });
    closers.push(migrator.drop);
    closers.push(() => withRootConnection(stack, async (admin) => { for (const db of [controlDb, ownershipDb, stateDb]) await admin.raw('DROP DATABASE IF EXISTS ??', [db]); }));
    const control = await openCdcControl(stack, migrator.login, controlDb);
    closers.push(() => control.destroy());
    closers.push(async () => { for (const c of ['legacy', ...switchDomains]) await createConnectClient(stack.FICUS_CONNECT_URL).deleteConnector(`${prefix}-${c}`).catch(() => undefined); });
    const cdcOptions = { stack, databases, prefix, serverIdBase: 300_000 + Math.floor(Math.random() * 100_000) * 5, debezium: loadCdcConfig().debezium, login: cdcUser.login, control, log, pollMs: 250 };
    let cdc: Awaited<ReturnType<typeof startSupervisedPipelines>> | undefined = await startSupervisedPipelines(cdcOptions);
    closers.push(async () => cdc?.stop());
    // the CDC process's position API, which the proxy asks for read-your-writes
    const positionChecker = createPositionChecker({ stack, login: cdcUser.login, control: controlDb, topology: () => cdc?.topology() ?? { connectors: [], pipelines: [] } });
    closers.push(() => positionChecker.close());
    const positionsServer = createServer((req, res) => { void handlePositionRequest(positionChecker, req, res).then((handled) => { if (!handled) { res.statusCode = 404; res.end(); } }); });
    await new Promise<void>((r) => positionsServer.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise<void>((r) => positionsServer.close(() => r())));
    const cdcUrl = `http://127.0.0.1:${(positionsServer.address() as AddressInfo).port}`;

    const ownership = await openMigratorOwnership({ stack, login: migrator.login }, ownershipDb);
    closers.push(() => ownership.knex.destroy());
    const switchPositions = createSwitchPositions({ stack, login: migrator.login, controlDatabase: controlDb, databases, prefix, control });
    closers.push(() => switchPositions.close());
    // the worker's reads (quiesce counts, parity) as its user
    const workerKnex = knexFactory({ client: 'mysql2', connection: { ...migratorConnection(stack, migrator.login), timezone: 'Z' }, pool: { min: 0, max: 4 } });
    closers.push(() => workerKnex.destroy());
    const ports: SwitchPorts = { ownership, sync: createCdcSyncControl({ stack, databases, prefix, control, login: migrator.login }), positions: switchPositions, outstanding: createQuiesceCheck(workerKnex, databases) };

    const readFlag = uniqueFlag(`${name}-read`);
    const writeFlag = uniqueFlag(`${name}-write`);
    const admin = unleashAdmin();
    for (const f of [readFlag, writeFlag]) await admin.ensureFlag(f);
    await admin.setMode(readFlag, 'service', 100); // reads move first
    // the catalog service (product writes), with stock through the inventory service
    const catalogApp = await listenEphemeral(createCatalogApp({ inventory: { baseUrl: s.urls.inventory, timeoutMs: 4_000 }, auth: { secrets: [devServiceAuthSecret] } }, catalog.knex));
    closers.push(catalogApp.close);
    // the proxy's own least-privilege user, provisioned at its start as the real one is (decision 0018, "Proxy"); dropped after it
    const proxyLogin = { user: `t_${name}_px_${tag}`, password: `t-${name}-proxy-${tag}` };
    closers.push(() => withRootConnection(stack, (admin) => admin.raw(`DROP USER IF EXISTS ?@'%'`, [proxyLogin.user])));
    const proxy = await startTestProxy({
      targets: { legacy: s.urls.legacy, orders: s.urls.orders, catalog: catalogApp.baseUrl, inventory: s.urls.inventory },
      routes: [
        { id: 'catalog-write', method: ['POST', 'PATCH'], path: '/api/products/*', service: 'catalog', flag: writeFlag, fallbackToLegacy: false, unit: 'shop' },
        { id: 'catalog-read', method: ['GET', 'HEAD'], path: '/api/products/*', service: 'catalog', flag: readFlag, fallbackToLegacy: false, unit: 'shop' },
        { id: 'inventory-adjust', method: 'POST', path: '/api/inventory/:productId/adjustments', service: 'inventory', flag: writeFlag, fallbackToLegacy: false, unit: 'shop' },
        { id: 'orders-read', method: ['GET', 'HEAD'], path: '/api/orders/*', service: 'orders', flag: readFlag, fallbackToLegacy: false, unit: 'shop' },
        { id: 'checkout', method: 'POST', path: '/api/orders', service: 'orders', flag: writeFlag, fallbackToLegacy: false, timeoutMs: 15_000, unit: 'shop' },
      ],
      env: {
        FICUS_PROXY_TIMEOUT_MS: '15000', FICUS_PROXY_READ_PIN_MS: '10000',
        FICUS_OWNERSHIP_DATABASE: ownershipDb, FICUS_PROXY_DB_USER: proxyLogin.user, FICUS_PROXY_DB_PASSWORD: proxyLogin.password, FICUS_PROXY_PROVISION_ON_START: 'true',
      },
      extra: { shadowConfig: { ...readShadowConfig(), shedFromUtilization: 1, shedFromMachineCpu: 1, cdcUrl, dbUrl: undefined } },
    });
    closers.push(() => proxy.close());

    return {
      stack, s, catalog, databases, prefix, ownershipDb, controlDb, control, ownership, ports, proxy, readFlag, writeFlag, log,
      /** The migration worker user the switch runs as, and a pool of it (parity reads). */
      migrator: migrator.login, workerKnex,
      /** Stops the CDC appliers (as if the CDC process died). */
      stopCdc: async () => { const c = cdc; cdc = undefined; await c?.stop(); },
      /** Starts them again (the CDC process is back; each resumes from the offsets its target holds). */
      startCdc: async () => { cdc ??= await startSupervisedPipelines(cdcOptions); },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
};
export type SwitchStack = Awaited<ReturnType<typeof startSwitchStack>>;
