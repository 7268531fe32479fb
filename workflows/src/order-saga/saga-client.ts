/**
 * @ficus/workflows/saga-client: what the orders service needs to start the order sagas and read their
 * outcome, and nothing else: no worker, no activities, no migration workflows (the package's barrel loads
 * those, with the Temporal worker SDK, kafkajs and the proxy).
 */
export { createTemporalCheckoutSaga, outcomeOf, resultWithin } from './client.ts';
export { sagaClientInterceptors } from './saga-client-interceptors.ts';
export type * from './checkout-saga-type.ts';
