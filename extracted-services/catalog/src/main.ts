import { createLogger, createServiceKnex, runService } from '@ficus/common';
import { loadCatalogConfig } from './config.ts';
import { createCatalogApp } from './create-app.ts';
import { applyCatalogSchema } from './db/apply-catalog-schema.ts';
import { provisionCatalog } from './provision.ts';

const log = createLogger('catalog-service');

await runService({
  name: 'catalog service',
  log,
  async start() {
    const config = loadCatalogConfig();
    if (config.provisionOnStart) await provisionCatalog(config);
    const knex = createServiceKnex(config.database);
    const ran = await applyCatalogSchema(knex);
    if (ran.length) log.info({ schema: ran }, 'schema applied');
    return { app: createCatalogApp(config, knex, { log }), host: config.host, port: config.port, onStop: () => knex.destroy() };
  },
});
