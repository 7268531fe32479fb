import { z } from 'zod';
import { authSecretsOf, parseConfig, portSchema, readStackEnv, serviceAuthEnv, type ServiceDbConnection, readListenHost } from '@ficus/common';
import { catalogDefaultPort } from './api/catalog-api.ts';

const dbName = z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'a MariaDB name (letters, digits, _)');

const envSchema = z.object({
  /** Example: `PORT=3101`. */
  PORT: portSchema.default(catalogDefaultPort),
  CATALOG_DATABASE: dbName.default('svc_catalog'),
  /** The service's own MariaDB user (created by `provision`), granted on CATALOG_DATABASE only. */
  CATALOG_DB_USER: dbName.default('svc_catalog'),
  CATALOG_DB_PASSWORD: z.string().min(8, 'expected at least 8 characters').default('ficus-catalog-local'),
  CATALOG_DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
  /** Where the inventory service answers (product detail shows its stock). */
  CATALOG_INVENTORY_URL: z.string().url().default('http://127.0.0.1:3102'),
  CATALOG_INVENTORY_TIMEOUT_MS: z.coerce.number().int().min(1).max(60_000).default(2_000),
  /** Local dev: create the database and user as root before starting. Deployments set false and run provisioning once. */
  CATALOG_PROVISION_ON_START: z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1').default(true),
  ...serviceAuthEnv,
});

export interface CatalogConfig {
  /** Always 127.0.0.1: users reach the service through the strangler proxy only. */
  host: string;
  port: number;
  database: ServiceDbConnection;
  inventory: { baseUrl: string; timeoutMs: number };
  auth: { secrets: string[] };
  provisionOnStart: boolean;
}

/** Reads and validates the environment once; throws CONFIG_INVALID naming the variable. */
export const loadCatalogConfig = (env: NodeJS.ProcessEnv = process.env): Readonly<CatalogConfig> => {
  const e = parseConfig(envSchema, env, 'environment');
  const stack = readStackEnv(env);
  return Object.freeze({
    host: readListenHost(env),
    port: e.PORT,
    database: Object.freeze({
      host: stack.FICUS_MARIADB_HOST, port: stack.FICUS_MARIADB_PORT, user: e.CATALOG_DB_USER, password: e.CATALOG_DB_PASSWORD,
      database: e.CATALOG_DATABASE, poolMax: e.CATALOG_DB_POOL_MAX,
    }),
    inventory: Object.freeze({ baseUrl: e.CATALOG_INVENTORY_URL.replace(/\/$/, ''), timeoutMs: e.CATALOG_INVENTORY_TIMEOUT_MS }),
    auth: Object.freeze({ secrets: Object.freeze(authSecretsOf(e)) as string[] }),
    provisionOnStart: e.CATALOG_PROVISION_ON_START,
  });
};
