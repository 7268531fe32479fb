import type { ClientInterceptors } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { activeTracing } from '@ficus/common/tracing';
import { requestIdClientInterceptor } from './request-id-scope.ts';

/**
 * The interceptors of a Temporal client that starts sagas (the orders service's): the checkout's
 * request id in the start header, and with tracing on Temporal's OpenTelemetry client interceptor,
 * so the saga's workflow and activities join the trace of the checkout request.
 * Example: `new Client({ connection, namespace, interceptors: sagaClientInterceptors() })`.
 */
export const sagaClientInterceptors = (): ClientInterceptors => {
  const tracing = activeTracing();
  return {
    workflow: [requestIdClientInterceptor(), ...(tracing ? [new OpenTelemetryWorkflowClientInterceptor({ tracer: tracing.tracer })] : [])],
  };
};
