import path from 'node:path';
import type { Knex } from 'knex';

/** The legacy schema's knex migrations (TypeScript files; Node strips the types when knex imports them). */
export const legacyMigrationsDirectory = path.resolve(import.meta.dirname, '../../../migrations/legacy');

const migrationOptions = (): Knex.MigratorConfig => ({
  directory: legacyMigrationsDirectory,
  loadExtensions: ['.ts'],
  tableName: 'knex_migrations',
});

/** Brings the legacy database to the latest schema; returns the names of the migrations it ran. */
export const migrateLegacy = async (knex: Knex): Promise<string[]> => {
  const [, ran] = (await knex.migrate.latest(migrationOptions())) as [number, string[]];
  return ran;
};

/** Rolls back every legacy migration (tests and `ficus seed --reset` only). */
export const rollbackLegacy = async (knex: Knex): Promise<void> => {
  await knex.migrate.rollback(migrationOptions(), true);
};
