import { AsyncLocalStorage } from 'node:async_hooks';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import { defaultPayloadConverter, type WorkflowClientInterceptor } from '@temporalio/client';
import { requestIdHeader } from './request-id-header.ts';

// The request id of the checkout a saga serves, on the Node side: the orders service sets it around
// its Temporal calls (the client interceptor puts it in the start's header), the workflow
// interceptors carry it to each activity, and the activity interceptor makes it current again.

const scope = new AsyncLocalStorage<string>();

/** The request id current here (set by `withRequestId` or by the activity interceptor), if any. */
export const currentRequestId = (): string | undefined => scope.getStore();

/** Runs `fn` with `requestId` current (nothing changes when it is undefined). */
export const withRequestId = <T>(requestId: string | undefined, fn: () => T): T => (requestId ? scope.run(requestId, fn) : fn());

type Headers = Record<string, ReturnType<typeof defaultPayloadConverter.toPayload>>;
const withHeader = (headers: Headers): Headers => {
  const id = scope.getStore();
  return id && !headers[requestIdHeader] ? { ...headers, [requestIdHeader]: defaultPayloadConverter.toPayload(id) } : headers;
};

/** Client side: a started saga (start, update-with-start, signal-with-start) carries the current request id. */
export const requestIdClientInterceptor = (): WorkflowClientInterceptor => ({
  start: (input, next) => next({ ...input, headers: withHeader(input.headers) }),
  startUpdateWithStart: (input, next) => next({ ...input, workflowStartHeaders: withHeader(input.workflowStartHeaders) }),
  signalWithStart: (input, next) => next({ ...input, headers: withHeader(input.headers) }),
});

/** Worker side: an activity runs with the request id its workflow was started with. */
export class RequestIdActivityInbound implements ActivityInboundCallsInterceptor {
  execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const p = input.headers[requestIdHeader];
    let id: unknown;
    try { id = p ? defaultPayloadConverter.fromPayload(p) : undefined; } catch { id = undefined; }
    return typeof id === 'string' && id ? scope.run(id, () => next(input)) : next(input);
  }
}
