import { Client, Connection } from '@temporalio/client';
import { createLogger, createServiceClient, createServiceKnex, runService } from '@ficus/common';
import { createTemporalCheckoutSaga, sagaClientInterceptors } from '@ficus/workflows/saga-client';
import { loadOrdersConfig } from './config.ts';
import { createOrdersApp } from './create-app.ts';
import { applyOrdersSchema } from './db/apply-orders-schema.ts';
import { provisionOrders } from './provision.ts';
import { createLegacyCartClient } from './checkout/legacy-cart-client.ts';

const log = createLogger('orders-service');

await runService({
  name: 'orders service',
  log,
  async start() {
    const config = loadOrdersConfig();
    if (config.provisionOnStart) await provisionOrders(config);
    const knex = createServiceKnex(config.database);
    const ran = await applyOrdersSchema(knex);
    if (ran.length) log.info({ schema: ran }, 'schema applied');
    const c = config.checkout;
    // Checkout's sagas run on Temporal (workflows/); this service only starts them and reads their outcome.
    const temporal = c.enabled ? await Connection.connect({ address: c.temporalAddress }) : undefined;
    const [authSecret = ''] = config.auth.secrets;
    const inventory = createServiceClient({ service: 'inventory', baseUrl: c.inventoryUrl, authSecret, timeoutMs: c.inventoryTimeoutMs });
    const saga = temporal && createTemporalCheckoutSaga(new Client({ connection: temporal, namespace: c.temporalNamespace, interceptors: sagaClientInterceptors() }), c.taskQueue, { inventory });
    const checkout = saga && {
      saga,
      cart: createLegacyCartClient({ baseUrl: c.legacyUrl, timeoutMs: c.legacyTimeoutMs }),
      waitMs: c.waitMs,
      followMs: c.followMs,
    };
    return {
      app: createOrdersApp(config, knex, { log, ...(checkout ? { checkout } : {}) }), host: config.host, port: config.port,
      onStop: async () => { saga?.close(); await temporal?.close(); await knex.destroy(); },
    };
  },
});
