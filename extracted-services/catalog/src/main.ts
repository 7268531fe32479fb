import { createLogger, createServiceKnex, runService } from '@ficus/common';
import { loadCatalogConfig } from './config.ts';
import { createCatalogApp } from './create-app.ts';
import { migrateCatalog } from './db/migrate-catalog.ts';
import { provisionCatalog } from './provision.ts';

const log = createLogger('catalog-service');

await runService({
  name: 'catalog service',
  log,
  async start() {
    const config = loadCatalogConfig();
    if (config.provisionOnStart) await provisionCatalog(config);
    const knex = createServiceKnex(config.database);
    const ran = await migrateCatalog(knex);
    if (ran.length) log.info({ migrations: ran }, 'migrated');
    return { app: createCatalogApp(config, knex, { log }), host: config.host, port: config.port, onStop: () => knex.destroy() };
  },
});
