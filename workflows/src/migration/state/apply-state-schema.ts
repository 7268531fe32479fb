import path from 'node:path';
import type { Knex } from 'knex';

/** The state database's own migration history (never mixed with another package's `knex_migrations`). */
export const migrationStateSchemaTable = 'ficus_migration_knex_migrations';
export const migrationStateSchemaDirectory = path.resolve(import.meta.dirname, 'schema');
/** The tables the worker's state store uses (granted to its user, checked when it opens). */
export const migrationStateTables = ['ficus_migration_audit', 'ficus_migration_backfill'] as const;

/**
 * Brings the migration worker's state database to the latest schema; `knex` is an admin connection
 * to that database (the worker's own user cannot create tables). Returns the migrations it ran.
 */
export const applyMigrationStateSchema = async (knex: Knex): Promise<string[]> => {
  const [, ran] = (await knex.migrate.latest({ directory: migrationStateSchemaDirectory, loadExtensions: ['.ts'], tableName: migrationStateSchemaTable })) as [number, string[]];
  return ran;
};
