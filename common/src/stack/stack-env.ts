import { resolve } from 'node:path';
import { z } from 'zod';
import { parseConfig, portSchema } from '../config/parse-config.ts';
import { devMariadbRootPassword, devUnleashAdminToken, devUnleashClientToken } from '../config/public-defaults.ts';

/**
 * How apps and tests reach the local stack. `ficus stack up` starts it and `ficus` exports these
 * variables to everything it launches (apps, tests, workers); a deployment sets them itself.
 */
export const stackEnvSchema = z.object({
  FICUS_MARIADB_HOST: z.string().default('127.0.0.1'),
  FICUS_MARIADB_PORT: portSchema.default(13306),
  FICUS_MARIADB_ROOT_PASSWORD: z.string().default(devMariadbRootPassword),
  FICUS_KAFKA_BROKERS: z.string().default('127.0.0.1:19092'),
  FICUS_CONNECT_URL: z.string().url().default('http://127.0.0.1:18083'),
  FICUS_TEMPORAL_ADDRESS: z.string().default('127.0.0.1:17233'),
  FICUS_TEMPORAL_NAMESPACE: z.string().default('default'),
  FICUS_UNLEASH_URL: z.string().url().default('http://127.0.0.1:14242'),
  FICUS_UNLEASH_ADMIN_TOKEN: z.string().default(devUnleashAdminToken),
  FICUS_UNLEASH_CLIENT_TOKEN: z.string().default(devUnleashClientToken),
  /** VictoriaMetrics: PromQL at /api/v1/query. */
  FICUS_METRICS_URL: z.string().url().default('http://127.0.0.1:18428'),
  /** Where a process writes its scrape target file (`registerScrapeTarget`); the stack's run folder. */
  FICUS_SCRAPE_TARGETS_DIR: z.string().min(1).default(resolve(import.meta.dirname, '../../../.ficus/run/scrape-targets')),
  /** Jaeger's OTLP/HTTP receiver (post to `/v1/traces`). */
  FICUS_OTLP_HTTP_ENDPOINT: z.string().url().default('http://127.0.0.1:14318'),
  /** Jaeger's UI and query API. */
  FICUS_JAEGER_URL: z.string().url().default('http://127.0.0.1:16686'),
  /** Zipkin: spans in at `/api/v2/spans`, its web UI at `/zipkin/` (the stack's trace UI). */
  FICUS_ZIPKIN_URL: z.string().url().default('http://127.0.0.1:19411'),
});
export type StackEnv = z.infer<typeof stackEnvSchema>;

export const readStackEnv = (env: NodeJS.ProcessEnv = process.env): Readonly<StackEnv> =>
  parseConfig(stackEnvSchema, env, 'environment');

/** knex connection settings for MariaDB as root (tests and admin tasks only). */
export const mariadbRootConnection = (s: StackEnv, database?: string) => ({
  host: s.FICUS_MARIADB_HOST,
  port: s.FICUS_MARIADB_PORT,
  user: 'root',
  password: s.FICUS_MARIADB_ROOT_PASSWORD,
  ...(database ? { database } : {}),
});
