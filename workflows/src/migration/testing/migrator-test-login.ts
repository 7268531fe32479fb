// Test harness: the migration worker's side of a test runs as a MariaDB user of the test's own,
// provisioned like the real one (provisionMigrator), so a missing grant fails the test.
import { randomBytes } from 'node:crypto';
import { withRootConnection, type StackEnv } from '@ficus/common';
import { provisionMigrator, type MigratorProvisionOptions } from '../provision/provision-migrator.ts';
import type { MigratorLogin } from '../provision/migrator-login.ts';

/** Provisions a migrator user of the test's own (`mig_t…`); `drop()` removes it (its grants go with it). */
export const provisionMigratorForTest = async (stack: StackEnv, o: Omit<MigratorProvisionOptions, 'login'>): Promise<{ login: MigratorLogin; drop: () => Promise<void> }> => {
  const login = { user: `mig_t${randomBytes(4).toString('hex')}`, password: randomBytes(12).toString('hex') };
  await provisionMigrator(stack, { login, ...o });
  return { login, drop: () => withRootConnection(stack, async (admin) => { await admin.raw(`DROP USER IF EXISTS ?@'%'`, [login.user]); }) };
};
