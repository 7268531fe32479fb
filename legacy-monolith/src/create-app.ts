import express, { type Express } from 'express';
import cookieParser from 'cookie-parser';
import type { Knex } from 'knex';
import { createLogger, expressErrorHandler, notFoundHandler, type Logger } from '@ficus/common';
import { traceKnex, traceRequests } from '@ficus/common/tracing';
import type { LegacyConfig } from './config.ts';
import type { PaymentGateway } from './orders/payment-gateway.ts';
import { createKnexStores, createKnexUnitOfWork } from './db/knex-stores.ts';
import { requestId } from './http/request-id.ts';
import { accessLog } from './http/access-log.ts';
import { createOpsController } from './http/ops-controller.ts';
import { buildOpenApiDocument } from './contract/openapi-document.ts';
import { createScryptHasher, type PasswordHasher } from './users/password-hasher.ts';
import { createUserService } from './users/user-service.ts';
import { createUserController } from './users/user-controller.ts';
import { sessionMiddleware } from './users/session-middleware.ts';
import { createCatalogService } from './catalog/catalog-service.ts';
import { createCatalogController } from './catalog/catalog-controller.ts';
import { createInventoryService } from './inventory/inventory-service.ts';
import { createInventoryController } from './inventory/inventory-controller.ts';
import { createCartService } from './cart/cart-service.ts';
import { createCartController } from './cart/cart-controller.ts';
import { createOrderService } from './orders/order-service.ts';
import { createOrderController } from './orders/order-controller.ts';
import { createSimulatedPaymentGateway } from './orders/simulated-payment-gateway.ts';

export interface AppOverrides {
  gateway?: PaymentGateway;
  hasher?: PasswordHasher;
  clock?: () => Date;
  log?: Logger;
}

/** The composition root: wires stores, services and controllers for one knex pool. */
export const createApp = (config: Pick<LegacyConfig, 'gateway' | 'sessionTtlHours'>, knex: Knex, overrides: AppOverrides = {}): Express => {
  const log = overrides.log ?? createLogger('legacy-monolith');
  const clock = overrides.clock ?? (() => new Date());
  const stores = createKnexStores(knex);
  const uow = createKnexUnitOfWork(knex);
  const gateway = overrides.gateway ?? createSimulatedPaymentGateway(config.gateway);
  const hasher = overrides.hasher ?? createScryptHasher();

  const users = createUserService({ stores, uow, hasher, clock, sessionTtlHours: config.sessionTtlHours });
  const catalog = createCatalogService({ stores, uow, clock });
  const inventory = createInventoryService({ stores, uow, clock });
  const carts = createCartService({ stores, clock });
  const orders = createOrderService({ stores, uow, gateway, clock });

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(requestId());
  app.use(traceRequests()); // with tracing on (docs/components/tracing.md): a server span, and the pool's queries
  traceKnex(knex, 'legacy');
  app.use(accessLog(log));
  app.use(express.json({ limit: '100kb' }));
  app.use(cookieParser());
  app.use(createOpsController(knex, buildOpenApiDocument()));
  app.use(sessionMiddleware(users));
  app.use(createUserController(users, config.sessionTtlHours));
  app.use(createCatalogController(catalog));
  app.use(createInventoryController(inventory));
  app.use(createCartController(carts));
  app.use(createOrderController(orders));
  app.use(notFoundHandler);
  app.use(expressErrorHandler(log));
  return app;
};
