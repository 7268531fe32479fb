import type { Knex } from 'knex';
import type { SourceReader } from './table-mapping-type.ts';

/** Reads rows of `database`'s tables by `id` (for mappings that complete rows: `enrich`). */
export const knexSourceReader = (knex: Knex, database: string): SourceReader => async (table, ids, columns) => {
  const rows = (await knex(`${database}.${table}`).whereIn('id', [...ids]).select(['id', ...columns])) as Array<Record<string, unknown>>;
  return new Map(rows.map((r) => [Number(r.id), r]));
};
