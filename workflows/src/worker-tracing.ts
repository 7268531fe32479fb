// Temporal's OpenTelemetry interceptors for a worker (decision 0021): activity inbound/outbound
// interceptors, the workflow interceptor module and the sink that hands the workflow's spans to the
// process's span processor. Shared by the saga and migration workers; nothing when tracing is off.
import { createRequire } from 'node:module';
import type { ActivityInterceptorsFactory, WorkerOptions } from '@temporalio/worker';
import { makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { Tracing } from '@ficus/common/tracing';

/** Temporal's OpenTelemetry workflow interceptors (a workflow span per run, context into activities). */
const otelWorkflowInterceptorsPath = createRequire(import.meta.url).resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

/**
 * A worker's interceptors and sinks: its own `activity` factories and `workflowModules` always;
 * with `tracing`, Temporal's OpenTelemetry ones after them and the span sink.
 */
export const workerInterceptors = (
  tracing: Tracing | undefined, own: { activity?: ActivityInterceptorsFactory[]; workflowModules?: string[] } = {},
): Pick<WorkerOptions, 'interceptors' | 'sinks'> => {
  const activity: ActivityInterceptorsFactory[] = [
    ...(own.activity ?? []),
    ...(tracing ? [(ctx: Parameters<ActivityInterceptorsFactory>[0]) => ({
      inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer: tracing.tracer }),
      outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
    })] : []),
  ];
  const workflowModules = [...(own.workflowModules ?? []), ...(tracing ? [otelWorkflowInterceptorsPath] : [])];
  const interceptors = { ...(activity.length ? { activity } : {}), ...(workflowModules.length ? { workflowModules } : {}) };
  return tracing
    ? { interceptors, sinks: { exporter: makeWorkflowExporter(tracing.processor, tracing.resource) } }
    : { interceptors };
};
