import knexFactory from 'knex';
import { createLogger, isFicusError, onStopSignal } from '@ficus/common';
import { loadConfig } from './config.ts';
import { createApp } from './create-app.ts';
import { applyLegacySchema } from './db/apply-legacy-schema.ts';
import { startProcessTracing } from '@ficus/common/tracing';

const log = createLogger('legacy-monolith');

try {
  const config = loadConfig();
  const tracing = startProcessTracing(process.env, 'legacy-monolith', log);
  const { poolMax, ...connection } = config.database;
  const knex = knexFactory({ client: 'mysql2', connection: { ...connection, timezone: 'Z' }, pool: { min: 0, max: poolMax } });
  const ran = await applyLegacySchema(knex);
  if (ran.length) log.info({ schema: ran }, 'schema applied');
  const server = createApp(config, knex, { log }).listen(config.port, config.host, () => {
    log.info({ host: config.host, port: config.port, database: config.database.database }, 'legacy monolith listening');
  });
  onStopSignal(() => server.close(() => { void knex.destroy().then(() => tracing.stop()).then(() => process.exit(0)); }));
} catch (e) {
  if (isFicusError(e)) log.fatal({ code: e.code }, e.message);
  else log.fatal({ err: e }, 'failed to start');
  process.exit(1);
}
