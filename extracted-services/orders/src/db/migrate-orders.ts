import path from 'node:path';
import type { Knex } from 'knex';

export const ordersMigrationsDirectory = path.resolve(import.meta.dirname, '../../../../migrations/orders');

const options = (): Knex.MigratorConfig => ({ directory: ordersMigrationsDirectory, loadExtensions: ['.ts'], tableName: 'knex_migrations' });

/** Brings the orders database to the latest schema; returns the migrations it ran. */
export const migrateOrders = async (knex: Knex): Promise<string[]> => {
  const [, ran] = (await knex.migrate.latest(options())) as [number, string[]];
  return ran;
};

export const rollbackOrders = async (knex: Knex): Promise<void> => { await knex.migrate.rollback(options(), true); };
