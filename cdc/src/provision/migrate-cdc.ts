import path from 'node:path';
import type { Knex } from 'knex';

/** The CDC's own migration history, beside the owning service's `knex_migrations` in the same database. */
const tableName = 'cdc_knex_migrations';
export const cdcSyncedMigrationsDirectory = path.resolve(import.meta.dirname, 'migrations/synced');
export const cdcControlMigrationsDirectory = path.resolve(import.meta.dirname, 'migrations/control');

const latest = async (knex: Knex, directory: string): Promise<string[]> => {
  const [, ran] = (await knex.migrate.latest({ directory, loadExtensions: ['.ts'], tableName })) as [number, string[]];
  return ran;
};

/**
 * Brings the CDC's bookkeeping tables in one synced database (legacy or a service's) to the latest
 * schema; `knex` is an admin connection to that database (the CDC's own user cannot create tables).
 */
export const migrateCdcDatabase = (knex: Knex): Promise<string[]> => latest(knex, cdcSyncedMigrationsDirectory);

/** Brings the CDC's control database (`ficus_cdc`) to the latest schema, with an admin connection to it. */
export const migrateCdcControl = (knex: Knex): Promise<string[]> => latest(knex, cdcControlMigrationsDirectory);
