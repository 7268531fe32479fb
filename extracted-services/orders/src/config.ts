import { z } from 'zod';
import { parseConfig, readStackEnv, readServiceBaseConfig, type ServiceBaseConfig, envBoolean } from '@ficus/common';
import { ordersDefaultPort } from './api/orders-api.ts';


const envSchema = z.object({
  /** Mount checkout (`POST /api/orders`), its status URL and cancel, run as Temporal sagas. */
  ORDERS_CHECKOUT_ENABLED: envBoolean.default(true),
  /** How long checkout and cancel wait for their saga before answering 202 (decision 0006); under the proxy's 15 s route timeout. */
  ORDERS_CHECKOUT_WAIT_MS: z.coerce.number().int().min(0).max(14_000).default(8_000),
  /** How long the service keeps following a saga past the bound to empty the cart when it succeeds. */
  ORDERS_CHECKOUT_FOLLOW_MS: z.coerce.number().int().min(0).max(3_600_000).default(120_000),
  /** The monolith, which still owns carts and profiles (read as the user, with the session cookie). */
  ORDERS_LEGACY_URL: z.url().default('http://127.0.0.1:3000'),
  ORDERS_LEGACY_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
  /** The inventory service: checkout holds the stock there before it starts a saga (decision 0014). */
  ORDERS_INVENTORY_URL: z.url().default('http://127.0.0.1:3102'),
  ORDERS_INVENTORY_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(4_000),
  /** Task queue of the order-saga worker. */
  ORDERS_SAGA_TASK_QUEUE: z.string().regex(/^[\w.:-]{1,200}$/).default('ficus-order-saga'),
});

export interface OrdersConfig extends ServiceBaseConfig {
  checkout: { enabled: boolean; waitMs: number; followMs: number; legacyUrl: string; legacyTimeoutMs: number; inventoryUrl: string; inventoryTimeoutMs: number; taskQueue: string; temporalAddress: string; temporalNamespace: string };
}

export const loadOrdersConfig = (env: NodeJS.ProcessEnv = process.env): Readonly<OrdersConfig> => {
  const e = parseConfig(envSchema, env, 'environment');
  const stack = readStackEnv(env);
  return Object.freeze({
    ...readServiceBaseConfig(env, 'ORDERS', { port: ordersDefaultPort, database: 'svc_orders' }),
    checkout: Object.freeze({
      enabled: e.ORDERS_CHECKOUT_ENABLED, waitMs: e.ORDERS_CHECKOUT_WAIT_MS, followMs: e.ORDERS_CHECKOUT_FOLLOW_MS,
      legacyUrl: e.ORDERS_LEGACY_URL, legacyTimeoutMs: e.ORDERS_LEGACY_TIMEOUT_MS,
      inventoryUrl: e.ORDERS_INVENTORY_URL.replace(/\/$/, ''), inventoryTimeoutMs: e.ORDERS_INVENTORY_TIMEOUT_MS, taskQueue: e.ORDERS_SAGA_TASK_QUEUE,
      temporalAddress: stack.FICUS_TEMPORAL_ADDRESS, temporalNamespace: stack.FICUS_TEMPORAL_NAMESPACE,
    }),
  });
};
