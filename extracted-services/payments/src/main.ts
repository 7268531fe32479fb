import { createLogger, createServiceKnex, runService } from '@ficus/common';
import { loadPaymentsConfig } from './config.ts';
import { createPaymentsApp } from './create-app.ts';
import { applyPaymentsSchema } from './db/apply-payments-schema.ts';
import { provisionPayments } from './provision.ts';

const log = createLogger('payments-service');

await runService({
  name: 'payments service',
  log,
  async start() {
    const config = loadPaymentsConfig();
    if (config.provisionOnStart) await provisionPayments(config);
    const knex = createServiceKnex(config.database);
    const ran = await applyPaymentsSchema(knex);
    if (ran.length) log.info({ schema: ran }, 'schema applied');
    return { app: createPaymentsApp(config, knex, { log }), host: config.host, port: config.port, onStop: () => knex.destroy() };
  },
});
