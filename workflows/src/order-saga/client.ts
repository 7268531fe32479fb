import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError, WorkflowNotFoundError, ApplicationFailure, type Client, type WorkflowHandle } from '@temporalio/client';
import type { CheckoutSaga, SagaOutcome } from '@ficus/orders-service';
import type { cancelOrder, placeOrder } from './workflows.ts';
import { cancelOrderWorkflowId, orderSagaTaskQueue, placeOrderWorkflowId, sagaSearchAttributes, type CancelOrderResult, type PlaceOrderResult } from './saga-types.ts';

/** Waits for a workflow's result up to `waitMs`; past it, `running` (the workflow goes on). */
export const resultWithin = async <T>(handle: WorkflowHandle, waitMs: number): Promise<SagaOutcome<T>> => {
  const result = handle.result().then(
    (r) => ({ state: 'completed', result: r as T }) as const,
    (e: unknown): SagaOutcome<T> => {
      if (e instanceof WorkflowNotFoundError) return { state: 'not-found' };
      if (e instanceof WorkflowFailedError && e.cause instanceof ApplicationFailure && e.cause.type) {
        const details = e.cause.details?.[0];
        return { state: 'failed', code: e.cause.type, message: e.cause.message, details: details && typeof details === 'object' ? details as Record<string, unknown> : undefined };
      }
      if (e instanceof WorkflowFailedError) return { state: 'failed', code: 'CHECKOUT_FAILED', message: e.cause?.message ?? e.message };
      throw e;
    },
  );
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<SagaOutcome<T>>((resolve) => { timer = setTimeout(() => resolve({ state: 'running' }), waitMs); });
  try {
    return await Promise.race([result, bound]);
  } finally {
    clearTimeout(timer);
    // The long poll keeps going past the bound; its late answer is not needed.
    result.catch(() => undefined);
  }
};

/** The outcome of an existing workflow (waiting up to `waitMs` while it runs), or `not-found`. */
export const outcomeOf = async <T>(client: Client, workflowId: string, waitMs: number): Promise<SagaOutcome<T>> => {
  const handle = client.workflow.getHandle(workflowId);
  try {
    const d = await handle.describe();
    if (d.status.name !== 'RUNNING') return await resultWithin<T>(handle, 60_000);
  } catch (e) {
    if (e instanceof WorkflowNotFoundError) return { state: 'not-found' };
    throw e;
  }
  return waitMs > 0 ? resultWithin<T>(handle, waitMs) : { state: 'running' };
};

/**
 * The orders service's CheckoutSaga port on Temporal. One workflow per checkout key
 * (`checkout:<userId>:<key>`): a running one is joined (conflict policy USE_EXISTING), a closed one
 * is never started again (REJECT_DUPLICATE), so a repeated submit answers the first one's outcome.
 */
export const createTemporalCheckoutSaga = (client: Client, taskQueue: string = orderSagaTaskQueue): CheckoutSaga => {
  const startOrJoin = async (workflowId: string, start: () => Promise<WorkflowHandle>): Promise<WorkflowHandle> => {
    try {
      return await start();
    } catch (e) {
      if (e instanceof WorkflowExecutionAlreadyStartedError) return client.workflow.getHandle(workflowId);
      throw e;
    }
  };
  return {
    findCheckout: (userId, checkoutKey, waitMs) =>
      outcomeOf<PlaceOrderResult>(client, placeOrderWorkflowId(userId, checkoutKey), waitMs),

    async placeOrder(checkoutKey, request, waitMs) {
      const workflowId = placeOrderWorkflowId(request.userId, checkoutKey);
      const handle = await startOrJoin(workflowId, () => client.workflow.start<typeof placeOrder>('placeOrder', {
        workflowId, taskQueue, args: [request],
        workflowIdReusePolicy: 'REJECT_DUPLICATE', workflowIdConflictPolicy: 'USE_EXISTING',
        searchAttributes: { [sagaSearchAttributes.userId]: [String(request.userId)] },
      }));
      return resultWithin<PlaceOrderResult>(handle, waitMs);
    },

    async cancelOrder(request, waitMs) {
      const workflowId = cancelOrderWorkflowId(request.orderKey);
      const handle = await startOrJoin(workflowId, () => client.workflow.start<typeof cancelOrder>('cancelOrder', {
        workflowId, taskQueue, args: [request],
        workflowIdReusePolicy: 'REJECT_DUPLICATE', workflowIdConflictPolicy: 'USE_EXISTING',
        searchAttributes: { [sagaSearchAttributes.userId]: [String(request.userId)], [sagaSearchAttributes.orderId]: [String(request.orderId)] },
      }));
      return resultWithin<CancelOrderResult>(handle, waitMs);
    },
  };
};
