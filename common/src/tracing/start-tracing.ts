import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { Resource } from '@opentelemetry/resources';
import {
  AlwaysOnSampler, BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, SimpleSpanProcessor, TraceIdRatioBasedSampler,
  type SpanExporter, type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { TracingConfig } from './tracing-config.ts';

/** The process's tracing, once started; every hook reads it and does nothing while it is undefined. */
export interface Tracing {
  readonly tracer: Tracer;
  readonly config: Readonly<TracingConfig>;
  /** Where finished spans go, to every backend (the Temporal worker hands its workflow spans to the same one). */
  readonly processor: SpanProcessor;
  readonly resource: Resource;
  /** Exports what is buffered (tests wait on it). */
  flush(): Promise<void>;
  /** Flushes and unregisters: the next `startTracing` may register again. */
  shutdown(): Promise<void>;
}

let current: Tracing | undefined;

/** The started tracing of this process, or undefined when tracing is off. */
export const activeTracing = (): Tracing | undefined => current;

export interface StartTracingOptions {
  /** Instead of OTLP over HTTP (tests: an InMemorySpanExporter). */
  exporter?: SpanExporter;
  /** Export each span as it ends instead of in batches (tests only). */
  simple?: boolean;
  /**
   * The caller samples new traces itself and starts only the ones it records (the proxy, whose
   * hot path decides before it makes any span): roots are then always on; parents still rule.
   */
  callerSamples?: boolean;
}

/**
 * Starts tracing for this process when `config.enabled`: a parent-based trace-id-ratio sampler,
 * W3C `traceparent`/`tracestate` propagation, AsyncLocalStorage context, and a batch span
 * processor exporting over OTLP/HTTP, plus one exporting to Zipkin when `config.zipkinSpansUrl`
 * is set (only recorded spans reach a processor: unsampled requests cost nothing more). Returns
 * undefined when tracing is off. Call it once, before building apps; `shutdown()` flushes (the stop
 * signal handlers call it).
 */
export const startTracing = (config: Readonly<TracingConfig>, o: StartTracingOptions = {}): Tracing | undefined => {
  if (!config.enabled) return undefined;
  if (current) return current;
  const exporter = o.exporter ?? new OTLPTraceExporter({ url: config.tracesUrl, timeoutMillis: 5_000 });
  const batch = (e: SpanExporter) => o.simple ? new SimpleSpanProcessor(e) : new BatchSpanProcessor(e, { scheduledDelayMillis: 1_000 });
  const processors = [
    batch(exporter),
    ...(config.zipkinSpansUrl ? [batch(new ZipkinExporter({ url: config.zipkinSpansUrl, serviceName: config.serviceName }))] : []),
  ];
  const resource = new Resource({ [ATTR_SERVICE_NAME]: config.serviceName });
  const provider = new BasicTracerProvider({
    resource,
    sampler: new ParentBasedSampler({ root: o.callerSamples ? new AlwaysOnSampler() : new TraceIdRatioBasedSampler(config.sampleRatio) }),
    spanProcessors: processors,
  });
  // the SDK's own fan-out over them (OTLP, and Zipkin when set)
  const processor = provider.getActiveSpanProcessor();
  provider.register({ contextManager: new AsyncLocalStorageContextManager().enable(), propagator: new W3CTraceContextPropagator() });
  const tracing: Tracing = {
    tracer: provider.getTracer('ficus'),
    config,
    processor,
    resource,
    flush: () => provider.forceFlush(),
    async shutdown() {
      if (current !== tracing) return;
      current = undefined;
      try {
        await provider.shutdown();
      } finally {
        trace.disable();
        context.disable();
        propagation.disable();
      }
    },
  };
  current = tracing;
  return tracing;
};
