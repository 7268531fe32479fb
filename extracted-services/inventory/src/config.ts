import { z } from 'zod';
import { parseConfig, readServiceBaseConfig, type ServiceBaseConfig } from '@ficus/common';
import { inventoryDefaultPort } from './api/inventory-api.ts';


const envSchema = z.object({
  /** Hold time of a reservation when the caller gives none. Example: `INVENTORY_RESERVATION_TTL_SECONDS=900`. */
  INVENTORY_RESERVATION_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** Longest hold a caller may ask for. */
  INVENTORY_RESERVATION_MAX_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3_600),
  /** How often held reservations past their time are expired. */
  INVENTORY_EXPIRY_SWEEP_MS: z.coerce.number().int().min(50).max(3_600_000).default(5_000),
});

export interface InventoryConfig extends ServiceBaseConfig {
  reservation: { defaultTtlSeconds: number; maxTtlSeconds: number; sweepMs: number };
}

export const loadInventoryConfig = (env: NodeJS.ProcessEnv = process.env): Readonly<InventoryConfig> => {
  const e = parseConfig(envSchema, env, 'environment');
  return Object.freeze({
    ...readServiceBaseConfig(env, 'INVENTORY', { port: inventoryDefaultPort, database: 'svc_inventory' }),
    reservation: Object.freeze({
      defaultTtlSeconds: Math.min(e.INVENTORY_RESERVATION_TTL_SECONDS, e.INVENTORY_RESERVATION_MAX_TTL_SECONDS),
      maxTtlSeconds: e.INVENTORY_RESERVATION_MAX_TTL_SECONDS,
      sweepMs: e.INVENTORY_EXPIRY_SWEEP_MS,
    }),
  });
};
