import { createLogger, createServiceKnex, runService } from '@ficus/common';
import { loadPaymentsConfig } from './config.ts';
import { createPaymentsApp } from './create-app.ts';
import { migratePayments } from './db/migrate-payments.ts';
import { provisionPayments } from './provision.ts';

const log = createLogger('payments-service');

await runService({
  name: 'payments service',
  log,
  async start() {
    const config = loadPaymentsConfig();
    if (config.provisionOnStart) await provisionPayments(config);
    const knex = createServiceKnex(config.database);
    const ran = await migratePayments(knex);
    if (ran.length) log.info({ migrations: ran }, 'migrated');
    return { app: createPaymentsApp(config, knex, { log }), host: config.host, port: config.port, onStop: () => knex.destroy() };
  },
});
