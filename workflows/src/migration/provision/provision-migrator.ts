import knexFactory, { type Knex } from 'knex';
import { FicusError, mariadbRootConnection, provisionOwnership, withRootConnection, type StackEnv } from '@ficus/common';
import { provisionCdcControl, type Databases } from '@ficus/cdc';
import type { MigrationDeclaration } from '../migration-declaration.ts';
import { applyMigrationStateSchema } from '../state/apply-state-schema.ts';
import { migratorGrants } from './migrator-grants.ts';
import type { MigratorLogin } from './migrator-login.ts';

export interface MigratorProvisionOptions {
  /** The worker's own MariaDB user, created (or its password reset) here. */
  login: MigratorLogin;
  stateDatabase: string;
  declarations: ReadonlyArray<Pick<MigrationDeclaration, 'databases' | 'tables' | 'units'>>;
  /** The CDC control database, the databases it syncs and the ownership database (see migratorGrants); absent: no switch rights. */
  sync?: { control: string; databases: Databases; ownershipDatabase: string };
}

const identifier = /^[A-Za-z0-9_]{1,64}$/;
const checkName = (n: string) => {
  if (!identifier.test(n)) throw new FicusError('CONFIG_INVALID', `migration worker provisioning: ${JSON.stringify(n)} is not a MariaDB name (letters, digits, _)`);
};

const withDatabase = async <T>(stack: StackEnv, database: string, fn: (knex: Knex) => Promise<T>): Promise<T> => {
  const knex = knexFactory({ client: 'mysql2', connection: mariadbRootConnection(stack, database), pool: { min: 0, max: 1 } });
  try { return await fn(knex); } finally { await knex.destroy(); }
};

/** The state database alone, created and brought to the latest schema as root. Idempotent; returns the migrations it ran. */
export const provisionMigrationState = async (stack: StackEnv, database: string): Promise<string[]> => {
  checkName(database);
  await withRootConnection(stack, (admin) => admin.raw('CREATE DATABASE IF NOT EXISTS ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', [database]));
  return withDatabase(stack, database, applyMigrationStateSchema);
};

/**
 * Everything the migration worker needs that its own user may not do, run with the stack's root
 * account (FICUS_MARIADB_ROOT_PASSWORD): its state database and schema, the CDC control and the
 * ownership databases when it drives the sync, its MariaDB user and the grants `migratorGrants`
 * computes from the declarations. Idempotent. The services (and, for the switch, the CDC) must be
 * provisioned first: a table that does not exist cannot be granted (MIGRATION_TARGET_NOT_READY).
 * Returns the state migrations it ran.
 */
export const provisionMigrator = async (stack: StackEnv, o: MigratorProvisionOptions): Promise<string[]> => {
  for (const n of [o.login.user, o.stateDatabase, ...(o.sync ? [o.sync.control, o.sync.ownershipDatabase] : [])]) checkName(n);
  const ran = await provisionMigrationState(stack, o.stateDatabase);
  if (o.sync) {
    await provisionCdcControl(stack, o.sync.control);
    await provisionOwnership(stack, o.sync.ownershipDatabase);
  }
  const grants = migratorGrants({ user: o.login.user, stateDatabase: o.stateDatabase, declarations: o.declarations, sync: o.sync });
  await withRootConnection(stack, async (admin) => {
    const missing: string[] = [];
    for (const g of grants) {
      if (!g.database || !g.table) continue;
      const [rows] = (await admin.raw('SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?', [g.database, g.table])) as [unknown[]];
      if (!rows.length) missing.push(`${g.database}.${g.table}`);
    }
    if (missing.length) {
      throw new FicusError('MIGRATION_TARGET_NOT_READY', `migration worker provisioning: ${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist yet; start the services once (each applies its schema) and provision the CDC (\`node cdc/src/provision.ts\`), then provision again`, { details: { missing } });
    }
    await admin.raw(`CREATE USER IF NOT EXISTS ?@'%' IDENTIFIED BY ?`, [o.login.user, o.login.password]);
    await admin.raw(`ALTER USER ?@'%' IDENTIFIED BY ?`, [o.login.user, o.login.password]);
    for (const g of grants) {
      // privileges come from migratorGrants' fixed lists, never from input
      const privileges = g.privileges.join(', ');
      if (!g.database || !g.table) await admin.raw(`GRANT ${privileges} ON *.* TO ?@'%'`, [g.user]);
      else await admin.raw(`GRANT ${privileges} ON ??.?? TO ?@'%'`, [g.database, g.table, g.user]);
    }
  });
  return ran;
};

/** The provisioning a worker process with this configuration needs: its declarations, the CDC's control and synced databases, the ownership database. */
export const workerProvisionOptions = (
  config: { login: MigratorLogin; stateDatabase: string },
  declarations: MigratorProvisionOptions['declarations'],
  cdc: { controlDatabase: string; databases: Databases },
  ownershipDatabase: string,
): MigratorProvisionOptions => ({
  login: config.login, stateDatabase: config.stateDatabase, declarations, sync: { control: cdc.controlDatabase, databases: cdc.databases, ownershipDatabase },
});
