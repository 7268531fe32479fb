import type { Express } from 'express';
import type { Knex } from 'knex';
import { createHttpMetrics, createLogger, createServiceApp, type Logger } from '@ficus/common';
import type { CatalogConfig } from './config.ts';
import type { StockPort } from './stock/stock-reader-type.ts';
import { createHttpStockPort } from './stock/http-stock-port.ts';
import { createCatalogUnitOfWork, createProductStore } from './products/product-store.ts';
import { createProductService } from './products/product-service.ts';
import { createProductController } from './products/product-controller.ts';

export interface CatalogAppOverrides {
  stock?: StockPort;
  clock?: () => Date;
  log?: Logger;
}

/** The composition root of the catalog service for one knex pool. */
export const createCatalogApp = (config: Pick<CatalogConfig, 'inventory' | 'auth'>, knex: Knex, overrides: CatalogAppOverrides = {}): Express => {
  const log = overrides.log ?? createLogger('catalog-service');
  const clock = overrides.clock ?? (() => new Date());
  const [authSecret = ''] = config.auth.secrets;
  const stock = overrides.stock ?? createHttpStockPort({ ...config.inventory, authSecret });
  const products = createProductService({ store: createProductStore(knex), uow: createCatalogUnitOfWork(knex), stock, clock });
  return createServiceApp({
    log, knex, metrics: createHttpMetrics('catalog'), authSecrets: config.auth.secrets,
    routers: [createProductController(products)],
    clock: () => clock().getTime(),
  });
};
