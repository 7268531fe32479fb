import type { Express, Router } from 'express';
import type { Knex } from 'knex';
import { createHttpMetrics, createLogger, createServiceApp, type Logger } from '@ficus/common';
import type { OrdersConfig } from './config.ts';
import { createOrderStore, createOrdersUnitOfWork } from './orders/order-store.ts';
import { createOrderService } from './orders/order-service.ts';
import { createOrderController } from './orders/order-controller.ts';

export interface OrdersAppOverrides {
  clock?: () => Date;
  log?: Logger;
  /**
   * Routers mounted before the order routes, e.g. the saga issue's checkout (`POST /api/orders`)
   * and cancel, which start Temporal workflows.
   */
  extraRouters?: Router[];
}

/** The composition root of the orders service. */
export const createOrdersApp = (config: Pick<OrdersConfig, 'auth'>, knex: Knex, overrides: OrdersAppOverrides = {}): Express => {
  const log = overrides.log ?? createLogger('orders-service');
  const clock = overrides.clock ?? (() => new Date());
  const orders = createOrderService({ store: createOrderStore(knex), uow: createOrdersUnitOfWork(knex), clock });
  return createServiceApp({
    log, knex, metrics: createHttpMetrics('orders'), authSecrets: config.auth.secrets,
    routers: [...(overrides.extraRouters ?? []), createOrderController(orders)], clock: () => clock().getTime(),
  });
};
