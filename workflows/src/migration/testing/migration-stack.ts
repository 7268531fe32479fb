// Test harness for cutover e2e tests: seeded legacy + backfilled catalog test databases, the real
// monolith and catalog service in-process (the service behind a fault switch), two in-process proxy
// replicas with an in-code route table on a unique Unleash flag behind nginx, each scraped by the
// stack's VictoriaMetrics under a job of the test's own (the gates read PromQL narrowed to it), and a
// migration worker on a unique queue.
import { connectTemporal } from '../../temporal-connection.ts';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { Client } from '@temporalio/client';
import { createLogger, devServiceAuthSecret, readStackEnv } from '@ficus/common';
import { freePort, listenEphemeral } from '@ficus/common/testing';
import { createApp, testConfig } from '@ficus/legacy-monolith';
import { createCatalogApp, type StockPort } from '@ficus/catalog-service';
import { startTestProxy, testAdminToken, uniqueFlag, unleashAdmin } from '@ficus/strangler-proxy/testing';
import type { UnleashAdmin } from '@ficus/strangler-proxy';
import { createPromqlClient } from '@ficus/common/promql';
import { registerScrapeTarget } from '@ficus/common/scrape-targets';
import { startLoadBalancer } from '@ficus/stack';
import type { SyncControl } from '../activities.ts';
import { runBackfill } from '../backfill/run-backfill.ts';
import { createMigrationWorker } from '../create-migration-worker.ts';
import { createMigrationClient } from '../client.ts';
import { catalogMigrationDeclaration, createMigrationDatabases } from './migration-databases.ts';
import type { MigrationDeclaration } from '../migration-declaration.ts';
import type { MigrationStateStore } from '../migration-state-store.ts';

const deepMap = (v: unknown, f: (k: string, x: unknown) => unknown): unknown => {
  if (Array.isArray(v)) return v.map((x) => deepMap(x, f));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, f(k, deepMap(x, f))]));
  return v;
};

export const startMigrationStack = async (name: string, o: {
  products?: number; sync?: SyncControl;
  /** false: the service tables stay empty (backfill tests); default: backfilled before the test. */
  backfilled?: boolean;
  /** The state store as the worker sees it (a test slows it down or watches it). */
  workerStore?: (store: MigrationStateStore) => MigrationStateStore;
  /**
   * The proxies. Default: a fleet of two replicas behind a real load balancer (nginx), as deployed,
   * each scraped by the stack's VictoriaMetrics under the job `fleet.job`; users go through the
   * balancer and the declarations' metric gates read PromQL over both (`gates.metrics.selector`
   * `job="<fleet.job>"`: other test runs on the same VictoriaMetrics do not count). `false`: one
   * proxy, not scraped, no balancer, the gates read its /metrics (tests the proxy plays no part in).
   */
  fleet?: { replicas: number } | false;
  /** The route's `fallbackToLegacy` (default true, as in the route table): false shows users a failing service's 5xx. */
  fallbackToLegacy?: boolean;
} = {}) => {
  const fleetSize = o.fleet === false ? 0 : o.fleet?.replicas ?? 2;
  const tag = randomBytes(3).toString('hex');
  const log = createLogger(`migration-test-${name}`);
  const closers: Array<() => Promise<void>> = [];
  const stop = async () => { for (const c of closers.splice(0).reverse()) await c().catch((e: unknown) => log.warn({ err: e }, 'cleanup failed')); };
  try {
    const dbs = await createMigrationDatabases(name, o.products ?? 400);
    closers.push(dbs.drop);
    const legacy = await listenEphemeral(createApp(testConfig({ gateway: { declineRate: 0, latencyMs: 0 } }), dbs.legacyDb.knex));
    closers.push(legacy.close);
    // the catalog's stock comes from inventory; here it reads the legacy rows the inventory service would hold
    const stock: StockPort = {
      async available(id) { return Number((await dbs.legacy('inventory').where({ product_id: id }).first())?.quantity ?? 0); },
      async setInitial() { /* reads only in these tests */ },
    };
    /** wrongPrices: every price off by a dollar; failIds: these products answer 500 (a broken service). */
    const fault = { wrongPrices: false, failIds: new Set<number>() };
    const front = express();
    front.use((req, res, next) => {
      const id = /^\/api\/products\/(\d+)/.exec(req.path)?.[1];
      if (id && fault.failIds.has(Number(id))) { res.status(500).json({ error: { code: 'INTERNAL', message: 'injected fault' } }); return; }
      if (fault.wrongPrices) {
        const json = res.json.bind(res);
        res.json = (body: unknown) => json(deepMap(body, (k, x) => (k === 'priceCents' && typeof x === 'number' ? x + 100 : x)));
      }
      next();
    });
    front.use(createCatalogApp({ inventory: { baseUrl: 'http://127.0.0.1:9', timeoutMs: 100 }, auth: { secrets: [devServiceAuthSecret] } }, dbs.catalogDb.knex, { stock, log }));
    const catalog = await listenEphemeral(front);
    closers.push(catalog.close);

    const flag = uniqueFlag(`migration-${name}`);
    const unleash = unleashAdmin();
    await unleash.ensureFlag(flag);
    closers.push(() => unleash.deleteFlag(flag));
    const proxies: Array<Awaited<ReturnType<typeof startTestProxy>>> = [];
    // Shadow results stay in each replica's memory (startTestProxy): the gates count comparisons from
    // the replicas' /metrics counters, which PromQL adds up; nothing here reads the shadow report.
    for (let i = 0; i < Math.max(1, fleetSize); i++) {
      const p = await startTestProxy({
        targets: { legacy: legacy.baseUrl, catalog: catalog.baseUrl },
        routes: [{ id: 'catalog-products', method: ['GET', 'HEAD'], path: '/api/products/*', service: 'catalog', flag, fallbackToLegacy: o.fallbackToLegacy ?? true }],
      });
      closers.push(p.close);
      proxies.push(p);
    }
    const proxy = proxies[0]!;
    let fleet: { job: string; proxies: typeof proxies; url: string } | undefined;
    if (fleetSize) {
      const job = `ficus-test-fleet-${tag}`;
      for (const p of proxies) {
        const unregister = registerScrapeTarget({ job, instance: new URL(p.adminUrl).host, url: `${p.adminUrl}/metrics`, bearerToken: testAdminToken });
        closers.push(async () => unregister());
      }
      const dir = mkdtempSync(join(tmpdir(), `ficus-lb-${tag}-`));
      closers.push(async () => rmSync(dir, { recursive: true, force: true }));
      const lb = await startLoadBalancer({ dir, port: await freePort(), upstreams: proxies.map((p) => new URL(p.url).host) });
      closers.push(lb.stop);
      fleet = { job, proxies, url: lb.url };
    }

    const stack = readStackEnv();
    const temporal = { address: stack.FICUS_TEMPORAL_ADDRESS, namespace: stack.FICUS_TEMPORAL_NAMESPACE };
    const taskQueue = `migration-${name}-${tag}`;
    /** Unleash as the worker sees it: `down` makes every admin call fail as if it were unreachable. */
    const unleashSwitch = { down: false };
    const workerUnleash: UnleashAdmin = new Proxy(unleash, {
      get: (t, p) => (typeof t[p as keyof UnleashAdmin] === 'function'
        ? async (...args: unknown[]) => {
          if (unleashSwitch.down) { const { FicusError } = await import('@ficus/common'); throw new FicusError('UNLEASH_UNREACHABLE', 'cannot reach Unleash at test: ECONNREFUSED', { retriable: true }); }
          return (t[p as keyof UnleashAdmin] as (...a: unknown[]) => unknown)(...args);
        }
        : t[p as keyof UnleashAdmin]),
    });
    // The worker talks to a proxy's admin API only for `gates.metrics.source: "proxy"` (its /metrics);
    // route modes reach every replica through Unleash and write holds through the shared ownership store.
    const deps = {
      unleash: workerUnleash, proxyAdmin: { url: proxy.adminUrl, token: testAdminToken }, promql: createPromqlClient(), targets: { legacy: legacy.baseUrl, catalog: catalog.baseUrl },
      // the worker's side runs as a migration worker user of the test's own (decision 0018)
      store: o.workerStore ? o.workerStore(dbs.worker.store) : dbs.worker.store, databases: { legacy: dbs.worker.legacy, service: dbs.worker.service }, log, sync: o.sync,
      backfill: { serviceWriter: dbs.worker.serviceWriter }, dbUser: dbs.worker.login.user,
    };
    let running: { stop: () => Promise<void> } | undefined;
    const startWorker = async () => {
      const { worker, close } = await createMigrationWorker({ temporal, taskQueue, deps, shutdownGraceMs: 1_000 });
      const run = worker.run().finally(close);
      running = { stop: async () => { if (worker.getState() === 'RUNNING') worker.shutdown(); await run; } };
    };
    const stopWorker = async () => { await running?.stop(); running = undefined; };
    closers.push(stopWorker);
    await startWorker();
    const { connection, close: closeConnection } = await connectTemporal(temporal.address);
    closers.push(closeConnection);
    const temporalClient = new Client({ connection, namespace: temporal.namespace });
    const client = createMigrationClient(temporalClient, taskQueue);

    const migrationName = `t-${name}-${tag}`;
    /** The fleet's gates: PromQL over this test's replicas only (the default queries, narrowed by job). */
    const metrics = fleet ? { source: 'promql', minWindowSeconds: 10, selector: `job="${fleet.job}"` } : undefined;
    const config = (over: Record<string, unknown> = {}): MigrationDeclaration => ({
      ...catalogMigrationDeclaration(migrationName, { legacy: dbs.names.legacy, service: dbs.names.service }, over, { metrics }),
      flag,
    });
    if (o.backfilled !== false) await runBackfill(config(), dbs.worker, { batchRows: 5_000 });
    closers.push(async () => {
      // a test that failed half-way must not leave its workflows running
      for (const id of [`migration:${migrationName}`, `backfill:${migrationName}`]) {
        try { await temporalClient.workflow.getHandle(id).terminate('test cleanup'); } catch { /* finished */ }
      }
    });

    /** Users browsing the catalog through the proxy (the load balancer with a fleet); every answer that is not 200 is a user-visible error. */
    const traffic = (at: string = fleet?.url ?? proxy.url) => {
      const ids = dbs.legacy('products').orderBy('id').pluck('id') as Promise<number[]>;
      const stats = { requests: 0, errors: [] as string[] };
      let on = true;
      const user = async (u: number) => {
        const productIds = await ids;
        for (let i = 0; on; i++) {
          const path = i % 3 === 0 ? `/api/products?page=${1 + (i % 5)}&pageSize=20` : i % 3 === 1 ? `/api/products/${productIds[(u * 31 + i) % productIds.length]}` : '/api/products?sort=price_asc&pageSize=10';
          try {
            // 200 distinct users, so a 10% canary has some of them (the rollout is sticky per user)
            const r = await fetch(at + path, { headers: { cookie: `ficus_uid=u${(u * 7919 + i) % 200}` } });
            await r.arrayBuffer();
            stats.requests++;
            if (r.status !== 200) stats.errors.push(`${path}: ${r.status}`);
          } catch (e) { stats.errors.push(`${path}: ${(e as Error).message}`); }
        }
      };
      const users = Array.from({ length: 8 }, (_, u) => user(u + 1));
      return { stats, stop: async () => { on = false; await Promise.all(users); return stats; } };
    };
    return { dbs, proxy, proxies, fleet, legacy, catalog, fault, flag, unleash, unleashSwitch, client, temporalClient, config, migrationName, startWorker, stopWorker, traffic, stop };
  } catch (e) {
    await stop();
    throw e;
  }
};
export type MigrationStack = Awaited<ReturnType<typeof startMigrationStack>>;
