import { createServer } from 'node:http';
import { createLogger, isFicusError, onStopSignal, readListenHost } from '@ficus/common';
import { startProcessTracing } from '@ficus/common/tracing';
import { loadCdcConfig } from './config.ts';
import { openCdcControl } from './control/directions-store.ts';
import { startSupervisedPipelines } from './control/cdc-supervisor.ts';
import { createPositionChecker } from './positions/position-checker.ts';
import { handlePositionRequest } from './positions/positions-http.ts';
import { provisionCdc } from './provision/provision-cdc.ts';

const log = createLogger('cdc');
try {
  const config = loadCdcConfig();
  // a change whose write was traced gets a `cdc apply <table>` span in the write's trace
  const tracing = startProcessTracing(process.env, 'cdc', log);
  // local dev: the control database, the CDC's schema, its user and grants, as root (decision 0018)
  if (config.provisionOnStart) {
    const schema = await provisionCdc(config.stack, { login: config.login, debeziumUser: config.debezium.user, databases: config.databases, control: config.controlDatabase });
    log.info({ user: config.login.user, schema }, 'cdc provisioned');
  }
  // from here on, only the CDC's own user (config.login)
  // the directions (forward, reverse, both) per domain come from the control table; the migration
  // workflows change them at a write cutover (createCdcSyncControl)
  const control = await openCdcControl(config.stack, config.login, config.controlDatabase);
  const running = await startSupervisedPipelines({ stack: config.stack, databases: config.databases, debezium: config.debezium, login: config.login, control, log });
  const positions = createPositionChecker({ stack: config.stack, login: config.login, control: config.controlDatabase, topology: running.topology });
  // /metrics (Prometheus), /health and /positions (has position X been applied?) on loopback
  const server = createServer(async (req, res) => {
    if (await handlePositionRequest(positions, req, res)) return;
    if (req.url === '/metrics') { res.setHeader('content-type', running.metrics.registry.contentType); res.end(await running.metrics.registry.metrics()); return; }
    if (req.url === '/health' || req.url === '/ready') { res.setHeader('content-type', 'application/json'); res.end('{"status":"ok"}'); return; }
    res.statusCode = 404; res.end();
  }).listen(config.metricsPort, readListenHost(), () => log.info({ port: config.metricsPort }, 'cdc appliers running'));
  onStopSignal(() => {
    server.close();
    void running.stop().then(() => positions.close()).then(() => control.destroy()).then(() => tracing.stop()).finally(() => process.exit(0));
  });
} catch (e) {
  if (isFicusError(e)) log.fatal({ code: e.code }, e.message);
  else log.fatal({ err: e }, 'cdc failed to start');
  process.exit(1);
}
