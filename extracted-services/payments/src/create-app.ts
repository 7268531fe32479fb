import type { Express } from 'express';
import type { Knex } from 'knex';
import { createHttpMetrics, createLogger, createServiceApp, type Logger } from '@ficus/common';
import type { PaymentsConfig } from './config.ts';
import type { PaymentGateway } from './gateway/payment-gateway.ts';
import { createSimulatedGateway } from './gateway/simulated-gateway.ts';
import { createIntentStore, createPaymentsUnitOfWork } from './intents/intent-store.ts';
import { createIntentService } from './intents/intent-service.ts';
import { createIntentController } from './intents/intent-controller.ts';

export interface PaymentsAppOverrides {
  gateway?: PaymentGateway;
  clock?: () => Date;
  log?: Logger;
}

/** The composition root of the payments service. */
export const createPaymentsApp = (config: Pick<PaymentsConfig, 'gateway' | 'auth'>, knex: Knex, overrides: PaymentsAppOverrides = {}): Express => {
  const log = overrides.log ?? createLogger('payments-service');
  const clock = overrides.clock ?? (() => new Date());
  const gateway = overrides.gateway ?? createSimulatedGateway(config.gateway);
  const intents = createIntentService({ store: createIntentStore(knex), uow: createPaymentsUnitOfWork(knex), gateway, clock });
  return createServiceApp({
    log, knex, metrics: createHttpMetrics('payments'), authSecrets: config.auth.secrets,
    routers: [createIntentController(intents)], clock: () => clock().getTime(),
  });
};
