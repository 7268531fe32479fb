import {
  WithStartWorkflowOperation, WorkflowFailedError, WorkflowNotFoundError, ApplicationFailure, type Client, type WorkflowHandle,
} from '@temporalio/client';
import type { ServiceClient } from '@ficus/common';
import type { CheckoutSaga, SagaOutcome } from './checkout-saga-type.ts';
import { holdStock, releaseHold } from './stock-hold.ts';
import type { cancelOrder, placeOrder } from './workflows.ts';
import { withRequestId } from './request-id-scope.ts';
import {
  cancelOrderWorkflowId, firstDetails, orderSagaTaskQueue, placeOrderWorkflowId, sagaDecisionQueryName, sagaKeys, sagaDecisionUpdateName, sagaSearchAttributes,
  type CancelOrderResult, type PlaceOrderResult, type SagaDecision,
} from './saga-types.ts';

/** How long a checkout past its wait bound keeps trying to confirm its workflow exists before it answers. */
const START_CONFIRM_MS = 10_000;

interface WaitOptions {
  /** Aborts the wait early (the adapter's close). */
  signal?: AbortSignal | undefined;
  /** Runs when the bound passed, before the calls in flight are abandoned. */
  beforeAbandon?: () => Promise<void>;
}

/**
 * What `run` settles to within `waitMs`, else `running`. The calls `run` makes are abandoned at
 * the bound (their long polls cancelled, not left to poll on in the background).
 */
const within = async <T>(client: Pick<Client, 'withAbortSignal'>, run: () => Promise<SagaOutcome<T>>, waitMs: number, o: WaitOptions = {}): Promise<SagaOutcome<T>> => {
  const abandon = new AbortController();
  const outcome = client.withAbortSignal(o.signal ? AbortSignal.any([o.signal, abandon.signal]) : abandon.signal, run);
  outcome.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<SagaOutcome<T>>((resolve) => { timer = setTimeout(() => resolve({ state: 'running' }), Math.max(0, waitMs)); });
  try {
    const first = await Promise.race([outcome, bound]);
    if (first.state === 'running' && o.beforeAbandon) await o.beforeAbandon();
    return first;
  } finally {
    clearTimeout(timer);
    abandon.abort();
  }
};

/** A business failure (its type is the code) as the outcome the orders service answers. */
const failedOutcome = (f: ApplicationFailure & { type: string }): SagaOutcome<never> =>
  ({ state: 'failed', code: f.type, message: f.message, details: firstDetails(f.details) });

/** A workflow's outcome from its result (waits for its end): completed, failed with its business code, or not-found. */
const settledOutcome = <T>(handle: WorkflowHandle): Promise<SagaOutcome<T>> => handle.result().then(
  (r) => ({ state: 'completed', result: r as T }) as const,
  (e: unknown): SagaOutcome<T> => {
    if (e instanceof WorkflowNotFoundError) return { state: 'not-found' };
    if (e instanceof WorkflowFailedError && e.cause instanceof ApplicationFailure && e.cause.type) return failedOutcome(e.cause as ApplicationFailure & { type: string });
    if (e instanceof WorkflowFailedError) return { state: 'failed', code: 'CHECKOUT_FAILED', message: e.cause?.message ?? e.message };
    throw e;
  },
);

/** Waits for a workflow's result up to `waitMs`; past it, `running` (the workflow goes on). */
export const resultWithin = <T>(handle: WorkflowHandle, waitMs: number, signal?: AbortSignal): Promise<SagaOutcome<T>> =>
  within(handle.client, () => settledOutcome<T>(handle), waitMs, { signal });

/**
 * A running saga's decision through the `sagaDecision` update: it answers as soon as the outcome is
 * decided, before the email. A saga started before the update existed (or one that closed
 * meanwhile) rejects it; then its result is awaited instead.
 */
const decisionOf = <T>(handle: WorkflowHandle, waitMs: number, signal?: AbortSignal): Promise<SagaOutcome<T>> =>
  within(handle.client, () => handle.executeUpdate<SagaDecision<T>, []>(sagaDecisionUpdateName).then((d) => d, () => settledOutcome<T>(handle)), waitMs, { signal });

/**
 * The outcome of an existing workflow, or `not-found`. A running one is asked for its decision
 * (waiting up to `waitMs`); with no wait, a query says whether it is already decided.
 */
export const outcomeOf = async <T>(client: Client, workflowId: string, waitMs: number, signal?: AbortSignal): Promise<SagaOutcome<T>> => {
  const handle = client.workflow.getHandle(workflowId);
  try {
    const d = await handle.describe();
    if (d.status.name !== 'RUNNING') return await resultWithin<T>(handle, 60_000, signal);
  } catch (e) {
    if (e instanceof WorkflowNotFoundError) return { state: 'not-found' };
    throw e;
  }
  if (waitMs > 0) return decisionOf<T>(handle, waitMs, signal);
  const decidedNow = () => handle.query<SagaDecision<T> | null>(sagaDecisionQueryName).then((d): SagaOutcome<T> => d ?? { state: 'running' }, (): SagaOutcome<T> => ({ state: 'running' }));
  return within(client, decidedNow, 1_000, { signal });
};

/**
 * The orders service's CheckoutSaga port on Temporal. One workflow per checkout key
 * (`checkout:<userId>:<key>`): a running one is joined (conflict policy USE_EXISTING), a closed one
 * is never started again (REJECT_DUPLICATE), so a repeated submit answers the first one's outcome.
 * Start and decision travel together (update-with-start, decision 0014): one call starts the saga
 * and returns once its outcome is decided. Given the inventory service, the stock is held first,
 * under the saga's own reservation key: a checkout that cannot get its stock is answered at once
 * and never starts a workflow (in a rush for the last units, most checkouts are those).
 */
export const createTemporalCheckoutSaga = (client: Client, taskQueue: string = orderSagaTaskQueue, o: { inventory?: ServiceClient } = {}): CheckoutSaga & { close(): void } => {
  /** Aborts every wait in flight (before the connection closes, so no long poll outlives it). */
  const closing = new AbortController();
  /** Resolves once the workflow surely exists: the start's answer, or a describe that finds it. */
  const confirmStarted = async (workflowId: string, start: WithStartWorkflowOperation<never>): Promise<void> => {
    let found = false;
    const byDescribe = (async () => {
      const until = Date.now() + START_CONFIRM_MS;
      while (!found && Date.now() < until) {
        try {
          await client.workflow.getHandle(workflowId).describe();
          return;
        } catch (e) {
          if (!(e instanceof WorkflowNotFoundError)) throw e;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      if (!found) throw new Error(`the saga ${workflowId} could not be confirmed started within ${START_CONFIRM_MS} ms`);
    })();
    try {
      await Promise.race([start.workflowHandle(), byDescribe]);
    } finally {
      found = true;
      byDescribe.catch(() => undefined);
    }
  };

  /**
   * Starts (or joins) a saga and waits up to `waitMs` for its decision. Past the bound it answers
   * `running`, but only once the workflow is known to exist, so a 202's status URL always leads somewhere.
   */
  const startWithDecision = async <T>(workflowId: string, start: WithStartWorkflowOperation<never>, waitMs: number): Promise<SagaOutcome<T>> => {
    const handle = client.workflow.getHandle(workflowId);
    const decided = () => client.workflow.executeUpdateWithStart<never, SagaDecision<T>, []>(sagaDecisionUpdateName, { startWorkflowOperation: start })
      .then((d): SagaOutcome<T> | Promise<SagaOutcome<T>> => d, async (e: unknown) => {
        // A closed saga with this id (REJECT_DUPLICATE), or one that rejects the update (older, or closing): its result.
        try { await handle.describe(); } catch { throw e; }
        return settledOutcome<T>(handle);
      });
    return within(client, decided, waitMs, { signal: closing.signal, beforeAbandon: () => confirmStarted(workflowId, start) });
  };

  return {
    close: () => closing.abort(),

    findCheckout: (userId, checkoutKey, waitMs) =>
      outcomeOf<PlaceOrderResult>(client, placeOrderWorkflowId(userId, checkoutKey), waitMs, closing.signal),

    placeOrder: (checkoutKey, request, waitMs, requestId) => withRequestId(requestId, async () => {
      const workflowId = placeOrderWorkflowId(request.userId, checkoutKey);
      const keys = sagaKeys(workflowId);
      let stockHeld = false, heldNow = false;
      if (o.inventory) {
        try {
          heldNow = (await holdStock(o.inventory, { key: keys.reservation, items: request.items, reference: keys.order }, requestId)).created;
          stockHeld = true;
        } catch (e) {
          if (e instanceof ApplicationFailure && e.type === 'ORDER_OUT_OF_STOCK') return failedOutcome(e as ApplicationFailure & { type: string });
          // Inventory unreachable, or the key in another state: the saga's own step decides, with its retries.
        }
      }
      const start = new WithStartWorkflowOperation<typeof placeOrder>('placeOrder', {
        workflowId, taskQueue, args: [{ ...request, stockHeld }],
        workflowIdReusePolicy: 'REJECT_DUPLICATE', workflowIdConflictPolicy: 'USE_EXISTING',
        searchAttributes: { [sagaSearchAttributes.userId]: [String(request.userId)] },
      });
      try {
        return await startWithDecision<PlaceOrderResult>(workflowId, start as WithStartWorkflowOperation<never>, waitMs);
      } catch (e) {
        // No saga to own the hold made just now: let it go rather than wait for it to expire.
        if (heldNow && o.inventory) await releaseHold(o.inventory, keys.reservation).catch(() => undefined);
        throw e;
      }
    }),

    cancelOrder: (request, waitMs, requestId) => withRequestId(requestId, () => {
      const workflowId = cancelOrderWorkflowId(request.orderKey);
      const start = new WithStartWorkflowOperation<typeof cancelOrder>('cancelOrder', {
        workflowId, taskQueue, args: [request],
        workflowIdReusePolicy: 'REJECT_DUPLICATE', workflowIdConflictPolicy: 'USE_EXISTING',
        searchAttributes: { [sagaSearchAttributes.userId]: [String(request.userId)], [sagaSearchAttributes.orderId]: [String(request.orderId)] },
      });
      return startWithDecision<CancelOrderResult>(workflowId, start as WithStartWorkflowOperation<never>, waitMs);
    }),
  };
};
