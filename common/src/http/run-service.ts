import type { Server } from 'node:http';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { isFicusError } from '../errors/ficus-error.ts';
import { onStopSignal } from '../process/on-stop-signal.ts';
import { startProcessTracing } from '../tracing/process-tracing.ts';

/**
 * Starts a service's app on `host:port` and stops it cleanly on SIGTERM/SIGINT (stop accepting,
 * finish in-flight requests, then `onStop` e.g. close the pool, then flush the spans). Tracing starts
 * first, from the environment (`FICUS_TRACING`, named after `name`: `orders service` → `orders-service`). Start failures are logged with
 * their code and end the process with status 1.
 */
export const runService = async (opts: {
  name: string;
  log: Logger;
  start: () => Promise<{ app: Express; host: string; port: number; onStop?: () => Promise<void> }>;
}): Promise<Server | undefined> => {
  const { log } = opts;
  try {
    // before the app is built, so its middleware and knex pool find tracing on (FICUS_TRACING)
    const tracing = startProcessTracing(process.env, opts.name.replace(/\s+/g, '-'), log);
    const { app, host, port, onStop } = await opts.start();
    const server = app.listen(port, host);
    await new Promise<void>((resolve, reject) => { server.once('listening', resolve); server.once('error', reject); });
    log.info({ host, port }, `${opts.name} listening`);
    onStopSignal((signal) => {
      log.info({ signal }, 'shutting down');
      server.close(() => { void (onStop?.() ?? Promise.resolve()).then(() => tracing.stop()).finally(() => process.exit(0)); });
      server.closeIdleConnections();
    });
    return server;
  } catch (e) {
    if (isFicusError(e)) log.fatal({ code: e.code }, e.message);
    else log.fatal({ err: e }, 'failed to start');
    process.exitCode = 1;
    return undefined;
  }
};
