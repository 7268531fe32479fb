import { z } from 'zod';
import { assertSafeForProduction, devDebeziumPassword, parseConfig, portSchema, productionSettings, readStackEnv, type StackEnv } from '@ficus/common';

const envSchema = z.object({
  CDC_METRICS_PORT: portSchema.default(3201),
  FICUS_DEBEZIUM_USER: z.string().min(1).default('debezium'),
  FICUS_DEBEZIUM_PASSWORD: z.string().min(1).default(devDebeziumPassword),
  CDC_LEGACY_DATABASE: z.string().regex(/^\w+$/).default('legacy'),
  CDC_CATALOG_DATABASE: z.string().regex(/^\w+$/).default('svc_catalog'),
  CDC_INVENTORY_DATABASE: z.string().regex(/^\w+$/).default('svc_inventory'),
  CDC_ORDERS_DATABASE: z.string().regex(/^\w+$/).default('svc_orders'),
});

export interface CdcConfig {
  metricsPort: number;
  debezium: { user: string; password: string };
  databases: { legacy: string; catalog: string; inventory: string; orders: string };
  stack: StackEnv;
}

export const loadCdcConfig = (env: NodeJS.ProcessEnv = process.env): Readonly<CdcConfig> => {
  const e = parseConfig(envSchema, env, 'environment');
  // the appliers connect as root; the metrics and positions server listens on FICUS_LISTEN_HOST
  assertSafeForProduction(env, [productionSettings.mariadbRootPassword, productionSettings.debeziumPassword, productionSettings.listenHost]);
  return Object.freeze({
    metricsPort: e.CDC_METRICS_PORT,
    debezium: { user: e.FICUS_DEBEZIUM_USER, password: e.FICUS_DEBEZIUM_PASSWORD },
    databases: { legacy: e.CDC_LEGACY_DATABASE, catalog: e.CDC_CATALOG_DATABASE, inventory: e.CDC_INVENTORY_DATABASE, orders: e.CDC_ORDERS_DATABASE },
    stack: readStackEnv(env),
  });
};
