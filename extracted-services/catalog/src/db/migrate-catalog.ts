import path from 'node:path';
import type { Knex } from 'knex';

export const catalogMigrationsDirectory = path.resolve(import.meta.dirname, '../../../../migrations/catalog');

const options = (): Knex.MigratorConfig => ({ directory: catalogMigrationsDirectory, loadExtensions: ['.ts'], tableName: 'knex_migrations' });

/** Brings the catalog database to the latest schema; returns the migrations it ran. */
export const migrateCatalog = async (knex: Knex): Promise<string[]> => {
  const [, ran] = (await knex.migrate.latest(options())) as [number, string[]];
  return ran;
};

export const rollbackCatalog = async (knex: Knex): Promise<void> => { await knex.migrate.rollback(options(), true); };
