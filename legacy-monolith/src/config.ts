import { z } from 'zod';
import { assertSafeForProduction, parseConfig, portSchema, productionSettings, readStackEnv, mariadbRootConnection, readListenHost } from '@ficus/common';

const envSchema = z.object({
  PORT: portSchema.default(3000),
  LEGACY_DATABASE: z.string().regex(/^[A-Za-z0-9_]+$/, 'a MariaDB database name (letters, digits, _)').default('legacy'),
  LEGACY_GATEWAY_DECLINE_RATE: z.coerce.number().min(0).max(1).default(0),
  LEGACY_GATEWAY_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  LEGACY_SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 365).default(24 * 7),
  LEGACY_DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
});

export interface LegacyConfig {
  /** 127.0.0.1 unless FICUS_LISTEN_HOST says otherwise (containers): users reach the monolith through the proxy only. */
  host: string;
  port: number;
  database: { host: string; port: number; user: string; password: string; database: string; poolMax: number };
  gateway: { declineRate: number; latencyMs: number };
  sessionTtlHours: number;
}

/**
 * Reads and validates the environment once; throws CONFIG_INVALID naming the variable, and with
 * `FICUS_ENV=production` CONFIG_UNSAFE_FOR_PRODUCTION for a public default (the monolith connects as root).
 */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Readonly<LegacyConfig> => {
  const e = parseConfig(envSchema, env, 'environment');
  assertSafeForProduction(env, [productionSettings.mariadbRootPassword, productionSettings.listenHost]);
  const conn = mariadbRootConnection(readStackEnv(env), e.LEGACY_DATABASE);
  return Object.freeze({
    host: readListenHost(env),
    port: e.PORT,
    database: Object.freeze({ ...conn, database: e.LEGACY_DATABASE, poolMax: e.LEGACY_DB_POOL_MAX }),
    gateway: Object.freeze({ declineRate: e.LEGACY_GATEWAY_DECLINE_RATE, latencyMs: e.LEGACY_GATEWAY_LATENCY_MS }),
    sessionTtlHours: e.LEGACY_SESSION_TTL_HOURS,
  });
};

/** Settings for tests and embedding: defaults everywhere, overridable piecewise. */
export const testConfig = (overrides: Partial<Pick<LegacyConfig, 'gateway' | 'sessionTtlHours'>> = {}): LegacyConfig => ({
  ...loadConfig({}),
  ...overrides,
});
