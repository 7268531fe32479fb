import { createLogger, provisionServiceDatabase, readStackEnv, withRootConnection } from '@ficus/common';
import { loadPaymentsConfig, type PaymentsConfig } from './config.ts';

/**
 * Creates the payments database and its own MariaDB user (every privilege on that database,
 * nothing else). Idempotent. Run once per deployment: `node extracted-services/payments/src/provision.ts`.
 */
export const provisionPayments = async (config: Pick<PaymentsConfig, 'database'>, env: NodeJS.ProcessEnv = process.env): Promise<void> => {
  const { database, user, password } = config.database;
  await withRootConnection(readStackEnv(env), (admin) => provisionServiceDatabase(admin, { database, user, password }));
};

if (import.meta.main) {
  const config = loadPaymentsConfig();
  await provisionPayments(config);
  createLogger('payments-service').info({ database: config.database.database, user: config.database.user }, 'provisioned');
}
