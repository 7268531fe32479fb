// Named timeouts and retry policies of the migration activities.
import { ActivityCancellationType, type ActivityOptions } from '@temporalio/workflow';

/** A flag change through the Unleash Admin API (its HTTP client gives up after 10 s). */
export const FLAG_CALL_TIMEOUT = '15 seconds';
/**
 * Reading the proxy's metrics, probing both sides, reading CDC lag. Each read gives up after 5 s
 * and a probe makes two in a row, so 15 s bounds a healthy call; it is also how long a check waits
 * before retrying a read whose worker died (or whose task a stopping worker's poller dropped).
 */
export const GATE_READ_TIMEOUT = '15 seconds';
/** A whole table-parity verification (about 1 s per 150,000 rows here; generous for big tables). */
export const PARITY_TIMEOUT = '30 minutes';
/** Turning a sync direction on or off (connectors are created through Kafka Connect). */
export const SYNC_SWITCH_TIMEOUT = '5 minutes';
export const AUDIT_WRITE_TIMEOUT = '10 seconds';

/**
 * Flag changes: a few quick attempts, then the workflow takes over (it records that the step
 * waits for Unleash and tries again each check interval: it never assumes a flag changed).
 */
export const flagActivity: ActivityOptions = {
  startToCloseTimeout: FLAG_CALL_TIMEOUT,
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '2 seconds', maximumAttempts: 3, nonRetryableErrorTypes: ['FLAG_NOT_FOUND', 'FLAG_PERCENT_INVALID', 'UNLEASH_ENVIRONMENT_MISSING'] },
};
/** Gate reads report unreadable sources in their result; retries only cover crashes. */
export const gateActivity: ActivityOptions = { startToCloseTimeout: GATE_READ_TIMEOUT, retry: { initialInterval: '1 second', maximumAttempts: 3 } };
export const parityActivity: ActivityOptions = { startToCloseTimeout: PARITY_TIMEOUT, heartbeatTimeout: '2 minutes', retry: { initialInterval: '5 seconds', maximumAttempts: 3 } };
export const syncActivity: ActivityOptions = { startToCloseTimeout: SYNC_SWITCH_TIMEOUT, retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' } };
/** The audit log must not lose a line: retried until it is written (idempotent by run and seq). */
export const auditActivity: ActivityOptions = { startToCloseTimeout: AUDIT_WRITE_TIMEOUT, retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' } };
/**
 * The write switch: one activity holding the writes for at most the unit's hold time; the slow
 * part (turning the other direction on: connectors through Kafka Connect) comes before the hold.
 * Retried (a switch whose worker died reverts its own hold first), a few times.
 */
export const SWITCH_TIMEOUT = '5 minutes';
export const switchActivity: ActivityOptions = {
  startToCloseTimeout: SWITCH_TIMEOUT, heartbeatTimeout: '150 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '20 seconds', maximumAttempts: 5, nonRetryableErrorTypes: ['SYNC_CONTROL_MISSING', 'OWNERSHIP_NOT_OWNER'] },
};
/**
 * The backfill: one activity per backfill, as long as the copy (or the snapshot) takes. It heartbeats
 * after each chunk (a snapshot: each second); a worker that dies is noticed after the heartbeat
 * timeout, one that stops fails the attempt at once, and the next attempt continues from the stored
 * position. Bad rows, a missing database or connector are not retried. A cancelled workflow waits
 * until the activity has stopped (after its chunk in hand), so "cancelled" means nothing copies any more.
 */
export const BACKFILL_TIMEOUT = '24 hours';
export const BACKFILL_HEARTBEAT_TIMEOUT = '1 minute';
export const backfillActivity: ActivityOptions = {
  startToCloseTimeout: BACKFILL_TIMEOUT, heartbeatTimeout: BACKFILL_HEARTBEAT_TIMEOUT, cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: {
    initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20,
    nonRetryableErrorTypes: ['BACKFILL_ROW_INVALID', 'BACKFILL_UNAVAILABLE', 'MIGRATION_DATABASE_MISSING', 'CDC_CONNECTOR_NOT_RUNNING'],
  },
};
