import path from 'node:path';
import type { Knex } from 'knex';

export const inventoryMigrationsDirectory = path.resolve(import.meta.dirname, '../../../../migrations/inventory');

const options = (): Knex.MigratorConfig => ({ directory: inventoryMigrationsDirectory, loadExtensions: ['.ts'], tableName: 'knex_migrations' });

/** Brings the inventory database to the latest schema; returns the migrations it ran. */
export const migrateInventory = async (knex: Knex): Promise<string[]> => {
  const [, ran] = (await knex.migrate.latest(options())) as [number, string[]];
  return ran;
};

export const rollbackInventory = async (knex: Knex): Promise<void> => { await knex.migrate.rollback(options(), true); };
