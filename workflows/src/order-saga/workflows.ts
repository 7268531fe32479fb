// The order saga. Deterministic only: no I/O, no clocks, no Node built-ins (lint-guarded); every
// side effect is an activity, addressed by a key derived from the workflow id.
import {
  ActivityFailure, ApplicationFailure, CancellationScope, allHandlersFinished, condition, defineQuery, defineUpdate, log, patched, proxyActivities, proxyLocalActivities,
  setHandler, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { SagaActivities } from './activities.ts';
import {
  firstDetails, sagaDecisionQueryName, sagaDecisionUpdateName, sagaKeys, sagaSearchAttributes, type CancelOrderInput, type CancelOrderResult, type PlaceOrderInput, type PlaceOrderResult, type SagaDecision, type SagaStep,
} from './saga-types.ts';
import {
  FORWARD_STEP_DEADLINE, LOCAL_RETRY_THRESHOLD, NOTIFICATION_DEADLINE, PAYMENT_CALL_TIMEOUT, SERVICE_CALL_TIMEOUT, cancelRetry, compensationRetry, forwardRetry,
} from './saga-policies.ts';

type Calls = SagaActivities;
/** The service calls of a saga, with the policies of each kind of step. */
interface StepCalls { services: Calls; payments: Calls; undoServices: Calls; undoPayments: Calls; cancelServices: Calls; cancelPayments: Calls }

const policies = {
  services: { startToCloseTimeout: SERVICE_CALL_TIMEOUT, scheduleToCloseTimeout: FORWARD_STEP_DEADLINE, retry: forwardRetry },
  payments: { startToCloseTimeout: PAYMENT_CALL_TIMEOUT, scheduleToCloseTimeout: FORWARD_STEP_DEADLINE, retry: forwardRetry },
  undoServices: { startToCloseTimeout: SERVICE_CALL_TIMEOUT, retry: compensationRetry },
  undoPayments: { startToCloseTimeout: PAYMENT_CALL_TIMEOUT, retry: compensationRetry },
  cancelServices: { startToCloseTimeout: SERVICE_CALL_TIMEOUT, retry: cancelRetry },
  cancelPayments: { startToCloseTimeout: PAYMENT_CALL_TIMEOUT, retry: cancelRetry },
} as const;
const mapPolicies = (proxy: (o: (typeof policies)[keyof typeof policies]) => Calls): StepCalls => ({
  services: proxy(policies.services), payments: proxy(policies.payments), undoServices: proxy(policies.undoServices),
  undoPayments: proxy(policies.undoPayments), cancelServices: proxy(policies.cancelServices), cancelPayments: proxy(policies.cancelPayments),
});
/** Sagas started before decision 0014 (kept so their histories replay): every call a scheduled activity. */
const scheduled = mapPolicies((o) => proxyActivities<Calls>(o));
/**
 * Sagas since decision 0014: every service call is a local activity, run by the worker inside the
 * workflow task (no round trip through the server per step); the same timeouts and retries.
 */
const local = mapPolicies((o) => proxyLocalActivities<Calls>({ ...o, localRetryThreshold: LOCAL_RETRY_THRESHOLD }));
/** The email stays a scheduled activity: it runs after the answer and may retry for minutes. */
const notifier = proxyActivities<Calls>({ startToCloseTimeout: SERVICE_CALL_TIMEOUT, scheduleToCloseTimeout: NOTIFICATION_DEADLINE, retry: compensationRetry });

/** The patch that switched a saga to local activities and the early answer (decision 0014). */
export const localStepsPatch = 'saga-local-activities';
/** The calls of this run: local activities since the patch; scheduled ones in a saga started before it. */
const stepCalls = (): StepCalls & { fast: boolean } => (patched(localStepsPatch) ? { ...local, fast: true } : { ...scheduled, fast: false });

/** The saga's steps so far (actions, compensations, notification), for `ficus orders saga` and operators. */
export const sagaStepsQuery = defineQuery<SagaStep[]>('sagaSteps');

/**
 * Answers once the saga's outcome is decided (order paid, or failed and compensated), before the
 * notification and the rest of the bookkeeping. The orders service sends it with the start
 * (update-with-start) so the shopper's answer does not wait for the workflow's end.
 */
export const sagaDecisionUpdate = defineUpdate<SagaDecision<unknown>>(sagaDecisionUpdateName);
export const sagaDecisionQuery = defineQuery<SagaDecision<unknown> | null>(sagaDecisionQueryName);

/** Holds the decision and answers the update with it, now or once it is made. */
const createDecision = <T>() => {
  let decision: SagaDecision<T> | undefined;
  setHandler(sagaDecisionUpdate, async () => {
    await condition(() => decision !== undefined);
    return decision!;
  });
  setHandler(sagaDecisionQuery, () => decision ?? null);
  return {
    decide(d: SagaDecision<T>) { decision ??= d; },
    failed(f: ApplicationFailure): ApplicationFailure {
      decision ??= { state: 'failed', code: f.type ?? 'CHECKOUT_FAILED', message: f.message, details: firstDetails(f.details) };
      return f;
    },
  };
};

interface Compensation { name: string; run: () => Promise<unknown> }

/** A non-retryable business failure from an activity (out of stock, declined): the action did nothing. */
const businessFailureOf = (e: unknown): ApplicationFailure | undefined => {
  const cause = e instanceof ActivityFailure ? e.cause : e;
  return cause instanceof ApplicationFailure && cause.nonRetryable ? cause : undefined;
};

const describe = (e: unknown): string => {
  if (e instanceof ActivityFailure) return `${e.activityType}: ${describe(e.cause)}`;
  if (e instanceof Error) return `${e.message}${e.cause ? ` (${describe(e.cause)})` : ''}`;
  return String(e);
};

/** The failure the workflow ends with: the business code as it was, anything else as CHECKOUT_FAILED. */
const finalFailure = (e: unknown, fallbackCode: string): ApplicationFailure => {
  const business = businessFailureOf(e);
  if (business && (business.type === 'ORDER_OUT_OF_STOCK' || business.type === 'PAYMENT_DECLINED' || business.type === 'ORDER_NOT_CANCELLABLE')) {
    return ApplicationFailure.create({ type: business.type, message: business.message, details: business.details as unknown[] | undefined, nonRetryable: true });
  }
  return ApplicationFailure.create({ type: fallbackCode, message: describe(e), nonRetryable: true, cause: e instanceof Error ? e : undefined });
};

const createStepLog = () => {
  const steps: SagaStep[] = [];
  setHandler(sagaStepsQuery, () => steps);
  return {
    steps,
    async run<T>(name: string, kind: SagaStep['kind'], action: () => Promise<T>, summarize?: (r: T) => Pick<SagaStep, 'status' | 'detail'>): Promise<T> {
      const s: SagaStep = { name, kind, status: 'running' };
      steps.push(s);
      try {
        const r = await action();
        Object.assign(s, summarize ? summarize(r) : { status: 'done' });
        return r;
      } catch (e) {
        Object.assign(s, { status: 'failed', detail: describe(e) });
        throw e;
      }
    },
  };
};

const compensationSummary = (r: unknown): Pick<SagaStep, 'status' | 'detail'> => {
  const outcome = typeof r === 'string' ? r : (r as { outcome?: string } | undefined)?.outcome;
  return outcome === 'skipped' ? { status: 'skipped', detail: 'nothing to undo' } : { status: 'done' };
};

/**
 * Checkout across inventory, payments and orders: reserve stock → authorize payment → create the
 * order → capture → confirm the reservation → mark the order paid → email the customer. Each
 * compensation is unshifted right after its step; a step that failed ambiguously (timed out,
 * retries exhausted) registers its compensation too, because the services may have acted on it and
 * every compensation tolerates an action that never happened. On failure they run newest first.
 */
export async function placeOrder(input: PlaceOrderInput): Promise<PlaceOrderResult> {
  const { workflowId } = workflowInfo();
  const keys = sagaKeys(workflowId);
  const stepLog = createStepLog();
  const decision = createDecision<PlaceOrderResult>();
  const { services, payments, undoServices, undoPayments, fast } = stepCalls();
  const compensations: Compensation[] = [];
  // The client sets the user at start; sagas from before the patch set it again here.
  if (!fast) upsertSearchAttributes({ [sagaSearchAttributes.userId]: [String(input.userId)] });
  const totalCents = input.items.reduce((n, i) => n + i.unitPriceCents * i.quantity, 0);

  interface Step<T> { name: string; action: () => Promise<T>; compensation?: Compensation }
  /**
   * Runs steps at once (one, or independent ones) and waits for each to end before anything is undone
   * (a capture still in flight must not miss its refund). Compensations are registered in the order
   * given, also for a step that failed ambiguously (the service may have acted); the failure reported
   * is the first in that order, so a shortage wins over a decline as in the monolith.
   */
  const batch = async (steps: Array<Step<unknown>>): Promise<unknown[]> => {
    const settled = await Promise.allSettled(steps.map((x) => stepLog.run(x.name, 'action', x.action)));
    steps.forEach((x, i) => {
      const o = settled[i]!;
      if (x.compensation && (o.status === 'fulfilled' || !businessFailureOf(o.reason))) compensations.unshift(x.compensation);
    });
    const failed = settled.find((o) => o.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((o) => (o as PromiseFulfilledResult<unknown>).value);
  };
  const step = async <T>(x: Step<T>): Promise<T> => (await batch([x as Step<unknown>]))[0] as T;
  const together = async <A, B>(a: Step<A>, b: Step<B>): Promise<[A, B]> => (await batch([a as Step<unknown>, b as Step<unknown>])) as [A, B];

  const release: Compensation = { name: 'releaseStock', run: () => undoServices.releaseStock(keys.reservation) };
  const reserve: Step<unknown> = { name: 'reserveStock', action: () => services.reserveStock({ key: keys.reservation, items: input.items, reference: keys.order }), compensation: release };
  const authorize = { name: 'authorizePayment', action: () => payments.authorizePayment({ key: keys.payment, amountCents: totalCents, reference: keys.order }),
    compensation: { name: 'voidPayment', run: () => undoPayments.voidPayment(keys.payment) } };
  const createOrder = { name: 'createOrder', action: () => services.createOrder({ key: keys.order, userId: input.userId, customer: input.customer, items: input.items }),
    compensation: { name: 'markOrderFailed', run: () => undoServices.markOrderFailed({ key: keys.order, code: 'CHECKOUT_FAILED', reason: 'the order saga compensated' }) } };
  const capturePayment = { name: 'capturePayment', action: () => payments.capturePayment(keys.payment),
    compensation: { name: 'refundPayment', run: () => undoPayments.refundPayment({ key: keys.payment, refundKey: keys.compensationRefund }) } };
  const confirmStock = { name: 'confirmStock', action: () => services.confirmStock(keys.reservation),
    compensation: { name: 'restockStock', run: () => undoServices.restockStock(keys.reservation) } };

  let orderId: number;
  let chargeRef: string;
  try {
    let capture: { chargeRef: string; amountCents: number };
    if (fast) {
      // Since decision 0014: independent steps together, three rounds after the hold instead of five.
      // The stock may already be held by the orders service (same reservation key): releasing it is
      // still this saga's to undo.
      if (input.stockHeld) {
        compensations.unshift(release);
        stepLog.steps.push({ name: 'reserveStock', kind: 'action', status: 'done', detail: 'held by the orders service before the saga started' });
      } else {
        await step(reserve);
      }
      const [, order] = await together(authorize, createOrder);
      orderId = order.orderId;
      upsertSearchAttributes({ [sagaSearchAttributes.orderId]: [String(orderId)] });
      [capture] = await together(capturePayment, confirmStock);
    } else {
      await step(reserve);
      await step(authorize);
      orderId = (await step(createOrder)).orderId;
      upsertSearchAttributes({ [sagaSearchAttributes.orderId]: [String(orderId)] });
      capture = await step(capturePayment);
      await step(confirmStock);
    }
    chargeRef = capture.chargeRef;
    await step({ name: 'markOrderPaid', action: () => services.markOrderPaid({ key: keys.order, amountCents: capture.amountCents, gatewayRef: capture.chargeRef }) });
  } catch (e) {
    // Compensations must run to the end even if the workflow is being cancelled.
    await CancellationScope.nonCancellable(async () => {
      for (const c of compensations) {
        try {
          await stepLog.run(c.name, 'compensation', c.run, compensationSummary);
        } catch (ce) {
          // Only reachable if a compensation fails non-retryably (a programmer error): keep undoing the rest.
          log.error('compensation failed', { workflowId, compensation: c.name, error: describe(ce) });
        }
      }
    });
    throw await answered(decision.failed(finalFailure(e, 'CHECKOUT_FAILED')));
  }
  const result: PlaceOrderResult = { orderKey: keys.order, orderId, totalCents, chargeRef };
  // The outcome is decided: the shopper gets the answer now; the email follows.
  decision.decide({ state: 'completed', result });

  // Past the point of no return: the order is paid; a failed email is logged, never undone.
  try {
    await stepLog.run('notifyCustomer', 'notification', () => notifier.notifyCustomer({ template: 'order_placed', orderKey: keys.order }));
  } catch (e) {
    log.warn('order placed, but the notification failed', { workflowId, error: describe(e) });
  }
  return answered(result);
}

/** Lets every decision update answer before the workflow closes (an update cut off by the close would fail). */
const answered = async <T>(value: T): Promise<T> => {
  await condition(allHandlersFinished);
  return value;
};

/**
 * Cancels a paid order: put the sold units back, refund the capture, mark the order cancelled,
 * email the customer. There is no way back from a refund, so every step retries until it
 * succeeds; each is idempotent (fixed refund key, restock and mark-cancelled by state).
 */
export async function cancelOrder(input: CancelOrderInput): Promise<CancelOrderResult> {
  const keys = sagaKeys(input.orderKey);
  const stepLog = createStepLog();
  const decision = createDecision<CancelOrderResult>();
  const { cancelServices, cancelPayments, fast } = stepCalls();
  if (!fast) upsertSearchAttributes({ [sagaSearchAttributes.userId]: [String(input.userId)], [sagaSearchAttributes.orderId]: [String(input.orderId)] });
  let result: CancelOrderResult;
  try {
    const order = await stepLog.run('getOrder', 'action', () => cancelServices.getOrder(keys.order));
    const alreadyRefunded = order.payments.find((p) => p.kind === 'refund');
    if (order.status === 'cancelled' && alreadyRefunded) {
      result = { orderKey: keys.order, orderId: order.id, refundRef: alreadyRefunded.gatewayRef, refundedCents: alreadyRefunded.amountCents };
      decision.decide({ state: 'completed', result });
      return await answered(result);
    }
    if (order.status !== 'paid') {
      throw ApplicationFailure.create({ type: 'ORDER_NOT_CANCELLABLE', message: `order ${order.id} is ${order.status}`, details: [{ orderId: order.id, status: order.status }], nonRetryable: true });
    }
    await stepLog.run('restockStock', 'action', () => cancelServices.restockStock(keys.reservation), compensationSummary);
    const refund = await stepLog.run('refundPayment', 'action', () => cancelPayments.refundPayment({ key: keys.payment, refundKey: keys.cancelRefund }));
    if (refund.outcome === 'skipped') {
      throw ApplicationFailure.create({ type: 'CANCEL_FAILED', message: `order ${order.id}: its payment ${keys.payment} has no capture to refund`, nonRetryable: true });
    }
    await stepLog.run('markOrderCancelled', 'action', () => cancelServices.markOrderCancelled({ key: keys.order, amountCents: refund.amountCents, gatewayRef: refund.refundRef }));
    result = { orderKey: keys.order, orderId: order.id, refundRef: refund.refundRef, refundedCents: refund.amountCents };
  } catch (e) {
    decision.failed(e instanceof ApplicationFailure ? e : ApplicationFailure.create({ type: 'CHECKOUT_FAILED', message: describe(e) }));
    await answered(undefined);
    throw e;
  }
  decision.decide({ state: 'completed', result });
  try {
    await stepLog.run('notifyCustomer', 'notification', () => notifier.notifyCustomer({ template: 'order_cancelled', orderKey: keys.order }));
  } catch (e) {
    log.warn('order cancelled, but the notification failed', { orderKey: keys.order, error: describe(e) });
  }
  return answered(result);
}
