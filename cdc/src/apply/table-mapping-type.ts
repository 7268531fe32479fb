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
}
