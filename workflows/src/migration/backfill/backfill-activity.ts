// The `runBackfill` activity: the chunked copy / snapshot of run-backfill.ts on a worker, reporting
// its progress in the heartbeat after each chunk and stopping between chunks when cancelled.
import type { Knex } from 'knex';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { isFicusError, type Logger } from '@ficus/common';
import type { MigrationStateStore } from '../migration-state-store.ts';
import { runBackfill } from './run-backfill.ts';
import type { SnapshotSource } from './snapshot-source.ts';
import { backfillResult, describeProgress, startingPoint, withTable, type BackfillInput, type BackfillResult } from './backfill-progress.ts';

/** What a worker needs to backfill. */
export interface BackfillPorts {
  /** A sync-writer pool (`createSyncWriterKnex`) on the service databases' server: queries name the database. */
  serviceWriter: Knex;
  /** Absent: every table is copied (`--method snapshot` fails). */
  snapshots?: SnapshotSource;
}

const nonRetryableFailure = (type: string, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });

export const backfillActivity = async (
  deps: { store: MigrationStateStore; databases: { legacy: Knex; service: Knex }; backfill?: BackfillPorts; log: Logger },
  input: BackfillInput,
): Promise<BackfillResult> => {
  const { config } = input;
  if (!deps.backfill) throw nonRetryableFailure('BACKFILL_UNAVAILABLE', 'this worker has no backfill writer configured');
  const ctx = Context.current();
  for (const db of [config.databases.legacy, config.databases.service]) {
    const [rows] = (await deps.databases.legacy.raw('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [db])) as [unknown[]];
    if (!rows.length) throw nonRetryableFailure('MIGRATION_DATABASE_MISSING', `database ${db} (migration ${config.name}) does not exist or the worker's user may not read it${db.startsWith('svc_') ? '; start its service once (it migrates its database)' : ''}, then provision the worker (node workflows/src/migration/provision.ts)`);
  }
  const source = input.method === 'copy' ? undefined : await deps.backfill.snapshots?.(config.databases.legacy);
  if (!source && input.method === 'snapshot') throw nonRetryableFailure('CDC_CONNECTOR_NOT_RUNNING', `no running Debezium connector captures ${config.databases.legacy} (ficus cdc connect), so no snapshot; use --method copy`);

  const start = startingPoint(input, ctx.info.heartbeatDetails);
  let progress = start.progress;
  ctx.heartbeat(progress);
  deps.log.info({ migration: config.name, attempt: ctx.info.attempt, reset: start.reset, from: describeProgress(progress.tables) }, 'backfill attempt starts');
  try {
    const tables = await runBackfill(config, { ...deps.databases, serviceWriter: deps.backfill.serviceWriter, store: deps.store, topology: source?.topology, stack: source?.stack, login: source?.login }, {
      restart: start.reset, batchRows: input.batchRows, signal: ctx.cancellationSignal,
      onProgress: (p) => { progress = withTable(progress, p); ctx.heartbeat(progress); },
    });
    return backfillResult(config, tables);
  } catch (e) {
    // a cancellation (the workflow's, or this worker shutting down) goes out as it is; so do crashes
    if (isFicusError(e)) throw ApplicationFailure.create({ type: e.code, message: e.message, nonRetryable: !e.retriable });
    throw e;
  }
};
