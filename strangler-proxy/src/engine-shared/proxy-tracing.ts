import { createTraceState, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type Span, type Tracer } from '@opentelemetry/api';
import { isValidTraceparent, traceparentSampled, unsampledTraceparent } from '@ficus/common/tracing';
import type { Decision } from '../decision/decide.ts';
import type { ServedSide } from '../metrics/proxy-metrics.ts';

/** The trace state of one exchange, kept on the exchange itself (no object per request). */
export interface Traced {
  /** The proxy's span, only when the request is recorded. */
  span: Span | undefined;
  /** The `traceparent` the backend gets instead of the client's; undefined: the client's passes as sent. */
  traceparent: string | undefined;
}

export interface ProxyTracing {
  /**
   * Decides for one request, before its upstream headers are built:
   * - a valid incoming `traceparent` with the sampled flag: a span, child of it; the backend gets
   *   the proxy span's context (the client's `tracestate` passes as sent);
   * - a valid unsampled one: nothing is made, it passes untouched;
   * - none (or an invalid one): the sample ratio decides; recorded: a root span; not: a new
   *   unsampled `traceparent`, so every service downstream shares the decision and the trace id.
   */
  begin(t: Traced, traceparent: string | undefined, tracestate: string | undefined, method: string, url: string, decision: Decision, requestId: string): void;
}

/**
 * The proxy's span per exchange. PERF: an unrecorded request costs a length/regex check of its
 * `traceparent`, or one random id string when it has none; no context, carrier or span object.
 * `tracer` must not sample roots itself (startTracing's `callerSamples`): `ratio` decides them here.
 */
export const createProxyTracing = (tracer: Tracer, ratio: number, random: () => number = Math.random): ProxyTracing => {
  const startSpan = (t: Traced, parent: typeof ROOT_CONTEXT, method: string, url: string, decision: Decision, requestId: string) => {
    const q = url.indexOf('?');
    const span = tracer.startSpan(`proxy ${decision.routeId}`, {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': method,
        'url.path': q < 0 ? url : url.slice(0, q),
        'ficus.route': decision.routeId,
        'ficus.mode': decision.mode,
        'ficus.request_id': requestId,
        ...(decision.mirrorTarget ? { 'ficus.shadow.target': decision.mirrorTarget } : {}),
      },
    }, parent);
    t.span = span;
    const sc = span.spanContext();
    t.traceparent = `00-${sc.traceId}-${sc.spanId}-${span.isRecording() ? '01' : '00'}`;
  };
  return {
    begin(t, traceparent, tracestate, method, url, decision, requestId) {
      if (isValidTraceparent(traceparent)) {
        if (!traceparentSampled(traceparent)) return;
        const parent = trace.setSpanContext(ROOT_CONTEXT, {
          traceId: traceparent.slice(3, 35), spanId: traceparent.slice(36, 52), traceFlags: TraceFlags.SAMPLED, isRemote: true,
          ...(tracestate ? { traceState: createTraceState(tracestate) } : {}),
        });
        return startSpan(t, parent, method, url, decision, requestId);
      }
      if (ratio > 0 && random() < ratio) return startSpan(t, ROOT_CONTEXT, method, url, decision, requestId);
      t.traceparent = unsampledTraceparent();
    },
  };
};

/** Ends a recorded exchange's span with its outcome (called by reportExchange for both engines). */
export const endProxySpan = (span: Span, o: { side: ServedSide; status: number; fallback: string | undefined; error: string | undefined; clientGone: boolean; upstream: string | undefined }): void => {
  span.setAttribute('http.response.status_code', o.status);
  span.setAttribute('ficus.side', o.side);
  if (o.upstream) span.setAttribute('ficus.upstream', o.upstream);
  if (o.fallback) span.setAttribute('ficus.fallback', o.fallback);
  if (o.clientGone) span.setAttribute('ficus.client_gone', true);
  if (o.error) span.setAttribute('error.type', o.error);
  if (o.status >= 500 || (o.error && !o.fallback)) span.setStatus({ code: SpanStatusCode.ERROR, ...(o.error ? { message: o.error } : {}) });
  span.end();
};
