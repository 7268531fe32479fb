import type { Knex } from 'knex';
import { FicusError } from '@ficus/common';
import { knexSourceReader } from '@ficus/cdc';
import type { TablePairSpec } from '../table-pairs.ts';
import type { MigrationStateStore } from '../migration-state-store.ts';

/** A legacy row as knex reads it → the shape Debezium delivers (DATETIME as epoch milliseconds). */
const asChangeImage = (row: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.getTime() : v]));

export interface CopyProgress { table: string; rowsCopied: number; sourceRows: number; position: number | null; done: boolean }

/**
 * Copies a legacy table to its service table in primary-key order, through the same CDC mapping
 * module the sync applies (validated, pure), upserting so a repeated chunk changes nothing. The
 * position is stored after each chunk, so a crashed copy resumes at the next chunk, and a cancelled
 * one stops between two chunks.
 *
 * `serviceWriter` should be a sync writer (`createSyncWriterKnex`): its writes carry the sync's
 * GTID domain, so a reverse sync never echoes them back to legacy.
 */
export const copyTable = async (o: {
  migration: string;
  pair: TablePairSpec;
  databases: { legacy: string; service: string };
  legacy: Knex;
  serviceWriter: Knex;
  store: MigrationStateStore;
  batchRows?: number;
  onProgress?: (p: CopyProgress) => void;
  /** Tests: stop after this many chunks (a crash). */
  stopAfterChunks?: number;
  /** Checked after each chunk is stored: an aborted copy throws the signal's reason there. */
  signal?: AbortSignal;
}): Promise<CopyProgress> => {
  const { pair, databases } = o;
  const mapping = pair.forward(databases.legacy);
  const batch = o.batchRows ?? 2_000;
  const source = `${databases.legacy}.${pair.legacyTable}`;
  const target = `${databases.service}.${pair.serviceTable}`;
  const saved = await o.store.backfill(o.migration, pair.legacyTable);
  let position = saved?.position ?? null;
  let rowsCopied = saved?.rowsCopied ?? 0;
  const [[countRow]] = (await o.legacy.raw(`SELECT COUNT(*) AS n FROM \`${databases.legacy}\`.\`${pair.legacyTable}\``)) as [[{ n: number }]];
  const sourceRows = Number(countRow.n);
  if (saved?.done) return { table: pair.legacyTable, rowsCopied, sourceRows, position, done: true };
  let chunks = 0;
  for (;;) {
    const q = o.legacy(source).orderBy(pair.legacyKey).limit(batch);
    if (position !== null) q.where(pair.legacyKey, '>', position);
    const rows = (await q) as Array<Record<string, unknown>>;
    if (!rows.length) break;
    const mapped = rows.map((r) => {
      const parsed = mapping.sourceRow.safeParse(asChangeImage(r));
      if (!parsed.success) throw new FicusError('BACKFILL_ROW_INVALID', `${source} row ${String(r[pair.legacyKey])} does not fit the mapping ${pair.mapping}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      return mapping.toTarget(parsed.data);
    });
    if (mapping.enrich) {
      await mapping.enrich(mapped, knexSourceReader(o.legacy, databases.legacy));
    }
    await o.serviceWriter(target).insert(mapped).onConflict(mapping.targetKey).merge();
    position = Number(rows[rows.length - 1]![pair.legacyKey]);
    rowsCopied += rows.length;
    await o.store.saveBackfill({ migration: o.migration, table: pair.legacyTable, method: 'copy', position, rowsCopied, done: false, signalId: null });
    o.onProgress?.({ table: pair.legacyTable, rowsCopied, sourceRows, position, done: false });
    o.signal?.throwIfAborted();
    if (o.stopAfterChunks !== undefined && ++chunks >= o.stopAfterChunks) return { table: pair.legacyTable, rowsCopied, sourceRows, position, done: false };
  }
  await o.store.saveBackfill({ migration: o.migration, table: pair.legacyTable, method: 'copy', position, rowsCopied, done: true, signalId: null });
  const p = { table: pair.legacyTable, rowsCopied, sourceRows, position, done: true };
  o.onProgress?.(p);
  return p;
};
