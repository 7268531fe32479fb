import knexFactory, { type Knex } from 'knex';
import { FicusError, mariadbRootConnection, withRootConnection, type StackEnv } from '@ficus/common';
import { applyLegacySchema } from './apply-legacy-schema.ts';
import { legacyGrants } from './legacy-grants.ts';

export interface LegacyProvisionOptions {
  /** The legacy database, e.g. `legacy`. */
  database: string;
  /** The monolith's own MariaDB user (e.g. `ficus_legacy`), created here or its password reset. */
  login: { user: string; password: string };
}

const identifier = /^[A-Za-z0-9_]{1,64}$/;

/**
 * Everything the monolith needs that its own user may not do, with the stack's root account
 * (FICUS_MARIADB_ROOT_PASSWORD): the legacy database, its schema (knex, `knex_migrations`), the
 * monolith's MariaDB user and its grants (`legacyGrants`: row rights on its own tables, no DDL).
 * Idempotent; run again after a release adds schema files. Returns the schema files it ran.
 */
export const provisionLegacy = async (stack: StackEnv, o: LegacyProvisionOptions): Promise<string[]> => {
  for (const n of [o.database, o.login.user]) {
    if (!identifier.test(n)) throw new FicusError('CONFIG_INVALID', `monolith provisioning: ${JSON.stringify(n)} is not a MariaDB name (letters, digits, _)`);
  }
  await withRootConnection(stack, (admin) => admin.raw('CREATE DATABASE IF NOT EXISTS ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', [o.database]));
  const knex: Knex = knexFactory({ client: 'mysql2', connection: { ...mariadbRootConnection(stack, o.database), timezone: 'Z' }, pool: { min: 0, max: 1 } });
  let ran: string[];
  try { ran = await applyLegacySchema(knex); } finally { await knex.destroy(); }
  await withRootConnection(stack, async (admin) => {
    const [rows] = (await admin.raw("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE'", [o.database])) as [Array<{ t: string }>];
    await admin.raw(`CREATE USER IF NOT EXISTS ?@'%' IDENTIFIED BY ?`, [o.login.user, o.login.password]);
    await admin.raw(`ALTER USER ?@'%' IDENTIFIED BY ?`, [o.login.user, o.login.password]);
    for (const g of legacyGrants({ user: o.login.user, database: o.database, tables: rows.map((r) => r.t) })) {
      // privileges come from legacyGrants' fixed list, never from input
      await admin.raw(`GRANT ${g.privileges.join(', ')} ON ??.?? TO ?@'%'`, [g.database, g.table, g.user]);
    }
  });
  return ran;
};
