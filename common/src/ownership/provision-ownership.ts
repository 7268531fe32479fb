import knexFactory from 'knex';
import { FicusError } from '../errors/ficus-error.ts';
import { withRootConnection } from '../db/provision-database.ts';
import { mariadbRootConnection, type StackEnv } from '../stack/stack-env.ts';
import { applyOwnershipSchema } from './apply-ownership-schema.ts';

const identifier = /^[A-Za-z0-9_]{1,64}$/;
const lockWaitSeconds = 60;

/**
 * Creates the write-ownership database when missing and brings its tables to the latest schema, as
 * root (FICUS_MARIADB_ROOT_PASSWORD). Run by the migration worker's provisioning, the CLI and test
 * harnesses, never by a process that only uses the record. Idempotent; returns the schema files it ran.
 */
export const provisionOwnership = async (stack: StackEnv, database: string): Promise<string[]> => {
  if (!identifier.test(database)) throw new FicusError('CONFIG_INVALID', `ownership database ${JSON.stringify(database)}: expected letters, digits, _ (at most 64)`);
  await withRootConnection(stack, (admin) => admin.raw('CREATE DATABASE IF NOT EXISTS ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', [database]));
  // One connection, so the named lock below and the schema run share it: two first runs at once
  // would otherwise each create knex's lock row, and knex would then see its history as locked for good.
  const knex = knexFactory({ client: 'mysql2', connection: mariadbRootConnection(stack, database), pool: { min: 1, max: 1 } });
  const lock = `ficus_ownership_schema.${database}`;
  try {
    const [rows] = (await knex.raw('SELECT GET_LOCK(?, ?) AS got', [lock, lockWaitSeconds])) as [Array<{ got: number | null }>];
    if (rows[0]?.got !== 1) throw new FicusError('OWNERSHIP_NOT_PROVISIONED', `ownership database ${database}: another provisioning held its schema lock for ${lockWaitSeconds} s; provision again`, { retriable: true, details: { database } });
    try { return await applyOwnershipSchema(knex); } finally { await knex.raw('SELECT RELEASE_LOCK(?)', [lock]); }
  } finally { await knex.destroy(); }
};
