import { randomBytes } from 'node:crypto';
import { withRootConnection, type StackEnv } from '@ficus/common';
import type { Databases } from '../pipelines/pipelines.ts';
import type { CdcLogin } from '../provision/cdc-login.ts';
import { provisionCdc } from '../provision/provision-cdc.ts';
import { loadCdcConfig } from '../config.ts';

/**
 * Provisions the CDC for a test's own databases with a MariaDB user of the test's own (so tests
 * never share grants), and runs the appliers as it: the test fails if a grant is missing.
 * `drop()` removes the user (its grants go with it). The control database must exist or is created.
 */
export const provisionCdcForTest = async (stack: StackEnv, o: { databases: Databases; control?: string }): Promise<{ login: CdcLogin; control: string; drop: () => Promise<void> }> => {
  const login = { user: `cdc_t${randomBytes(4).toString('hex')}`, password: randomBytes(12).toString('hex') };
  const control = o.control ?? `cdc_tctl_${randomBytes(4).toString('hex')}`;
  await provisionCdc(stack, { login, debeziumUser: loadCdcConfig().debezium.user, databases: o.databases, control });
  return {
    login,
    control,
    drop: () => withRootConnection(stack, async (admin) => {
      await admin.raw(`DROP USER IF EXISTS ?@'%'`, [login.user]);
      if (!o.control) await admin.raw('DROP DATABASE IF EXISTS ??', [control]);
    }),
  };
};
