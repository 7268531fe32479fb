import { createLogger, createServiceKnex, runService } from '@ficus/common';
import { loadInventoryConfig } from './config.ts';
import { createInventoryApp } from './create-app.ts';
import { applyInventorySchema } from './db/apply-inventory-schema.ts';
import { provisionInventory } from './provision.ts';

const log = createLogger('inventory-service');

await runService({
  name: 'inventory service',
  log,
  async start() {
    const config = loadInventoryConfig();
    if (config.provisionOnStart) await provisionInventory(config);
    const knex = createServiceKnex(config.database);
    const ran = await applyInventorySchema(knex);
    if (ran.length) log.info({ schema: ran }, 'schema applied');
    const app = createInventoryApp(config, knex, { log });
    // Several instances may sweep at once: each expiry locks its reservation row and re-checks it.
    const sweeper = setInterval(() => {
      app.inventory.expireDue().then((n) => { if (n) log.info({ expired: n }, 'reservations expired'); },
        (e: unknown) => log.warn({ err: e }, 'reservation expiry failed'));
    }, config.reservation.sweepMs);
    sweeper.unref();
    return { app, host: config.host, port: config.port, onStop: async () => { clearInterval(sweeper); await knex.destroy(); } };
  },
});
