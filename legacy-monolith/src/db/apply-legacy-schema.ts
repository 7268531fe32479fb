import path from 'node:path';
import type { Knex } from 'knex';

/**
 * The legacy database's schema: knex migration files (TypeScript; Node strips the types when knex
 * imports them), recorded by file name in `knex_migrations`.
 */
export const legacySchemaDirectory = path.resolve(import.meta.dirname, 'schema');

const schemaOptions = (): Knex.MigratorConfig => ({
  directory: legacySchemaDirectory,
  loadExtensions: ['.ts'],
  tableName: 'knex_migrations',
});

/** Brings the legacy database to the latest schema; returns the names of the schema files it ran. */
export const applyLegacySchema = async (knex: Knex): Promise<string[]> => {
  const [, ran] = (await knex.migrate.latest(schemaOptions())) as [number, string[]];
  return ran;
};

/** Rolls back every legacy schema file (tests and `ficus seed --reset` only). */
export const rollbackLegacySchema = async (knex: Knex): Promise<void> => {
  await knex.migrate.rollback(schemaOptions(), true);
};
