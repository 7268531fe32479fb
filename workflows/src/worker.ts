// The order-saga worker process: `node workflows/src/worker.ts`. SIGTERM/SIGINT drain it: no new
// tasks are polled, running activities get FICUS_SAGA_SHUTDOWN_GRACE_MS to finish, then it exits.
import { createLogger, isFicusError, onStopSignal } from '@ficus/common';
import { loadSagaWorkerConfig } from './config.ts';
import { createSagaWorker } from './create-saga-worker.ts';
import { startProcessTracing } from '@ficus/common/tracing';
import { installWorkerMetrics, workerMetricsAddress } from './worker-metrics.ts';

const log = createLogger('saga-worker');

try {
  const config = loadSagaWorkerConfig();
  // the SDK's worker metrics on /metrics (FICUS_SAGA_METRICS_ADDRESS, default 127.0.0.1:9464; off: none)
  installWorkerMetrics(workerMetricsAddress(process.env, 'FICUS_SAGA_METRICS_ADDRESS', '127.0.0.1:9464'));
  const tracing = startProcessTracing(process.env, 'saga-worker', log);
  const { worker, close } = await createSagaWorker(config, { log });
  onStopSignal((signal) => {
    log.info({ signal }, 'draining: no new tasks, waiting for running activities');
    if (worker.getState() === 'RUNNING') worker.shutdown();
  });
  log.info({ taskQueue: config.taskQueue, temporal: config.temporal.address }, 'saga worker running');
  await worker.run();
  await close();
  await tracing.stop();
  log.info('saga worker stopped');
} catch (e) {
  if (isFicusError(e)) log.fatal({ code: e.code }, e.message);
  else log.fatal({ err: e }, 'saga worker failed');
  process.exitCode = 1;
}
