import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { devMigratorDbPassword, envBoolean, parseConfig, portSchema, productionSettings, readStackEnv, type StackEnv } from '@ficus/common';
import { readProxyConfig } from '@ficus/strangler-proxy';
import { migrationTaskQueue } from './migration-types.ts';
import type { MigratorLogin } from './provision/migrator-login.ts';

/** Where the migration declarations live: the checkout's top-level `migrations/`, one JSON file per migration. */
export const defaultMigrationsDirectory = fileURLToPath(new URL('../../../migrations', import.meta.url));

const envSchema = z.object({
  /** Task queue of the migration worker. Example: `FICUS_MIGRATION_TASK_QUEUE=ficus-migrations`. */
  FICUS_MIGRATION_TASK_QUEUE: z.string().regex(/^[\w.:-]{1,200}$/).default(migrationTaskQueue),
  /** Database (on the stack's MariaDB) holding the audit log and backfill positions; created if missing. */
  FICUS_MIGRATION_STATE_DATABASE: z.string().regex(/^\w{1,64}$/).default('ficus_migrations'),
  /** The worker's own MariaDB user (decision 0018); its grants come from `node workflows/src/migration/provision.ts`. */
  FICUS_MIGRATION_DB_USER: z.string().regex(/^\w{1,64}$/, 'a MariaDB name (letters, digits, _)').default('ficus_migrator'),
  FICUS_MIGRATION_DB_PASSWORD: z.string().min(8, 'expected at least 8 characters').default(devMigratorDbPassword),
  /** Provision (as root) before starting: local dev. Deployments provision once and set it false. */
  FICUS_MIGRATION_PROVISION_ON_START: envBoolean.default(true),
  /** The folder of migration declarations (`<name>.json`). Example: `FICUS_MIGRATIONS_DIR=/srv/ficus/migrations`. */
  FICUS_MIGRATIONS_DIR: z.string().min(1).default(defaultMigrationsDirectory),
  /** The proxy's admin API (gates read its /metrics). */
  FICUS_PROXY_ADMIN_URL: z.url().default('http://127.0.0.1:8081'),
  /** The migration worker's own admin API (migrations, audit, page); 0 = off. */
  FICUS_MIGRATION_ADMIN_PORT: portSchema.or(z.literal('0').transform(() => 0)).default(8082),
  FICUS_MIGRATION_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
});

export interface MigrationWorkerConfig {
  stack: StackEnv;
  taskQueue: string;
  stateDatabase: string;
  /** The worker's own MariaDB user (`FICUS_MIGRATION_DB_USER`, `FICUS_MIGRATION_DB_PASSWORD`). */
  login: MigratorLogin;
  /** Provision the worker's database user and state schema as root before starting (`FICUS_MIGRATION_PROVISION_ON_START`). */
  provisionOnStart: boolean;
  migrationsDir: string;
  proxyAdmin: { url: string; token: string };
  /** The proxy's route table file (configs are checked against it). */
  routesFile: string;
  targets: Readonly<Record<string, string>>;
  unleash: { url: string; adminToken: string };
  adminPort: number;
  shutdownGraceMs: number;
}

/**
 * Read once at start; a bad value stops the worker with CONFIG_INVALID naming the variable, a public
 * default with `FICUS_ENV=production` with CONFIG_UNSAFE_FOR_PRODUCTION (its admin API listens on
 * loopback only).
 */
export const loadMigrationWorkerConfig = (env: NodeJS.ProcessEnv = process.env): Readonly<MigrationWorkerConfig> => {
  const e = parseConfig(envSchema, env, 'environment');
  // the worker connects as its own user; only provisioning at start connects as root
  const root = productionSettings.mariadbRootPassword;
  const proxy = readProxyConfig(env, [productionSettings.proxyAdminToken, productionSettings.unleashAdminToken, productionSettings.migratorDbPassword,
    ...(e.FICUS_MIGRATION_PROVISION_ON_START ? [{ ...root, fix: `${root.fix}, or provision once (node workflows/src/migration/provision.ts) and set FICUS_MIGRATION_PROVISION_ON_START=false` }] : [])]);
  return Object.freeze({
    stack: readStackEnv(env),
    taskQueue: e.FICUS_MIGRATION_TASK_QUEUE,
    stateDatabase: e.FICUS_MIGRATION_STATE_DATABASE,
    login: { user: e.FICUS_MIGRATION_DB_USER, password: e.FICUS_MIGRATION_DB_PASSWORD },
    provisionOnStart: e.FICUS_MIGRATION_PROVISION_ON_START,
    migrationsDir: e.FICUS_MIGRATIONS_DIR,
    proxyAdmin: { url: e.FICUS_PROXY_ADMIN_URL, token: proxy.adminToken },
    routesFile: proxy.routesFile,
    targets: proxy.targets,
    unleash: { url: proxy.unleash.url, adminToken: proxy.unleash.adminToken },
    adminPort: e.FICUS_MIGRATION_ADMIN_PORT,
    shutdownGraceMs: e.FICUS_MIGRATION_SHUTDOWN_GRACE_MS,
  });
};
