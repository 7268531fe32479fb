import { z } from 'zod';
import { authSecretsOf, parseConfig, portSchema, readStackEnv, serviceAuthEnv, type ServiceDbConnection, readListenHost } from '@ficus/common';
import { paymentsDefaultPort } from './api/payments-api.ts';

const dbName = z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'a MariaDB name (letters, digits, _)');
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const rate = z.coerce.number().min(0).max(1);

const envSchema = z.object({
  PORT: portSchema.default(paymentsDefaultPort),
  PAYMENTS_DATABASE: dbName.default('svc_payments'),
  PAYMENTS_DB_USER: dbName.default('svc_payments'),
  PAYMENTS_DB_PASSWORD: z.string().min(8, 'expected at least 8 characters').default('ficus-payments-local'),
  PAYMENTS_DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
  /** Share of authorizations the simulated gateway declines. Example: `PAYMENTS_GATEWAY_DECLINE_RATE=0.1`. */
  PAYMENTS_GATEWAY_DECLINE_RATE: rate.default(0),
  /** Delay of every simulated gateway call, ms. */
  PAYMENTS_GATEWAY_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  /** Share of simulated gateway calls that fail like a timeout (502 GATEWAY_UNAVAILABLE, retriable). */
  PAYMENTS_GATEWAY_FAILURE_RATE: rate.default(0),
  PAYMENTS_PROVISION_ON_START: bool.default(true),
  ...serviceAuthEnv,
});

export interface PaymentsConfig {
  host: string;
  port: number;
  database: ServiceDbConnection;
  gateway: { declineRate: number; latencyMs: number; failureRate: number };
  auth: { secrets: string[] };
  provisionOnStart: boolean;
}

export const loadPaymentsConfig = (env: NodeJS.ProcessEnv = process.env): Readonly<PaymentsConfig> => {
  const e = parseConfig(envSchema, env, 'environment');
  const stack = readStackEnv(env);
  return Object.freeze({
    host: readListenHost(env),
    port: e.PORT,
    database: Object.freeze({
      host: stack.FICUS_MARIADB_HOST, port: stack.FICUS_MARIADB_PORT, user: e.PAYMENTS_DB_USER, password: e.PAYMENTS_DB_PASSWORD,
      database: e.PAYMENTS_DATABASE, poolMax: e.PAYMENTS_DB_POOL_MAX,
    }),
    gateway: Object.freeze({ declineRate: e.PAYMENTS_GATEWAY_DECLINE_RATE, latencyMs: e.PAYMENTS_GATEWAY_LATENCY_MS, failureRate: e.PAYMENTS_GATEWAY_FAILURE_RATE }),
    auth: Object.freeze({ secrets: Object.freeze(authSecretsOf(e)) as string[] }),
    provisionOnStart: e.PAYMENTS_PROVISION_ON_START,
  });
};
