import { createLogger, provisionServiceDatabase, readStackEnv, withRootConnection } from '@ficus/common';
import { loadCatalogConfig, type CatalogConfig } from './config.ts';

/**
 * Creates the catalog database and its own MariaDB user (every privilege on that database, nothing
 * else). Idempotent. Needs the stack's root password (FICUS_MARIADB_ROOT_PASSWORD).
 * Run once per deployment: `node extracted-services/catalog/src/provision.ts`.
 */
export const provisionCatalog = async (config: Pick<CatalogConfig, 'database'>, env: NodeJS.ProcessEnv = process.env): Promise<void> => {
  const { database, user, password } = config.database;
  await withRootConnection(readStackEnv(env), (admin) => provisionServiceDatabase(admin, { database, user, password }));
};

if (import.meta.main) {
  const config = loadCatalogConfig();
  await provisionCatalog(config);
  createLogger('catalog-service').info({ database: config.database.database, user: config.database.user }, 'provisioned');
}
