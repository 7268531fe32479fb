import { z } from 'zod';
import { parseConfig, readServiceBaseConfig, type ServiceBaseConfig } from '@ficus/common';
import { paymentsDefaultPort } from './api/payments-api.ts';

const rate = z.coerce.number().min(0).max(1);

const envSchema = z.object({
  /** Share of authorizations the simulated gateway declines. Example: `PAYMENTS_GATEWAY_DECLINE_RATE=0.1`. */
  PAYMENTS_GATEWAY_DECLINE_RATE: rate.default(0),
  /** Delay of every simulated gateway call, ms. */
  PAYMENTS_GATEWAY_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  /** Share of simulated gateway calls that fail like a timeout (502 GATEWAY_UNAVAILABLE, retriable). */
  PAYMENTS_GATEWAY_FAILURE_RATE: rate.default(0),
});

export interface PaymentsConfig extends ServiceBaseConfig {
  gateway: { declineRate: number; latencyMs: number; failureRate: number };
}

export const loadPaymentsConfig = (env: NodeJS.ProcessEnv = process.env): Readonly<PaymentsConfig> => {
  const e = parseConfig(envSchema, env, 'environment');
  return Object.freeze({
    ...readServiceBaseConfig(env, 'PAYMENTS', { port: paymentsDefaultPort, database: 'svc_payments' }),
    gateway: Object.freeze({ declineRate: e.PAYMENTS_GATEWAY_DECLINE_RATE, latencyMs: e.PAYMENTS_GATEWAY_LATENCY_MS, failureRate: e.PAYMENTS_GATEWAY_FAILURE_RATE }),
  });
};
