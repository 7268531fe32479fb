import knexFactory, { type Knex } from 'knex';
import { FicusError, mariadbRootConnection, withRootConnection, type StackEnv } from '@ficus/common';
import type { Databases } from '../pipelines/pipelines.ts';
import { cdcGrants, syncedDatabases } from './cdc-grants.ts';
import type { CdcLogin } from './cdc-login.ts';
import { applyCdcControlSchema, applyCdcSyncedSchema } from './apply-cdc-schema.ts';

export interface CdcProvisionOptions {
  /** The CDC's own MariaDB user, created (or its password reset) here. */
  login: CdcLogin;
  /** Debezium's user, granted the signal tables. */
  debeziumUser: string;
  databases: Databases;
  /** The control database, e.g. `ficus_cdc`. */
  control: string;
}

const identifier = /^[A-Za-z0-9_]{1,64}$/;

const withDatabase = async <T>(stack: StackEnv, database: string, fn: (knex: Knex) => Promise<T>): Promise<T> => {
  const knex = knexFactory({ client: 'mysql2', connection: mariadbRootConnection(stack, database), pool: { min: 0, max: 1 } });
  try { return await fn(knex); } finally { await knex.destroy(); }
};

/**
 * The control database alone (the directions table and the position ticks), created and brought to its
 * schema as root. Idempotent; the CLI runs it before reading directions, so a fresh stack answers.
 */
export const provisionCdcControl = async (stack: StackEnv, control: string): Promise<string[]> => {
  if (!identifier.test(control)) throw new FicusError('CONFIG_INVALID', `CDC provisioning: ${JSON.stringify(control)} is not a MariaDB name (letters, digits, _)`);
  await withRootConnection(stack, (admin) => admin.raw('CREATE DATABASE IF NOT EXISTS ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', [control]));
  return withDatabase(stack, control, applyCdcControlSchema);
};

/**
 * Everything the CDC needs that its own user may not do, run with the stack's root account
 * (FICUS_MARIADB_ROOT_PASSWORD): the control database, the CDC's knex schema files in it and in every
 * synced database (its bookkeeping and Debezium's signal table), the CDC's MariaDB user and its
 * grants (`cdcGrants`). Idempotent. The services must have applied their schema first: a table
 * the CDC applies into cannot be granted before it exists. Returns the schema files it ran per database.
 */
export const provisionCdc = async (stack: StackEnv, o: CdcProvisionOptions): Promise<Record<string, string[]>> => {
  const names = [o.login.user, o.debeziumUser, o.control, ...syncedDatabases(o.databases)];
  for (const n of names) if (!identifier.test(n)) throw new FicusError('CONFIG_INVALID', `CDC provisioning: ${JSON.stringify(n)} is not a MariaDB name (letters, digits, _)`);
  const ran: Record<string, string[]> = {};
  for (const database of syncedDatabases(o.databases)) {
    try {
      ran[database] = await withDatabase(stack, database, applyCdcSyncedSchema);
    } catch (e) {
      throw new FicusError('CDC_SOURCE_UNAVAILABLE', `CDC provisioning: database ${database} is not reachable or does not exist (start its service once: it creates its database and applies its schema): ${(e as Error).message}`);
    }
  }
  ran[o.control] = await provisionCdcControl(stack, o.control);
  await withRootConnection(stack, async (admin) => {
    await admin.raw(`CREATE USER IF NOT EXISTS ?@'%' IDENTIFIED BY ?`, [o.login.user, o.login.password]);
    await admin.raw(`ALTER USER ?@'%' IDENTIFIED BY ?`, [o.login.user, o.login.password]);
    for (const g of cdcGrants({ user: o.login.user, debeziumUser: o.debeziumUser, databases: o.databases, control: o.control })) {
      // privileges come from cdcGrants' fixed lists, never from input
      const privileges = g.privileges.join(', ');
      if (!g.database || !g.table) { await admin.raw(`GRANT ${privileges} ON *.* TO ?@'%'`, [g.user]); continue; }
      const [rows] = (await admin.raw('SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?', [g.database, g.table])) as [unknown[]];
      if (!rows.length) throw new FicusError('CDC_TARGET_NOT_READY', `CDC provisioning: table ${g.database}.${g.table} does not exist; start its service once (it applies its schema), then provision again`);
      await admin.raw(`GRANT ${privileges} ON ??.?? TO ?@'%'`, [g.database, g.table, g.user]);
    }
  });
  return ran;
};
