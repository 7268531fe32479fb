import { z } from 'zod';
import { authSecretsOf, parseConfig, portSchema, readStackEnv, serviceAuthEnv, type ServiceDbConnection } from '@ficus/common';
import { ordersDefaultPort } from './api/orders-api.ts';

const dbName = z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'a MariaDB name (letters, digits, _)');
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  PORT: portSchema.default(ordersDefaultPort),
  ORDERS_DATABASE: dbName.default('svc_orders'),
  ORDERS_DB_USER: dbName.default('svc_orders'),
  ORDERS_DB_PASSWORD: z.string().min(8, 'expected at least 8 characters').default('ficus-orders-local'),
  ORDERS_DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
  ORDERS_PROVISION_ON_START: bool.default(true),
  ...serviceAuthEnv,
});

export interface OrdersConfig {
  host: string;
  port: number;
  database: ServiceDbConnection;
  auth: { secrets: string[] };
  provisionOnStart: boolean;
}

export const loadOrdersConfig = (env: NodeJS.ProcessEnv = process.env): Readonly<OrdersConfig> => {
  const e = parseConfig(envSchema, env, 'environment');
  const stack = readStackEnv(env);
  return Object.freeze({
    host: '127.0.0.1',
    port: e.PORT,
    database: Object.freeze({
      host: stack.FICUS_MARIADB_HOST, port: stack.FICUS_MARIADB_PORT, user: e.ORDERS_DB_USER, password: e.ORDERS_DB_PASSWORD,
      database: e.ORDERS_DATABASE, poolMax: e.ORDERS_DB_POOL_MAX,
    }),
    auth: Object.freeze({ secrets: Object.freeze(authSecretsOf(e)) as string[] }),
    provisionOnStart: e.ORDERS_PROVISION_ON_START,
  });
};
