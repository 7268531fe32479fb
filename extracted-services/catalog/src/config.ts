import { z } from 'zod';
import { parseConfig, readServiceBaseConfig, type ServiceBaseConfig } from '@ficus/common';
import { catalogDefaultPort } from './api/catalog-api.ts';

const envSchema = z.object({
  /** Where the inventory service answers (product detail shows its stock). */
  CATALOG_INVENTORY_URL: z.string().url().default('http://127.0.0.1:3102'),
  CATALOG_INVENTORY_TIMEOUT_MS: z.coerce.number().int().min(1).max(60_000).default(2_000),
});

export interface CatalogConfig extends ServiceBaseConfig {
  inventory: { baseUrl: string; timeoutMs: number };
}

/** Reads and validates the environment once; throws CONFIG_INVALID naming the variable. */
export const loadCatalogConfig = (env: NodeJS.ProcessEnv = process.env): Readonly<CatalogConfig> => {
  const e = parseConfig(envSchema, env, 'environment');
  return Object.freeze({
    ...readServiceBaseConfig(env, 'CATALOG', { port: catalogDefaultPort, database: 'svc_catalog' }),
    inventory: Object.freeze({ baseUrl: e.CATALOG_INVENTORY_URL.replace(/\/$/, ''), timeoutMs: e.CATALOG_INVENTORY_TIMEOUT_MS }),
  });
};
