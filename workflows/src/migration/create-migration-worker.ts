import { fileURLToPath } from 'node:url';
import knexFactory, { type Knex } from 'knex';
import { NativeConnection, Worker } from '@temporalio/worker';
import { mariadbRootConnection, type Logger } from '@ficus/common';
import { createSyncWriterKnex } from '@ficus/cdc';
import { createUnleashAdmin } from '@ficus/strangler-proxy';
import { createMigrationActivities, type MigrationActivityDeps, type SyncControl } from './activities.ts';
import { createKnexMigrationStateStore, ensureMigrationStateTables } from './migration-state-store.ts';
import type { MigrationWorkerConfig } from './migration-worker-config.ts';
import type { SnapshotSource } from './backfill/snapshot-source.ts';

/** The workflow module the worker bundles (deterministic code only). */
export const migrationWorkflowsPath = fileURLToPath(new URL('./workflows.ts', import.meta.url));

/** The state database (audit log, backfill positions), created on first use. */
export const openStateStore = async (config: Pick<MigrationWorkerConfig, 'stack' | 'stateDatabase'>) => {
  const admin = knexFactory({ client: 'mysql2', connection: mariadbRootConnection(config.stack) });
  try { await admin.raw('CREATE DATABASE IF NOT EXISTS ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', [config.stateDatabase]); } finally { await admin.destroy(); }
  const knex = knexFactory({ client: 'mysql2', connection: { ...mariadbRootConnection(config.stack, config.stateDatabase), timezone: 'Z' }, pool: { min: 0, max: 4 } });
  await ensureMigrationStateTables(knex);
  return { knex, store: createKnexMigrationStateStore(knex) };
};

/** Read access to every database a migration compares (queries name the database). */
export const openParityKnex = (config: Pick<MigrationWorkerConfig, 'stack'>): Knex =>
  knexFactory({ client: 'mysql2', connection: { ...mariadbRootConnection(config.stack), timezone: 'Z' }, pool: { min: 0, max: 8 } });

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
  const serviceWriter = createSyncWriterKnex(mariadbRootConnection(config.stack));
  const deps: MigrationActivityDeps = {
    unleash: createUnleashAdmin({ url: config.unleash.url, adminToken: config.unleash.adminToken }),
    proxyAdmin: config.proxyAdmin, targets: config.targets, store: state.store, databases: { legacy: parityKnex, service: parityKnex }, sync: o.sync, switching: o.switching, log: o.log,
    backfill: { serviceWriter, snapshots: o.snapshots },
  };
  return { deps, close: async () => { await Promise.all([state.knex.destroy(), parityKnex.destroy(), serviceWriter.destroy()]); } };
};
