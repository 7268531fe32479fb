import { createLogger, createServiceKnex, runService } from '@ficus/common';
import { loadOrdersConfig } from './config.ts';
import { createOrdersApp } from './create-app.ts';
import { migrateOrders } from './db/migrate-orders.ts';
import { provisionOrders } from './provision.ts';

const log = createLogger('orders-service');

await runService({
  name: 'orders service',
  log,
  async start() {
    const config = loadOrdersConfig();
    if (config.provisionOnStart) await provisionOrders(config);
    const knex = createServiceKnex(config.database);
    const ran = await migrateOrders(knex);
    if (ran.length) log.info({ migrations: ran }, 'migrated');
    return { app: createOrdersApp(config, knex, { log }), host: config.host, port: config.port, onStop: () => knex.destroy() };
  },
});
