import { z } from 'zod';
import { authSecretsOf, serviceAuthEnv } from '../auth/auth-config.ts';
import type { ServiceDbConnection } from '../db/provision-database.ts';
import { readStackEnv } from '../stack/stack-env.ts';
import { parseConfig, portSchema, readListenHost } from './parse-config.ts';
import { devServiceDbPassword } from './public-defaults.ts';
import { assertSafeForProduction, productionSettings as unsafe } from './production-mode.ts';

const dbName = z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'a MariaDB name (letters, digits, _)');
/** `true`/`false`/`1`/`0` from the environment. */
export const envBoolean = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** What every extracted service is configured with, whatever else it has. */
export interface ServiceBaseConfig {
  host: string;
  port: number;
  database: ServiceDbConnection;
  auth: { secrets: string[] };
  provisionOnStart: boolean;
}

/**
 * Reads the settings every service shares: `PORT`, `<PREFIX>_DATABASE`, `<PREFIX>_DB_USER` (the
 * service's own MariaDB user, granted on its database only), `<PREFIX>_DB_PASSWORD`,
 * `<PREFIX>_DB_POOL_MAX`, `<PREFIX>_PROVISION_ON_START` (local dev: create the database and user as
 * root before starting; deployments set false and provision once), the auth secrets and the
 * MariaDB address; with `FICUS_ENV=production` it refuses the public defaults of the secrets it
 * uses (`assertSafeForProduction`). Example: `readServiceBaseConfig(process.env, 'INVENTORY', { port: 3102, database: 'svc_inventory' })`.
 */
export const readServiceBaseConfig = (env: NodeJS.ProcessEnv, prefix: string, d: { port: number; database: string }): ServiceBaseConfig => {
  const k = (name: string) => `${prefix}_${name}`;
  const schema = z.object({
    PORT: portSchema.default(d.port),
    [k('DATABASE')]: dbName.default(d.database),
    [k('DB_USER')]: dbName.default(d.database),
    [k('DB_PASSWORD')]: z.string().min(8, 'expected at least 8 characters').default(devServiceDbPassword(d.database)),
    [k('DB_POOL_MAX')]: z.coerce.number().int().min(1).max(200).default(20),
    [k('PROVISION_ON_START')]: envBoolean.default(true),
    ...serviceAuthEnv,
  });
  const e = parseConfig(schema, env, 'environment') as Record<string, unknown> & { PORT: number; FICUS_SERVICE_AUTH_SECRET: string; FICUS_SERVICE_AUTH_PREVIOUS_SECRET?: string };
  const provisionOnStart = e[k('PROVISION_ON_START')] as boolean;
  // before anything connects; provisioning connects as root, so only then is the root password used
  assertSafeForProduction(env, [
    unsafe.serviceAuthSecret, unsafe.serviceAuthPreviousSecret, unsafe.serviceDbPassword(prefix, d.database), unsafe.listenHost,
    ...(provisionOnStart ? [{ ...unsafe.mariadbRootPassword, fix: `${unsafe.mariadbRootPassword.fix}, or provision once and set ${k('PROVISION_ON_START')}=false` }] : []),
  ]);
  const stack = readStackEnv(env);
  return Object.freeze({
    host: readListenHost(env),
    port: e.PORT,
    database: Object.freeze({
      host: stack.FICUS_MARIADB_HOST, port: stack.FICUS_MARIADB_PORT, user: e[k('DB_USER')] as string, password: e[k('DB_PASSWORD')] as string,
      database: e[k('DATABASE')] as string, poolMax: e[k('DB_POOL_MAX')] as number,
    }),
    auth: Object.freeze({ secrets: Object.freeze(authSecretsOf(e)) as string[] }),
    provisionOnStart,
  });
};
