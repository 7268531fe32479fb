import { createLogger, provisionServiceDatabase, readStackEnv, withRootConnection } from '@ficus/common';
import { loadInventoryConfig, type InventoryConfig } from './config.ts';

/**
 * Creates the inventory database and its own MariaDB user (every privilege on that database,
 * nothing else). Idempotent. Run once per deployment: `node extracted-services/inventory/src/provision.ts`.
 */
export const provisionInventory = async (config: Pick<InventoryConfig, 'database'>, env: NodeJS.ProcessEnv = process.env): Promise<void> => {
  const { database, user, password } = config.database;
  await withRootConnection(readStackEnv(env), (admin) => provisionServiceDatabase(admin, { database, user, password }));
};

if (import.meta.main) {
  const config = loadInventoryConfig();
  await provisionInventory(config);
  createLogger('inventory-service').info({ database: config.database.database, user: config.database.user }, 'provisioned');
}
