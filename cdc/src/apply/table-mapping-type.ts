import type { z } from 'zod';

/**
 * How rows of one source table become rows of one target table. One module per source table;
 * `sourceRow` validates what Debezium delivers, so a schema change that no longer fits fails loudly
 * (to the dead-letter topic) instead of writing wrong data.
 */
export interface TableMapping<S extends z.ZodType = z.ZodType> {
  /** `db.table` on the source side (the database name may be overridden at wiring time). */
  sourceTable: string;
  targetTable: string;
  /** Target primary-key columns. */
  targetKey: string[];
  sourceRow: S;
  /** Pure: a validated source row → the target row (all target columns). */
  toTarget(row: z.infer<S>): Record<string, unknown>;
  /**
   * Rows the target must not hold (say, an order the saga has not finished: the monolith never
   * shows one): such a row is applied as a delete of its target key.
   */
  absentWhen?(row: z.infer<S>): boolean;
  /**
   * Fills target columns the source row does not carry from other tables of the source database
   * (read by primary key when the batch is applied), e.g. an order's customer email from `users`.
   */
  enrich?(rows: Record<string, unknown>[], read: SourceReader): Promise<void>;
  /** The source database's tables `enrich` reads (the CDC's MariaDB user is granted SELECT on them, nothing else there). */
  reads?: readonly string[];
}

/** Reads rows of a source table by `id`: the values as they are now, keyed by id. */
export type SourceReader = (table: string, ids: readonly number[], columns: readonly string[]) => Promise<Map<number, Record<string, unknown>>>;

/** Sets `column` of each row from the source row its `via` column points at (`''` when gone). */
export const enrichFrom = async (rows: Record<string, unknown>[], read: SourceReader, table: string, via: string, columns: Record<string, string>) => {
  const ids = [...new Set(rows.map((r) => Number(r[via])))];
  if (!ids.length) return;
  const found = await read(table, ids, Object.values(columns));
  for (const r of rows) {
    const src = found.get(Number(r[via]));
    for (const [target, source] of Object.entries(columns)) r[target] = src?.[source] ?? '';
  }
};
