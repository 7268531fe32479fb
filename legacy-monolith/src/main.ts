import knexFactory from 'knex';
import { createLogger, isFicusError, onStopSignal } from '@ficus/common';
import { loadConfig } from './config.ts';
import { createApp } from './create-app.ts';
import { provisionLegacy } from './db/provision-legacy.ts';
import { assertLegacyProvisioned } from './db/legacy-login.ts';
import { startProcessTracing, withSqlTraceComments } from '@ficus/common/tracing';

const log = createLogger('legacy-monolith');

try {
  const config = loadConfig();
  const tracing = startProcessTracing(process.env, 'legacy-monolith', log);
  const { poolMax, ...connection } = config.database;
  // its own MariaDB user (decision 0018): database, schema, user and grants as root here in local dev, once per release otherwise
  if (config.provisionOnStart) {
    const ran = await provisionLegacy(config.stack, { database: connection.database, login: { user: connection.user, password: connection.password } });
    log.info({ user: connection.user, schema: ran }, 'provisioned');
  }
  // knex's own warnings go to the log as one line (a refused connection is reported below with its code)
  const line = (m: unknown) => String(m).split('\n')[0]!;
  const knexLog = { warn: (m: unknown) => log.warn(line(m)), error: (m: unknown) => log.error(line(m)), debug: () => {}, deprecate: (m: unknown) => log.warn(line(m)) };
  // writes in a sampled span carry its traceparent into the binlog (the CDC's apply spans join the trace)
  const knex = knexFactory({ client: 'mysql2', connection: { ...connection, timezone: 'Z' }, pool: withSqlTraceComments({ min: 0, max: poolMax }), log: knexLog });
  await assertLegacyProvisioned(knex, connection);
  const server = createApp(config, knex, { log }).listen(config.port, config.host, () => {
    log.info({ host: config.host, port: config.port, database: config.database.database }, 'legacy monolith listening');
  });
  onStopSignal(() => server.close(() => { void knex.destroy().then(() => tracing.stop()).then(() => process.exit(0)); }));
} catch (e) {
  if (isFicusError(e)) log.fatal({ code: e.code }, e.message);
  else log.fatal({ err: e }, 'failed to start');
  process.exit(1);
}
