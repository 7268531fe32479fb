import path from 'node:path';
import type { Knex } from 'knex';

/** The orders database's schema: knex migration files, recorded by file name in `knex_migrations`. */
export const ordersSchemaDirectory = path.resolve(import.meta.dirname, 'schema');

const options = (): Knex.MigratorConfig => ({ directory: ordersSchemaDirectory, loadExtensions: ['.ts'], tableName: 'knex_migrations' });

/** Brings the orders database to the latest schema; returns the names of the schema files it ran. */
export const applyOrdersSchema = async (knex: Knex): Promise<string[]> => {
  const [, ran] = (await knex.migrate.latest(options())) as [number, string[]];
  return ran;
};

export const rollbackOrdersSchema = async (knex: Knex): Promise<void> => { await knex.migrate.rollback(options(), true); };
