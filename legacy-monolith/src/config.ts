import { z } from 'zod';
import { assertSafeForProduction, devLegacyDbPassword, envBoolean, parseConfig, portSchema, productionSettings, readStackEnv, readListenHost, type StackEnv } from '@ficus/common';

const envSchema = z.object({
  PORT: portSchema.default(3000),
  LEGACY_DATABASE: z.string().regex(/^[A-Za-z0-9_]+$/, 'a MariaDB database name (letters, digits, _)').default('legacy'),
  LEGACY_GATEWAY_DECLINE_RATE: z.coerce.number().min(0).max(1).default(0),
  LEGACY_GATEWAY_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  LEGACY_SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 365).default(24 * 7),
  LEGACY_DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
  /** The monolith's own MariaDB user (decision 0018): row rights on its tables, no DDL. */
  LEGACY_DB_USER: z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'a MariaDB user name (letters, digits, _)').default('ficus_legacy'),
  LEGACY_DB_PASSWORD: z.string().min(8, 'expected at least 8 characters').default(devLegacyDbPassword),
  /** Provision (as root: database, schema, user, grants) before starting: local dev. Deployments provision once and set false. */
  LEGACY_PROVISION_ON_START: envBoolean.default(true),
});

export interface LegacyConfig {
  /** 127.0.0.1 unless FICUS_LISTEN_HOST says otherwise (containers): users reach the monolith through the proxy only. */
  host: string;
  port: number;
  /** The monolith's own user (`LEGACY_DB_USER`, `LEGACY_DB_PASSWORD`) on the legacy database. */
  database: { host: string; port: number; user: string; password: string; database: string; poolMax: number };
  /** Provision as root before starting (`LEGACY_PROVISION_ON_START`). */
  provisionOnStart: boolean;
  /** The stack's MariaDB (root only while provisioning). */
  stack: StackEnv;
  gateway: { declineRate: number; latencyMs: number };
  sessionTtlHours: number;
}

/**
 * Reads and validates the environment once; throws CONFIG_INVALID naming the variable, and with
 * `FICUS_ENV=production` CONFIG_UNSAFE_FOR_PRODUCTION for a public default (its own user's password;
 * the root password only when it provisions at start).
 */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Readonly<LegacyConfig> => {
  const e = parseConfig(envSchema, env, 'environment');
  const root = productionSettings.mariadbRootPassword;
  assertSafeForProduction(env, [productionSettings.legacyDbPassword, productionSettings.listenHost,
    ...(e.LEGACY_PROVISION_ON_START ? [{ ...root, fix: `${root.fix}, or provision once (node legacy-monolith/src/provision.ts) and set LEGACY_PROVISION_ON_START=false` }] : [])]);
  const stack = readStackEnv(env);
  return Object.freeze({
    host: readListenHost(env),
    port: e.PORT,
    database: Object.freeze({
      host: stack.FICUS_MARIADB_HOST, port: stack.FICUS_MARIADB_PORT, user: e.LEGACY_DB_USER, password: e.LEGACY_DB_PASSWORD, database: e.LEGACY_DATABASE, poolMax: e.LEGACY_DB_POOL_MAX,
    }),
    provisionOnStart: e.LEGACY_PROVISION_ON_START,
    stack,
    gateway: Object.freeze({ declineRate: e.LEGACY_GATEWAY_DECLINE_RATE, latencyMs: e.LEGACY_GATEWAY_LATENCY_MS }),
    sessionTtlHours: e.LEGACY_SESSION_TTL_HOURS,
  });
};

/** Settings for tests and embedding: defaults everywhere, overridable piecewise. */
export const testConfig = (overrides: Partial<Pick<LegacyConfig, 'gateway' | 'sessionTtlHours'>> = {}): LegacyConfig => ({
  ...loadConfig({}),
  ...overrides,
});
