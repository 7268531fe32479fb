import type { Knex } from 'knex';
import { waitFor, type StackEnv } from '@ficus/common';
import { requestIncrementalSnapshot, type CdcLogin, type CdcTopology } from '@ficus/cdc';
import type { MigrationDeclaration } from '../migration-declaration.ts';
import type { MigrationStateStore } from '../migration-state-store.ts';
import { tablePairs } from '../table-pairs.ts';
import { copyTable, type CopyProgress } from './chunked-copy.ts';

export interface BackfillDeps {
  legacy: Knex;
  service: Knex;
  /** Sync-writer pool on the service database (see copyTable). */
  serviceWriter: Knex;
  store: MigrationStateStore;
  /** The running CDC topology; a table its connectors capture is backfilled by an incremental snapshot. */
  topology?: CdcTopology;
  stack?: StackEnv;
  /** Who inserts the snapshot signal (the worker's own user); default root. */
  login?: CdcLogin;
}

export interface BackfillTableResult extends CopyProgress { method: 'copy' | 'snapshot'; signalId?: string }

const count = async (k: Knex, db: string, table: string) => {
  const [[r]] = (await k.raw(`SELECT COUNT(*) AS n FROM \`${db}\`.\`${table}\``)) as [[{ n: number }]];
  return Number(r.n);
};

/**
 * Backfills every table of a migration: an incremental snapshot through Debezium's signal table when
 * a connector captures the legacy table (streaming goes on meanwhile), otherwise a chunked copy.
 * Resumable: the copy position and the snapshot's signal id are stored, so running it again after a
 * crash continues (a copy from its last chunk; a snapshot is not requested twice).
 */
export const runBackfill = async (config: MigrationDeclaration, deps: BackfillDeps, o: {
  onProgress?: (p: BackfillTableResult) => void; batchRows?: number; snapshotTimeoutMs?: number; restart?: boolean; stopAfterChunks?: number;
  /** Cancels between chunks (and between a snapshot's progress checks) with the signal's reason. */
  signal?: AbortSignal;
} = {}): Promise<BackfillTableResult[]> => {
  if (o.restart) await deps.store.resetBackfill(config.name);
  const out: BackfillTableResult[] = [];
  for (const t of config.tables) {
    const pair = tablePairs[t.mapping]!;
    const connector = deps.topology?.connectors.find((c) => c.database === config.databases.legacy && c.tables.includes(pair.legacyTable));
    if (connector && deps.stack) {
      const saved = await deps.store.backfill(config.name, pair.legacyTable);
      const signalId = saved?.signalId ?? await requestIncrementalSnapshot(deps.topology!, deps.stack, connector.name, [pair.legacyTable], deps.login);
      if (!saved?.signalId) await deps.store.saveBackfill({ migration: config.name, table: pair.legacyTable, method: 'snapshot', position: null, rowsCopied: 0, done: false, signalId });
      let last: BackfillTableResult | undefined;
      await waitFor(async () => {
        if (o.signal?.aborted) return true;
        const [sourceRows, targetRows] = await Promise.all([count(deps.legacy, config.databases.legacy, pair.legacyTable), count(deps.service, config.databases.service, pair.serviceTable)]);
        last = { table: pair.legacyTable, method: 'snapshot', signalId, rowsCopied: targetRows, sourceRows, position: null, done: targetRows >= sourceRows };
        o.onProgress?.(last);
        return last.done;
      }, { timeoutMs: o.snapshotTimeoutMs ?? 3_600_000, intervalMs: 1_000, what: `incremental snapshot of ${pair.legacyTable} (${connector.name})` });
      o.signal?.throwIfAborted();
      await deps.store.saveBackfill({ migration: config.name, table: pair.legacyTable, method: 'snapshot', position: null, rowsCopied: last!.rowsCopied, done: true, signalId });
      out.push(last!);
      continue;
    }
    const r = await copyTable({
      migration: config.name, pair, databases: config.databases, legacy: deps.legacy, serviceWriter: deps.serviceWriter, store: deps.store,
      batchRows: o.batchRows, stopAfterChunks: o.stopAfterChunks, signal: o.signal, onProgress: (p) => o.onProgress?.({ ...p, method: 'copy' }),
    });
    out.push({ ...r, method: 'copy' });
    if (!r.done) break;
  }
  return out;
};
