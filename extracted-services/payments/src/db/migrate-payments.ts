import path from 'node:path';
import type { Knex } from 'knex';

export const paymentsMigrationsDirectory = path.resolve(import.meta.dirname, '../../../../migrations/payments');

const options = (): Knex.MigratorConfig => ({ directory: paymentsMigrationsDirectory, loadExtensions: ['.ts'], tableName: 'knex_migrations' });

/** Brings the payments database to the latest schema; returns the migrations it ran. */
export const migratePayments = async (knex: Knex): Promise<string[]> => {
  const [, ran] = (await knex.migrate.latest(options())) as [number, string[]];
  return ran;
};

export const rollbackPayments = async (knex: Knex): Promise<void> => { await knex.migrate.rollback(options(), true); };
