import path from 'node:path';
import type { Knex } from 'knex';

/** The catalog database's schema: knex migration files, recorded by file name in `knex_migrations`. */
export const catalogSchemaDirectory = path.resolve(import.meta.dirname, 'schema');

const options = (): Knex.MigratorConfig => ({ directory: catalogSchemaDirectory, loadExtensions: ['.ts'], tableName: 'knex_migrations' });

/** Brings the catalog database to the latest schema; returns the names of the schema files it ran. */
export const applyCatalogSchema = async (knex: Knex): Promise<string[]> => {
  const [, ran] = (await knex.migrate.latest(options())) as [number, string[]];
  return ran;
};

export const rollbackCatalogSchema = async (knex: Knex): Promise<void> => { await knex.migrate.rollback(options(), true); };
