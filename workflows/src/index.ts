/** @ficus/workflows: the order saga (workflows, activities, worker, client) and, later, the migration workflows. */
export * from './order-saga/saga-types.ts';
export * from './order-saga/saga-policies.ts';
export { createActivities, type SagaActivities, type SagaActivityDeps, type CustomerNotification, type NotificationSink } from './order-saga/activities.ts';
export * from './order-saga/saga-client.ts';
export { readSagaReport, findSagasOfOrder, readSagaTimings, type SagaReport, type SagaStepRecord, type SagaTimings } from './order-saga/saga-history.ts';
export { loadSagaWorkerConfig, type SagaWorkerConfig } from './config.ts';
export { createSagaWorker, orderSagaWorkflowsPath, logNotificationSink } from './create-saga-worker.ts';
export * from './migration/index.ts';
