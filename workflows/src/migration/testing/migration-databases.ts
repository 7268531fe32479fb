// Test harness: a seeded legacy database and a catalog database with its schema applied, with UTC knex
// pools as root (the test's own reads and faults) and as a migration worker user of the test's own
// (`worker`: what the code under test uses, so a missing grant fails the test).
import knexFactory, { type Knex } from 'knex';
import { mariadbRootConnection, readStackEnv } from '@ficus/common';
import { createTestDatabase } from '@ficus/common/testing';
import { createSyncWriterKnex } from '@ficus/cdc';
import { applyLegacySchema, seedLegacy, type SeedProfile } from '@ficus/legacy-monolith';
import { applyCatalogSchema } from '@ficus/catalog-service';
import { createKnexMigrationStateStore } from '../migration-state-store.ts';
import { migratorConnection } from '../provision/migrator-login.ts';
import { provisionMigratorForTest } from './migrator-test-login.ts';
import { parseMigrationDeclaration, type MigrationDeclaration } from '../migration-declaration.ts';

export const utcKnex = (database: string, max = 10): Knex =>
  knexFactory({ client: 'mysql2', connection: { ...mariadbRootConnection(readStackEnv(), database), timezone: 'Z' }, pool: { min: 0, max } });

export const catalogTestProfile = (products: number): SeedProfile => ({ categories: 8, products, users: 10, orders: 20, cartUsers: 2, batchRows: 5_000 });

/** A seeded legacy test database, an empty catalog test database (schema applied) and a state database. */
export const createMigrationDatabases = async (name: string, products = 2_000) => {
  const legacyDb = await createTestDatabase(`mig_legacy_${name}`);
  const catalogDb = await createTestDatabase(`mig_catalog_${name}`);
  const stateDb = await createTestDatabase(`mig_state_${name}`);
  await applyLegacySchema(legacyDb.knex);
  await seedLegacy(legacyDb.knex, { profile: catalogTestProfile(products), seed: 11 });
  await applyCatalogSchema(catalogDb.knex);
  const stack = readStackEnv();
  // the worker's user, granted what the catalog declaration needs (its state schema applied on the way)
  const migrator = await provisionMigratorForTest(stack, {
    stateDatabase: stateDb.name, declarations: [catalogMigrationDeclaration('grants', { legacy: legacyDb.name, service: catalogDb.name })],
  });
  const legacy = utcKnex(legacyDb.name);
  const service = utcKnex(catalogDb.name);
  const serviceWriter = createSyncWriterKnex({ ...mariadbRootConnection(stack, catalogDb.name) });
  const store = createKnexMigrationStateStore(stateDb.knex);
  const asWorker = (database?: string) => knexFactory({ client: 'mysql2', connection: { ...migratorConnection(stack, migrator.login, database), timezone: 'Z' }, pool: { min: 0, max: 8 } });
  const workerState = asWorker(stateDb.name);
  const worker = {
    login: migrator.login, legacy: asWorker(), service: asWorker(), serviceWriter: createSyncWriterKnex(migratorConnection(stack, migrator.login)), store: createKnexMigrationStateStore(workerState),
  };
  return {
    names: { legacy: legacyDb.name, service: catalogDb.name, state: stateDb.name },
    legacy, service, serviceWriter, store, stateKnex: stateDb.knex, legacyDb, catalogDb, worker,
    drop: async () => {
      await Promise.all([legacy.destroy(), service.destroy(), serviceWriter.destroy(), worker.legacy.destroy(), worker.service.destroy(), worker.serviceWriter.destroy(), workerState.destroy()]);
      await migrator.drop();
      await Promise.all([legacyDb.drop(), catalogDb.drop(), stateDb.drop()]);
    },
  };
};
export type MigrationDatabases = Awaited<ReturnType<typeof createMigrationDatabases>>;

/**
 * The catalog migration's config pointed at test databases (gates and steps overridable). The metric
 * gates read `o.metrics` (the harness's fleet: PromQL narrowed to its own scrape job) unless `over`
 * says otherwise; without either, one proxy's /metrics (a test proxy is not scraped by itself).
 */
export const catalogMigrationDeclaration = (name: string, dbs: { legacy: string; service: string }, over: Record<string, unknown> = {}, o: { metrics?: Record<string, unknown> } = {}): MigrationDeclaration => {
  const gates = (over.gates ?? { errorRate: { max: 0.01, minRequests: 1 } }) as Record<string, unknown>;
  const d = parseMigrationDeclaration({
    name,
    service: 'catalog',
    flag: `ficus-test.${name}`,
    routes: ['catalog-products'],
    databases: dbs,
    tables: [
      { legacy: 'categories', service: 'categories', mapping: 'categoriesToCatalog' },
      { legacy: 'products', service: 'products', mapping: 'productsToCatalog' },
    ],
    checkIntervalSeconds: 1,
    shadow: { percent: 100, holdSeconds: 2 },
    canary: [{ percent: 10, holdSeconds: 2 }, { percent: 50, holdSeconds: 2 }, { percent: 100, holdSeconds: 2 }],
    ...over,
    gates: { ...(gates.metrics === undefined && o.metrics ? { metrics: o.metrics } : {}), ...gates },
  }, 'test config');
  if (gates.metrics === undefined && !o.metrics) d.gates.metrics = { source: 'proxy', minWindowSeconds: 10 };
  return d;
};
