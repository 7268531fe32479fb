import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createServiceClient, type Logger } from '@ficus/common';
import { activeTracing, type Tracing } from '@ficus/common/tracing';
import { RequestIdActivityInbound } from './order-saga/request-id-scope.ts';
import { workerInterceptors } from './worker-tracing.ts';
import { createActivities, type NotificationSink } from './order-saga/activities.ts';
import { PAYMENT_CALL_TIMEOUT_MS, SERVICE_CALL_TIMEOUT_MS } from './order-saga/saga-policies.ts';
import type { SagaWorkerConfig } from './config.ts';

/** The workflow module the worker bundles (deterministic code only). */
export const orderSagaWorkflowsPath = fileURLToPath(new URL('./order-saga/workflows.ts', import.meta.url));

/** The saga's own workflow interceptors: the checkout's request id onto every activity. */
export const orderSagaWorkflowInterceptorsPath = fileURLToPath(new URL('./order-saga/workflow-interceptors.ts', import.meta.url));
/**
 * The saga worker's interceptors and sinks: the request id always; with tracing on, Temporal's
 * OpenTelemetry interceptors (worker-tracing.ts), so the saga joins the checkout's trace.
 */
export const sagaWorkerInterceptors = (tracing: Tracing | undefined = activeTracing()): Pick<WorkerOptions, 'interceptors' | 'sinks'> =>
  workerInterceptors(tracing, { activity: [() => ({ inbound: new RequestIdActivityInbound() })], workflowModules: [orderSagaWorkflowInterceptorsPath] });

/**
 * How the saga worker polls and how much it runs at once (decision 0014). Nearly every saga task is
 * the first workflow task of a new checkout, which only the normal queue carries (the sticky queue
 * has the later ones), so the normal queue gets as many pollers as the sticky one; a workflow task
 * stays open while its local activities run, so there are slots for a burst of checkouts.
 */
export const sagaWorkerTuning: Partial<WorkerOptions> = {
  maxConcurrentWorkflowTaskExecutions: 100,
  maxConcurrentLocalActivityExecutions: 200,
  maxConcurrentActivityTaskExecutions: 100,
  maxConcurrentWorkflowTaskPolls: 16,
  nonStickyToStickyPollRatio: 1,
  maxCachedWorkflows: 1_000,
};

/**
 * Until a notifications service exists, the emails are structured log lines (`notification`)
 * that a log shipper or a later outbox can pick up; the key makes repeats recognisable.
 */
export const logNotificationSink = (log: Logger): NotificationSink => async (n) => { log.info({ notification: n }, 'notification'); };

/** The composition root of the saga worker: real service clients, one Temporal worker. */
export const createSagaWorker = async (config: SagaWorkerConfig, o: { log: Logger; notifications?: NotificationSink }) => {
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  // The HTTP timeout stays 1 s under the activity's, so a hung call fails and is retried, not lost.
  const client = (service: string, baseUrl: string, timeoutMs: number) => createServiceClient({ service, baseUrl, authSecret: config.authSecret, timeoutMs: timeoutMs - 1_000 });
  try {
    const worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.taskQueue,
      workflowsPath: orderSagaWorkflowsPath,
      activities: createActivities({
        inventory: client('inventory', config.services.inventoryUrl, SERVICE_CALL_TIMEOUT_MS),
        payments: client('payments', config.services.paymentsUrl, PAYMENT_CALL_TIMEOUT_MS),
        orders: client('orders', config.services.ordersUrl, SERVICE_CALL_TIMEOUT_MS),
        notifications: o.notifications ?? logNotificationSink(o.log),
        log: o.log,
      }),
      shutdownGraceTime: config.shutdownGraceMs,
      ...sagaWorkerTuning,
      ...sagaWorkerInterceptors(),
      bundlerOptions: { ignoreModules: [] },
    });
    return { worker, close: () => connection.close() };
  } catch (e) {
    await connection.close();
    throw e;
  }
};
