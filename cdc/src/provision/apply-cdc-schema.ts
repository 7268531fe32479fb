import path from 'node:path';
import type { Knex } from 'knex';

/** The CDC's own schema history, beside the owning service's `knex_migrations` in the same database. */
const tableName = 'cdc_knex_migrations';
export const cdcSyncedSchemaDirectory = path.resolve(import.meta.dirname, 'schema/synced');
export const cdcControlSchemaDirectory = path.resolve(import.meta.dirname, 'schema/control');

const latest = async (knex: Knex, directory: string): Promise<string[]> => {
  const [, ran] = (await knex.migrate.latest({ directory, loadExtensions: ['.ts'], tableName })) as [number, string[]];
  return ran;
};

/**
 * Brings the CDC's bookkeeping tables in one synced database (legacy or a service's) to the latest
 * schema; `knex` is an admin connection to that database (the CDC's own user cannot create tables).
 */
export const applyCdcSyncedSchema = (knex: Knex): Promise<string[]> => latest(knex, cdcSyncedSchemaDirectory);

/** Brings the CDC's control database (`ficus_cdc`) to the latest schema, with an admin connection to it. */
export const applyCdcControlSchema = (knex: Knex): Promise<string[]> => latest(knex, cdcControlSchemaDirectory);
