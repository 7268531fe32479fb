import path from 'node:path';
import type { Knex } from 'knex';

/** The inventory database's schema: knex migration files, recorded by file name in `knex_migrations`. */
export const inventorySchemaDirectory = path.resolve(import.meta.dirname, 'schema');

const options = (): Knex.MigratorConfig => ({ directory: inventorySchemaDirectory, loadExtensions: ['.ts'], tableName: 'knex_migrations' });

/** Brings the inventory database to the latest schema; returns the names of the schema files it ran. */
export const applyInventorySchema = async (knex: Knex): Promise<string[]> => {
  const [, ran] = (await knex.migrate.latest(options())) as [number, string[]];
  return ran;
};

export const rollbackInventorySchema = async (knex: Knex): Promise<void> => { await knex.migrate.rollback(options(), true); };
