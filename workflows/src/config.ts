import { z } from 'zod';
import { assertSafeForProduction, parseConfig, productionSettings, readStackEnv, serviceAuthEnv } from '@ficus/common';
import { orderSagaTaskQueue } from './order-saga/saga-types.ts';

const envSchema = z.object({
  /** Task queue the saga worker polls. Example: `FICUS_SAGA_TASK_QUEUE=ficus-order-saga`. */
  FICUS_SAGA_TASK_QUEUE: z.string().regex(/^[\w.:-]{1,200}$/).default(orderSagaTaskQueue),
  FICUS_SAGA_INVENTORY_URL: z.url().default('http://127.0.0.1:3102'),
  FICUS_SAGA_PAYMENTS_URL: z.url().default('http://127.0.0.1:3104'),
  FICUS_SAGA_ORDERS_URL: z.url().default('http://127.0.0.1:3103'),
  /** How long SIGTERM lets running activities finish before they are cancelled (Worker shutdownGraceTime). */
  FICUS_SAGA_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(20_000),
  ...serviceAuthEnv,
});

export interface SagaWorkerConfig {
  temporal: { address: string; namespace: string };
  taskQueue: string;
  services: { inventoryUrl: string; paymentsUrl: string; ordersUrl: string };
  authSecret: string;
  shutdownGraceMs: number;
}

/**
 * The saga worker's configuration, read once at start; a bad value stops it with CONFIG_INVALID, a
 * public default secret with `FICUS_ENV=production` with CONFIG_UNSAFE_FOR_PRODUCTION.
 */
export const loadSagaWorkerConfig = (env: NodeJS.ProcessEnv = process.env): Readonly<SagaWorkerConfig> => {
  const e = parseConfig(envSchema, env, 'environment');
  assertSafeForProduction(env, [productionSettings.serviceAuthSecret, productionSettings.serviceAuthPreviousSecret]);
  const stack = readStackEnv(env);
  return Object.freeze({
    temporal: Object.freeze({ address: stack.FICUS_TEMPORAL_ADDRESS, namespace: stack.FICUS_TEMPORAL_NAMESPACE }),
    taskQueue: e.FICUS_SAGA_TASK_QUEUE,
    services: Object.freeze({ inventoryUrl: e.FICUS_SAGA_INVENTORY_URL, paymentsUrl: e.FICUS_SAGA_PAYMENTS_URL, ordersUrl: e.FICUS_SAGA_ORDERS_URL }),
    authSecret: e.FICUS_SERVICE_AUTH_SECRET,
    shutdownGraceMs: e.FICUS_SAGA_SHUTDOWN_GRACE_MS,
  });
};
