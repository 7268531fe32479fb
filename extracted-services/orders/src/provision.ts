import { createLogger, provisionServiceDatabase, readStackEnv, withRootConnection } from '@ficus/common';
import { loadOrdersConfig, type OrdersConfig } from './config.ts';

/**
 * Creates the orders database and its own MariaDB user (every privilege on that database,
 * nothing else). Idempotent. Run once per deployment: `node extracted-services/orders/src/provision.ts`.
 */
export const provisionOrders = async (config: Pick<OrdersConfig, 'database'>, env: NodeJS.ProcessEnv = process.env): Promise<void> => {
  const { database, user, password } = config.database;
  await withRootConnection(readStackEnv(env), (admin) => provisionServiceDatabase(admin, { database, user, password }));
};

if (import.meta.main) {
  const config = loadOrdersConfig();
  await provisionOrders(config);
  createLogger('orders-service').info({ database: config.database.database, user: config.database.user }, 'provisioned');
}
