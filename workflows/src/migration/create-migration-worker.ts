import { fileURLToPath } from 'node:url';
import knexFactory, { type Knex } from 'knex';
import { NativeConnection, Worker } from '@temporalio/worker';
import { FicusError, createOwnershipStore, knexLog, type Logger, type OwnershipStore } from '@ficus/common';
import { createSyncWriterKnex } from '@ficus/cdc';
import { createUnleashAdmin } from '@ficus/strangler-proxy';
import { createPromqlClient } from '@ficus/common/promql';
import { activeTracing } from '@ficus/common/tracing';
import { workerInterceptors } from '../worker-tracing.ts';
import { createMigrationActivities, type MigrationActivityDeps, type SyncControl } from './activities.ts';
import { createKnexMigrationStateStore } from './migration-state-store.ts';
import { migrationStateTables } from './state/apply-state-schema.ts';
import { migratorConnection, type MigratorLogin } from './provision/migrator-login.ts';
import { provisionHint } from './provision/not-provisioned.ts';
import type { MigrationWorkerConfig } from './migration-worker-config.ts';
import type { SnapshotSource } from './backfill/snapshot-source.ts';

/** The workflow module the worker bundles (deterministic code only). */
export const migrationWorkflowsPath = fileURLToPath(new URL('./workflows.ts', import.meta.url));

/**
 * A pool on `database` as the worker's own user, after checking it may use `tables` there; they come
 * from provisioning (provisionMigrator), so MIGRATION_NOT_PROVISIONED when one is missing or not granted.
 */
export const openAsMigrator = async (
  stack: MigrationWorkerConfig['stack'], login: MigratorLogin, database: string, tables: readonly string[], what: string, o: { poolMax?: number; utc?: boolean } = {},
): Promise<Knex> => {
  const connection = { ...migratorConnection(stack, login, database), ...(o.utc ? { timezone: 'Z' } : {}) };
  // a refused connection is reported below with its code; knex would print it with a stack trace first
  const knex = knexFactory({ client: 'mysql2', connection, pool: { min: 0, max: o.poolMax ?? 4 }, log: knexLog });
  let problem: string | undefined;
  try {
    for (const table of tables) {
      if (!(await knex.schema.hasTable(table))) { problem = `${database}.${table} does not exist or is not granted to ${login.user}`; break; }
    }
  } catch (e) {
    problem = `${login.user} may not use ${database}: ${(e as { sqlMessage?: string }).sqlMessage ?? (e as Error).message}`;
  }
  if (problem) {
    await knex.destroy();
    throw new FicusError('MIGRATION_NOT_PROVISIONED', `${what}: ${problem}; ${provisionHint}`);
  }
  return knex;
};

/** The state database (audit log, backfill positions) as the worker's own user. */
export const openStateStore = async (config: Pick<MigrationWorkerConfig, 'stack' | 'stateDatabase' | 'login'>) => {
  const knex = await openAsMigrator(config.stack, config.login, config.stateDatabase, migrationStateTables, 'the migration state database', { utc: true });
  return { knex, store: createKnexMigrationStateStore(knex) };
};

/** The ownership store (decision 0013) as the worker's own user: it holds and releases units, reads the proxies' reports. */
export const openMigratorOwnership = async (config: Pick<MigrationWorkerConfig, 'stack' | 'login'>, database: string): Promise<OwnershipStore> =>
  createOwnershipStore(await openAsMigrator(config.stack, config.login, database, ['ownership_units', 'ownership_log', 'ownership_proxies'], 'the ownership database', { poolMax: 2 }));

/** Read access, as the worker's own user, to every database a migration compares (queries name the database). */
export const openParityKnex = (config: Pick<MigrationWorkerConfig, 'stack' | 'login'>): Knex =>
  knexFactory({ client: 'mysql2', connection: { ...migratorConnection(config.stack, config.login), timezone: 'Z' }, pool: { min: 0, max: 8 }, log: knexLog });

/**
 * The migration worker's interceptors and sinks: none of its own; with tracing on, Temporal's
 * OpenTelemetry ones, so a migration's steps (gates, parity, backfill, the switch) are spans.
 */
export const migrationWorkerInterceptors = (tracing = activeTracing()) => workerInterceptors(tracing);

/** A Temporal worker for the migration workflow with the given activity dependencies. */
export const createMigrationWorker = async (o: {
  temporal: { address: string; namespace: string }; taskQueue: string; deps: MigrationActivityDeps; shutdownGraceMs?: number;
}) => {
  const connection = await NativeConnection.connect({ address: o.temporal.address });
  try {
    const worker = await Worker.create({
      connection, namespace: o.temporal.namespace, taskQueue: o.taskQueue, workflowsPath: migrationWorkflowsPath,
      activities: createMigrationActivities(o.deps), shutdownGraceTime: o.shutdownGraceMs ?? 10_000, bundlerOptions: { ignoreModules: [] },
      // heartbeats carry progress (the backfill's rows per table, read by `ficus migrate backfill`): send them within a second
      maxHeartbeatThrottleInterval: '1 second',
      ...migrationWorkerInterceptors(),
    });
    return { worker, close: () => connection.close() };
  } catch (e) {
    await connection.close();
    throw e;
  }
};

/** The process's dependencies from its configuration (real Unleash, proxy admin, MariaDB). */
export const createMigrationDeps = async (config: MigrationWorkerConfig, o: { log: Logger; sync?: SyncControl; switching?: MigrationActivityDeps['switching']; snapshots?: SnapshotSource }) => {
  const state = await openStateStore(config);
  const parityKnex = openParityKnex(config);
  // the backfill writes as the sync does (its GTID domain), so a reverse sync never echoes the copy
  const serviceWriter = createSyncWriterKnex(migratorConnection(config.stack, config.login));
  const deps: MigrationActivityDeps = {
    unleash: createUnleashAdmin({ url: config.unleash.url, adminToken: config.unleash.adminToken }),
    proxyAdmin: config.proxyAdmin, promql: createPromqlClient({ url: config.stack.FICUS_METRICS_URL }), targets: config.targets, store: state.store, databases: { legacy: parityKnex, service: parityKnex }, sync: o.sync, switching: o.switching, log: o.log,
    backfill: { serviceWriter, snapshots: o.snapshots }, dbUser: config.login.user,
  };
  return { deps, close: async () => { await Promise.all([state.knex.destroy(), parityKnex.destroy(), serviceWriter.destroy()]); } };
};
