import { z } from 'zod';
import { authSecretsOf, parseConfig, portSchema, readStackEnv, serviceAuthEnv, type ServiceDbConnection, readListenHost } from '@ficus/common';
import { inventoryDefaultPort } from './api/inventory-api.ts';

const dbName = z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'a MariaDB name (letters, digits, _)');
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  PORT: portSchema.default(inventoryDefaultPort),
  INVENTORY_DATABASE: dbName.default('svc_inventory'),
  INVENTORY_DB_USER: dbName.default('svc_inventory'),
  INVENTORY_DB_PASSWORD: z.string().min(8, 'expected at least 8 characters').default('ficus-inventory-local'),
  INVENTORY_DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
  /** Hold time of a reservation when the caller gives none. Example: `INVENTORY_RESERVATION_TTL_SECONDS=900`. */
  INVENTORY_RESERVATION_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** Longest hold a caller may ask for. */
  INVENTORY_RESERVATION_MAX_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3_600),
  /** How often held reservations past their time are expired. */
  INVENTORY_EXPIRY_SWEEP_MS: z.coerce.number().int().min(50).max(3_600_000).default(5_000),
  INVENTORY_PROVISION_ON_START: bool.default(true),
  ...serviceAuthEnv,
});

export interface InventoryConfig {
  host: string;
  port: number;
  database: ServiceDbConnection;
  reservation: { defaultTtlSeconds: number; maxTtlSeconds: number; sweepMs: number };
  auth: { secrets: string[] };
  provisionOnStart: boolean;
}

export const loadInventoryConfig = (env: NodeJS.ProcessEnv = process.env): Readonly<InventoryConfig> => {
  const e = parseConfig(envSchema, env, 'environment');
  const stack = readStackEnv(env);
  return Object.freeze({
    host: readListenHost(env),
    port: e.PORT,
    database: Object.freeze({
      host: stack.FICUS_MARIADB_HOST, port: stack.FICUS_MARIADB_PORT, user: e.INVENTORY_DB_USER, password: e.INVENTORY_DB_PASSWORD,
      database: e.INVENTORY_DATABASE, poolMax: e.INVENTORY_DB_POOL_MAX,
    }),
    reservation: Object.freeze({
      defaultTtlSeconds: Math.min(e.INVENTORY_RESERVATION_TTL_SECONDS, e.INVENTORY_RESERVATION_MAX_TTL_SECONDS),
      maxTtlSeconds: e.INVENTORY_RESERVATION_MAX_TTL_SECONDS,
      sweepMs: e.INVENTORY_EXPIRY_SWEEP_MS,
    }),
    auth: Object.freeze({ secrets: Object.freeze(authSecretsOf(e)) as string[] }),
    provisionOnStart: e.INVENTORY_PROVISION_ON_START,
  });
};
