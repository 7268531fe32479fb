// Timeouts and retry policies of the order saga, named so the docs, the activities' HTTP
// timeouts and the tests can refer to them. Plain data: the workflow bundle imports this file.
import type { RetryPolicy } from '@temporalio/workflow';

/** One inventory or orders call (the HTTP client gives up 1 s earlier, so a hung call is retried, not lost). */
export const SERVICE_CALL_TIMEOUT = '5 seconds';
export const SERVICE_CALL_TIMEOUT_MS = 5_000;
/** One payments call: the gateway sits behind it and is slower. */
export const PAYMENT_CALL_TIMEOUT = '10 seconds';
export const PAYMENT_CALL_TIMEOUT_MS = 10_000;
/** How long one forward step may keep retrying before the saga gives up and compensates. */
export const FORWARD_STEP_DEADLINE = '45 seconds';
/** How long the emails may keep retrying (after the point of no return: a failure is logged, never compensated). */
export const NOTIFICATION_DEADLINE = '10 minutes';
/**
 * A local activity's retry whose backoff is longer than this waits on a workflow timer instead of
 * inside the workflow task (decision 0014). Forward steps never back off this long; compensations
 * and cancel steps do after a few attempts, so a long outage is visible in the history as timers.
 */
export const LOCAL_RETRY_THRESHOLD = '10 seconds';
/** How long stock is held for an order in flight; a saga stalled longer loses the hold and compensates. */
export const RESERVATION_HOLD_SECONDS = 900;

/**
 * Forward steps: a few quick retries for unavailable services (5xx, timeouts, refused
 * connections). Business failures are thrown as non-retryable ApplicationFailures and never retried.
 */
export const forwardRetry: RetryPolicy = {
  initialInterval: '200 milliseconds',
  backoffCoefficient: 2,
  maximumInterval: '5 seconds',
  maximumAttempts: 8,
};

/**
 * Compensations must finish: unlimited attempts, backing off to one every 30 s, so an outage of
 * a service delays the undo and never skips it. Each compensation is idempotent and tolerates an
 * action that never happened (the services record tombstones).
 */
export const compensationRetry: RetryPolicy = {
  initialInterval: '500 milliseconds',
  backoffCoefficient: 2,
  maximumInterval: '30 seconds',
};

/** CancelOrder has no way back (a refund is final): each step retries until it succeeds. */
export const cancelRetry = compensationRetry;
