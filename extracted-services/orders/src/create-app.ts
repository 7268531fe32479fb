import type { Express, Router } from 'express';
import type { Knex } from 'knex';
import { createHttpMetrics, createLogger, createServiceApp, type Logger } from '@ficus/common';
import type { OrdersConfig } from './config.ts';
import { createOrderStore, createOrdersUnitOfWork } from './orders/order-store.ts';
import { createOrderService } from './orders/order-service.ts';
import { createOrderController } from './orders/order-controller.ts';
import { createCheckoutController, type CheckoutDeps } from './checkout/checkout-controller.ts';

export interface OrdersAppOverrides {
  clock?: () => Date;
  log?: Logger;
  /**
   * Routers mounted before the order routes, e.g. the saga issue's checkout (`POST /api/orders`)
   * and cancel, which start Temporal workflows.
   */
  extraRouters?: Router[];
  /** Checkout (`POST /api/orders`), its status URL and cancel, run as sagas; without it those routes stay unmounted. */
  checkout?: Omit<CheckoutDeps, 'log'>;
}

/** The composition root of the orders service. */
export const createOrdersApp = (config: Pick<OrdersConfig, 'auth'>, knex: Knex, overrides: OrdersAppOverrides = {}): Express => {
  const log = overrides.log ?? createLogger('orders-service');
  const clock = overrides.clock ?? (() => new Date());
  const store = createOrderStore(knex);
  const orders = createOrderService({ store, uow: createOrdersUnitOfWork(knex), clock });
  const checkout = overrides.checkout ? [createCheckoutController(orders, store, { ...overrides.checkout, log })] : [];
  return createServiceApp({
    log, knex, metrics: createHttpMetrics('orders'), authSecrets: config.auth.secrets,
    routers: [...(overrides.extraRouters ?? []), ...checkout, createOrderController(orders)], clock: () => clock().getTime(),
  });
};
