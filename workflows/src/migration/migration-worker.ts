// The migration worker process: `node workflows/src/migration/migration-worker.ts`. Runs the
// migration workflows on their own task queue (FICUS_MIGRATION_TASK_QUEUE) and serves the
// migrations' admin API and page on FICUS_MIGRATION_ADMIN_PORT. SIGTERM/SIGINT drain it.
import { Client, Connection } from '@temporalio/client';
import { createLogger, isFicusError, onStopSignal, ownershipDatabaseOf } from '@ficus/common';
import { createCdcSyncControl, createSwitchPositions, loadCdcConfig } from '@ficus/cdc';
import { loadMigrationWorkerConfig } from './migration-worker-config.ts';
import { createMigrationDeps, createMigrationWorker, openAsMigrator, openMigratorOwnership, openParityKnex, openStateStore } from './create-migration-worker.ts';
import { provisionMigrator, workerProvisionOptions } from './provision/provision-migrator.ts';
import { createQuiesceCheck } from './switch/quiesce-check.ts';
import { createConnectSnapshotSource } from './backfill/snapshot-source.ts';
import { loadMigrations, routeContext } from './migration-catalogue.ts';
import { createMigrationClient } from './client.ts';
import { startMigrationAdmin } from './migration-admin.ts';
import { installWorkerMetrics, workerMetricsAddress } from '../worker-metrics.ts';
import { startProcessTracing } from '@ficus/common/tracing';

const log = createLogger('migration-worker');
try {
  const config = loadMigrationWorkerConfig();
  // the SDK's worker metrics on /metrics (FICUS_MIGRATION_METRICS_ADDRESS, default 127.0.0.1:9465; off: none)
  installWorkerMetrics(workerMetricsAddress(process.env, 'FICUS_MIGRATION_METRICS_ADDRESS', '127.0.0.1:9465'));
  // spans of the migration's activities and workflow to the stack's trace backend (FICUS_TRACING)
  const tracing = startProcessTracing(process.env, 'migration-worker', log);
  // fail fast: every declaration must be valid against the proxy's route table before anything runs
  const context = routeContext(config.routesFile);
  const migrations = loadMigrations(config.migrationsDir, context);
  // the write cutover turns the CDC process's sync around through its control table
  const cdc = loadCdcConfig();
  const ownershipDatabase = ownershipDatabaseOf();
  // the worker's own MariaDB user (decision 0018): provisioned as root here in local dev, once per deployment otherwise
  if (config.provisionOnStart) {
    const schema = await provisionMigrator(config.stack, workerProvisionOptions(config, migrations, cdc, ownershipDatabase));
    log.info({ user: config.login.user, schema }, 'provisioned');
  }
  const login = config.login;
  // the state database first: a worker user that was never provisioned is told so before anything else
  await (await openStateStore(config)).knex.destroy();
  const control = await openAsMigrator(cdc.stack, login, cdc.controlDatabase, ['cdc_directions', 'cdc_position_ticks'], 'the CDC control database', { poolMax: 2 });
  const sync = createCdcSyncControl({ stack: cdc.stack, databases: cdc.databases, control, login });
  // the write switch: ownership (what the proxies follow) and GTID positions (what the sync applied)
  const ownership = await openMigratorOwnership(config, ownershipDatabase);
  const positions = createSwitchPositions({ stack: cdc.stack, login, controlDatabase: cdc.controlDatabase, databases: cdc.databases, control });
  const quiesceKnex = openParityKnex(config);
  const { deps, close } = await createMigrationDeps(config, { log, sync, switching: { ownership, positions, outstanding: createQuiesceCheck(quiesceKnex, cdc.databases) },
    snapshots: createConnectSnapshotSource({ stack: cdc.stack, databases: cdc.databases, login }),
  });
  const temporal = { address: config.stack.FICUS_TEMPORAL_ADDRESS, namespace: config.stack.FICUS_TEMPORAL_NAMESPACE };
  const { worker, close: closeWorker } = await createMigrationWorker({ temporal, taskQueue: config.taskQueue, deps, shutdownGraceMs: config.shutdownGraceMs });
  const connection = await Connection.connect({ address: temporal.address });
  const client = createMigrationClient(new Client({ connection, namespace: temporal.namespace }), config.taskQueue);
  const admin = config.adminPort
    ? await startMigrationAdmin({ port: config.adminPort, token: config.proxyAdmin.token, configs: () => loadMigrations(config.migrationsDir, context), client, store: deps.store, log })
    : undefined;
  onStopSignal((signal) => {
    log.info({ signal }, 'draining: no new tasks');
    if (worker.getState() === 'RUNNING') worker.shutdown();
  });
  log.info({ taskQueue: config.taskQueue, migrations: migrations.map((m) => m.name), admin: admin?.url }, 'migration worker running');
  await worker.run();
  await admin?.close();
  await closeWorker();
  await connection.close();
  await tracing.stop();
  await close();
  await control.destroy();
  await positions.close();
  await ownership.knex.destroy();
  await quiesceKnex.destroy();
  log.info('migration worker stopped');
} catch (e) {
  if (isFicusError(e)) log.fatal({ code: e.code }, e.message);
  else log.fatal({ err: e }, 'migration worker failed');
  process.exitCode = 1;
}
