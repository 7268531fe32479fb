import { z } from 'zod';
import { FicusError } from '../errors/ficus-error.ts';
import { devServiceAuthSecret } from '../auth/auth-config.ts';
import { defaultListenHost, parseConfig } from './parse-config.ts';
import {
  devCdcDbPassword, devDebeziumPassword, devLegacyDbPassword, devMariadbRootPassword, devMigratorDbPassword, devProxyAdminToken, devProxyShadowDbPassword, devServiceDbPassword, devUnleashAdminToken, devUnleashClientToken } from './public-defaults.ts';

/** `FICUS_ENV`: `development` (the default: public defaults allowed) or `production`. */
export const ficusEnvSchema = z.object({ FICUS_ENV: z.enum(['development', 'production']).default('development') });
export type FicusEnv = z.infer<typeof ficusEnvSchema>['FICUS_ENV'];

/** A secret, token or password whose default (or a value shipped in this repository) is public. */
export interface SecretSetting {
  kind: 'secret';
  /** The environment variable. Example: `FICUS_PROXY_ADMIN_TOKEN`. */
  name: string;
  /** Values anyone can read here, the default first; unsafe when the setting is unset or one of them. */
  publicValues: readonly string[];
  /** The setting has no default: unset is fine, only a public value is not. */
  optional?: boolean;
  /** A value that carries a public secret inside it (e.g. a URL with the default password). */
  publicWhen?: (value: string) => boolean;
  /** What to do instead. Example: `set a random token of at least 16 characters`. */
  fix: string;
}

/** An address a deployable listens on; unsafe when it is not loopback and nobody set it explicitly. */
export interface ListenSetting {
  kind: 'listen';
  /** The environment variable. Example: `FICUS_LISTEN_HOST`. */
  name: string;
  /** The address used when the variable is unset. */
  defaultHost: string;
}

export type ProductionSetting = SecretSetting | ListenSetting;

const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/i.test(host);

const isUnset = (v: string | undefined): v is undefined => v === undefined || v === '';

/** One problem per unsafe setting: the variable and a line saying what is wrong and what to do; empty when all are safe. */
export const productionProblems = (env: NodeJS.ProcessEnv, settings: readonly ProductionSetting[]): Array<{ name: string; message: string }> => {
  const problems: Array<{ name: string; message: string }> = [];
  const add = (name: string, message: string) => { problems.push({ name, message: `${name} ${message}` }); };
  for (const s of settings) {
    const value = env[s.name];
    if (s.kind === 'listen') {
      if (isUnset(value) && !isLoopback(s.defaultHost)) {
        add(s.name, `is not set and its default ${s.defaultHost} is not a loopback address: set ${s.name} explicitly (127.0.0.1, or 0.0.0.0 in a container whose ports are published on purpose)`);
      }
    } else if (isUnset(value)) {
      if (!s.optional) add(s.name, `is not set, so its public development default would be used: ${s.fix}`);
    } else if (s.publicValues.includes(value) || s.publicWhen?.(value)) {
      add(s.name, `is set to a public development value: ${s.fix}`);
    }
  }
  return problems;
};

/**
 * The one production-mode check. Reads `FICUS_ENV` (zod, CONFIG_INVALID when it is neither
 * `development` nor `production`); in production throws CONFIG_UNSAFE_FOR_PRODUCTION naming every
 * setting among `settings` that is a public default or an implicit non-loopback address. Each
 * deployable's config loader calls it with the settings it uses, before anything connects.
 * Example: `assertSafeForProduction(env, [productionSettings.serviceAuthSecret, productionSettings.listenHost])`.
 */
export const assertSafeForProduction = (env: NodeJS.ProcessEnv, settings: readonly ProductionSetting[]): FicusEnv => {
  const { FICUS_ENV } = parseConfig(ficusEnvSchema, env, 'environment');
  if (FICUS_ENV !== 'production') return FICUS_ENV;
  const problems = productionProblems(env, settings);
  if (problems.length) {
    throw new FicusError('CONFIG_UNSAFE_FOR_PRODUCTION', `refusing to start with FICUS_ENV=production\n  ${problems.map((p) => p.message).join('\n  ')}`, {
      details: { settings: problems.map((p) => p.name) },
    });
  }
  return FICUS_ENV;
};

const secret = (name: string, publicValues: readonly string[], fix: string, optional = false): SecretSetting =>
  ({ kind: 'secret', name, publicValues, fix, ...(optional ? { optional } : {}) });

/** The settings several deployables share; each config loader picks the ones it uses. */
export const productionSettings = {
  migratorDbPassword: secret('FICUS_MIGRATION_DB_PASSWORD', [devMigratorDbPassword], "set a password of your own for the migration worker's MariaDB user (`ficus_migrator`)"),
  legacyDbPassword: secret('LEGACY_DB_PASSWORD', [devLegacyDbPassword], "set a password of your own for the monolith's MariaDB user (`ficus_legacy`)"),
  serviceAuthSecret: secret('FICUS_SERVICE_AUTH_SECRET', [devServiceAuthSecret],
    'set a random secret of at least 32 characters (e.g. `openssl rand -base64 48`), the same for the proxy, the services and the saga worker'),
  serviceAuthPreviousSecret: secret('FICUS_SERVICE_AUTH_PREVIOUS_SECRET', [devServiceAuthSecret],
    'unset it, or set it to the secret being rotated away from', true),
  proxyAdminToken: secret('FICUS_PROXY_ADMIN_TOKEN', [devProxyAdminToken],
    'set a random token of at least 16 characters (e.g. `openssl rand -hex 24`), the same for the proxy, the migration worker and the cockpit'),
  mariadbRootPassword: secret('FICUS_MARIADB_ROOT_PASSWORD', [devMariadbRootPassword], "set it to the MariaDB server's own root password"),
  unleashAdminToken: secret('FICUS_UNLEASH_ADMIN_TOKEN', [devUnleashAdminToken], 'set an Unleash admin API token created for this deployment'),
  unleashClientToken: secret('FICUS_UNLEASH_CLIENT_TOKEN', [devUnleashClientToken], 'set an Unleash client API token created for this deployment'),
  debeziumPassword: secret('FICUS_DEBEZIUM_PASSWORD', [devDebeziumPassword], 'set the password of the MariaDB user Debezium reads the binlog with'),
  /** The proxy's own MariaDB user (`ficus_proxy`, the shadow store's account): the ownership store (decision 0018, "Proxy"). */
  proxyDbPassword: secret('FICUS_PROXY_DB_PASSWORD', [devProxyShadowDbPassword],
    "set the password of the proxy's own MariaDB user (`ficus_proxy`): the one in FICUS_PROXY_SHADOW_DB_URL when that names the same user"),
  cdcDbPassword: secret('FICUS_CDC_DB_PASSWORD', [devCdcDbPassword], "set a password of your own for the CDC appliers' MariaDB user (`ficus_cdc`)"),
  /** Where the proxy keeps shadow results: `memory`, or a MariaDB URL whose password is not the public default. */
  proxyShadowDbUrl: {
    ...secret('FICUS_PROXY_SHADOW_DB_URL', [], 'set it to mysql://ficus_proxy:<a password of your own>@<host>:<port>/ficus_proxy (or memory, to keep them in each replica only)'),
    publicWhen: (v: string) => { try { return decodeURIComponent(new URL(v).password) === devProxyShadowDbPassword; } catch { return false; } },
  } satisfies SecretSetting,
  /** `<PREFIX>_DB_PASSWORD` of a service's own MariaDB user. Example: `serviceDbPassword('CATALOG', 'svc_catalog')`. */
  serviceDbPassword: (prefix: string, database: string): SecretSetting =>
    secret(`${prefix}_DB_PASSWORD`, [devServiceDbPassword(database)], "set a password of your own for the service's MariaDB user"),
  /** `FICUS_LISTEN_HOST`, read by `readListenHost`. */
  listenHost: { kind: 'listen', name: 'FICUS_LISTEN_HOST', defaultHost: defaultListenHost } satisfies ListenSetting,
} as const;
