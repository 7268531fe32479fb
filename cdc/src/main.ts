import { createServer } from 'node:http';
import { createLogger, isFicusError, readListenHost } from '@ficus/common';
import { loadCdcConfig } from './config.ts';
import { defaultTopology } from './pipelines/pipelines.ts';
import { connectAll, startPipelines } from './pipelines/cdc-runtime.ts';

const log = createLogger('cdc');
try {
  const config = loadCdcConfig();
  const topology = defaultTopology(config.databases);
  await connectAll(topology, config.stack, config.debezium, log);
  const running = await startPipelines(topology, config.stack, log);
  // /metrics (Prometheus) and /health on loopback
  const server = createServer(async (req, res) => {
    if (req.url === '/metrics') { res.setHeader('content-type', running.metrics.registry.contentType); res.end(await running.metrics.registry.metrics()); return; }
    if (req.url === '/health' || req.url === '/ready') { res.setHeader('content-type', 'application/json'); res.end('{"status":"ok"}'); return; }
    res.statusCode = 404; res.end();
  }).listen(config.metricsPort, readListenHost(), () => log.info({ port: config.metricsPort }, 'cdc appliers running'));
  const stop = async () => { server.close(); await running.stop(); process.exit(0); };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
} catch (e) {
  if (isFicusError(e)) log.fatal({ code: e.code }, e.message);
  else log.fatal({ err: e }, 'cdc failed to start');
  process.exit(1);
}
