import type { Express } from 'express';
import type { Knex } from 'knex';
import { createHttpMetrics, createLogger, createServiceApp, type Logger } from '@ficus/common';
import type { InventoryConfig } from './config.ts';
import { createInventoryStore, createInventoryUnitOfWork } from './stock/inventory-store.ts';
import { createInventoryService, type InventoryService } from './stock/inventory-service.ts';
import { createInventoryController } from './stock/inventory-controller.ts';

export interface InventoryAppOverrides {
  clock?: () => Date;
  log?: Logger;
}

/** The composition root; also returns the service so `main` can run the expiry sweeper. */
export const createInventoryApp = (config: Pick<InventoryConfig, 'auth'> & { reservation: Pick<InventoryConfig['reservation'], 'defaultTtlSeconds' | 'maxTtlSeconds'> }, knex: Knex, overrides: InventoryAppOverrides = {}): Express & { inventory: InventoryService } => {
  const log = overrides.log ?? createLogger('inventory-service');
  const clock = overrides.clock ?? (() => new Date());
  const inventory = createInventoryService({ store: createInventoryStore(knex), uow: createInventoryUnitOfWork(knex), clock, reservation: config.reservation });
  const app = createServiceApp({
    log, knex, metrics: createHttpMetrics('inventory'), authSecrets: config.auth.secrets,
    routers: [createInventoryController(inventory)], clock: () => clock().getTime(),
  });
  return Object.assign(app, { inventory });
};
