import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { activeTracing } from './start-tracing.ts';
import { endSpan } from './remote-parent-span.ts';

interface UndiciRequest {
  method: string;
  origin: string;
  path: string;
  headers: string | string[];
  addHeader(name: string, value: string): unknown;
}

const hasTraceparent = (headers: string | string[]): boolean => {
  if (typeof headers === 'string') return /(^|\r\n)traceparent:/i.test(headers);
  for (let i = 0; i < headers.length; i += 2) if (headers[i]!.toLowerCase() === 'traceparent') return true;
  return false;
};

/**
 * Outgoing HTTP through undici (global `fetch` included) carries the active trace context
 * (`traceparent`, `tracestate`) and gets a client span inside a recorded span. Uses undici's
 * diagnostics channels, which need no module patching under ESM. A request that already carries a
 * `traceparent` is left as it is. Returns the function that unsubscribes.
 */
export const traceUndici = (): (() => void) => {
  const tracing = activeTracing();
  if (!tracing) return () => undefined;
  const spans = new WeakMap<object, Span>();
  const onCreate = (m: unknown) => {
    const { request } = m as { request: UndiciRequest };
    let ctx = context.active();
    if (!trace.getSpanContext(ctx) || hasTraceparent(request.headers)) return;
    const parent = trace.getSpan(ctx);
    if (parent?.isRecording()) {
      const url = `${request.origin}${request.path}`;
      const span = tracing.tracer.startSpan(`${request.method}`, {
        kind: SpanKind.CLIENT,
        attributes: { 'http.request.method': request.method, 'url.full': url.split('?', 1)[0]!, 'server.address': new URL(request.origin).host },
      }, ctx);
      spans.set(request, span);
      ctx = trace.setSpan(ctx, span);
    }
    const carrier: Record<string, string> = {};
    propagation.inject(ctx, carrier);
    for (const [k, v] of Object.entries(carrier)) request.addHeader(k, v);
  };
  const onHeaders = (m: unknown) => {
    const { request, response } = m as { request: object; response: { statusCode: number } };
    const span = spans.get(request);
    if (!span) return;
    span.setAttribute('http.response.status_code', response.statusCode);
    if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  };
  const onEnd = (m: unknown) => {
    const { request } = m as { request: object };
    spans.get(request)?.end();
    spans.delete(request);
  };
  const onError = (m: unknown) => {
    const { request, error } = m as { request: object; error: Error };
    const span = spans.get(request);
    if (!span) return;
    endSpan(span, error);
    spans.delete(request);
  };
  const subs: Array<[string, (m: unknown) => void]> = [
    ['undici:request:create', onCreate], ['undici:request:headers', onHeaders],
    ['undici:request:trailers', onEnd], ['undici:request:error', onError],
  ];
  for (const [name, fn] of subs) subscribe(name, fn);
  return () => { for (const [name, fn] of subs) unsubscribe(name, fn); };
};
