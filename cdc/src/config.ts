import { z } from 'zod';
import { assertSafeForProduction, devCdcDbPassword, devDebeziumPassword, envBoolean, parseConfig, portSchema, productionSettings, readStackEnv, type StackEnv } from '@ficus/common';
import type { CdcLogin } from './provision/cdc-login.ts';

const dbName = z.string().regex(/^\w{1,64}$/, 'a MariaDB name (letters, digits, _)');

const envSchema = z.object({
  CDC_METRICS_PORT: portSchema.default(3201),
  FICUS_DEBEZIUM_USER: z.string().min(1).default('debezium'),
  FICUS_DEBEZIUM_PASSWORD: z.string().min(1).default(devDebeziumPassword),
  FICUS_CDC_DB_USER: dbName.default('ficus_cdc'),
  FICUS_CDC_DB_PASSWORD: z.string().min(8, 'expected at least 8 characters').default(devCdcDbPassword),
  CDC_PROVISION_ON_START: envBoolean.default(true),
  CDC_CONTROL_DATABASE: dbName.default('ficus_cdc'),
  CDC_LEGACY_DATABASE: dbName.default('legacy'),
  CDC_CATALOG_DATABASE: dbName.default('svc_catalog'),
  CDC_INVENTORY_DATABASE: dbName.default('svc_inventory'),
  CDC_ORDERS_DATABASE: dbName.default('svc_orders'),
});

export interface CdcConfig {
  metricsPort: number;
  debezium: { user: string; password: string };
  /** The appliers' own MariaDB user (`FICUS_CDC_DB_USER`, `FICUS_CDC_DB_PASSWORD`). */
  login: CdcLogin;
  /** Provision (as root) before starting: local dev. Deployments provision once (`node cdc/src/provision.ts`) and set `CDC_PROVISION_ON_START=false`. */
  provisionOnStart: boolean;
  /** The control database (`CDC_CONTROL_DATABASE`, default `ficus_cdc`). */
  controlDatabase: string;
  databases: { legacy: string; catalog: string; inventory: string; orders: string };
  stack: StackEnv;
}

export const loadCdcConfig = (env: NodeJS.ProcessEnv = process.env): Readonly<CdcConfig> => {
  const e = parseConfig(envSchema, env, 'environment');
  // the appliers connect as their own user; only provisioning connects as root. The metrics and
  // positions server listens on FICUS_LISTEN_HOST
  const root = productionSettings.mariadbRootPassword;
  assertSafeForProduction(env, [
    productionSettings.cdcDbPassword, productionSettings.debeziumPassword, productionSettings.listenHost,
    ...(e.CDC_PROVISION_ON_START ? [{ ...root, fix: `${root.fix}, or provision once and set CDC_PROVISION_ON_START=false` }] : []),
  ]);
  return Object.freeze({
    metricsPort: e.CDC_METRICS_PORT,
    debezium: { user: e.FICUS_DEBEZIUM_USER, password: e.FICUS_DEBEZIUM_PASSWORD },
    login: { user: e.FICUS_CDC_DB_USER, password: e.FICUS_CDC_DB_PASSWORD },
    provisionOnStart: e.CDC_PROVISION_ON_START,
    controlDatabase: e.CDC_CONTROL_DATABASE,
    databases: { legacy: e.CDC_LEGACY_DATABASE, catalog: e.CDC_CATALOG_DATABASE, inventory: e.CDC_INVENTORY_DATABASE, orders: e.CDC_ORDERS_DATABASE },
    stack: readStackEnv(env),
  });
};
