// What tracing adds to one proxied request, measured in process (issue 20's bench, decision 0021):
// the exact per-request work of the socket engine's hot path with tracing off, unsampled and
// recorded, on one thread, so the figure is not lost in the ±10 % run-to-run swing of a loopback
// throughput measurement on a small machine. Used by `./ficus bench proxy --tracing`.
import { randomUUID } from 'node:crypto';
import { startTracing } from '@ficus/common/tracing';
import { createProxyTracing, endProxySpan, type Traced } from '../engine-shared/proxy-tracing.ts';
import { forwardedLines, parseRequestHead } from '../socket-engine/http1-head.ts';
import type { Decision } from '../decision/decide.ts';

export interface TracingCost {
  /** ns per request: the head's `traceparent` look-up, the decision, a new unsampled `traceparent`, the longer header block. */
  unsampledNs: number;
  /** ns per request when it is recorded: the span, its attributes and end, its export (OTLP/HTTP to `otlpUrl`, flushed in the timing). */
  recordedNs: number;
}

const wrkHead = Buffer.from('GET /bench/x HTTP/1.1\r\nHost: 127.0.0.1:8180\r\n\r\n');

/**
 * Median over `rounds` of the extra nanoseconds per request (tracing on minus off, interleaved),
 * unsampled and recorded. `otlpUrl`: where recorded spans go (any endpoint answering 200).
 */
export const measureTracingCost = async (otlpUrl: string, o: { requests?: number; rounds?: number } = {}): Promise<TracingCost> => {
  const requests = o.requests ?? 20_000;
  const rounds = o.rounds ?? 7;
  const head = parseRequestHead(wrkHead, wrkHead.length - 4);
  if (typeof head === 'string') throw new Error(`bench head refused: ${head}`);
  const decision = { routeId: 'bench-1k', mode: 'legacy', mirrorTarget: undefined } as unknown as Decision;
  const tracing = startTracing({ enabled: true, serviceName: 'tracing-cost-bench', tracesUrl: otlpUrl, sampleRatio: 1 }, { callerSamples: true })!;
  let sink = 0;
  /** One request's tracing work as the socket engine does it (exchange.ts), `begin` to `end`. */
  const pass = (t: ReturnType<typeof createProxyTracing> | undefined) => {
    const x: Traced = { span: undefined, traceparent: undefined };
    const requestId = randomUUID();
    if (t) { const tp = head.header('traceparent'); t.begin(x, tp, tp === undefined ? undefined : head.header('tracestate'), head.method, head.url, decision, requestId); }
    sink += forwardedLines(head, requestId, '127.0.0.1', x.traceparent).length;
    if (x.span) endProxySpan(x.span, { side: 'legacy', status: 200, fallback: undefined, error: undefined, clientGone: false, upstream: '127.0.0.1:1' });
  };
  const time = async (t: ReturnType<typeof createProxyTracing> | undefined, flush: boolean) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < requests; i++) pass(t);
    if (flush) await tracing.processor.forceFlush();
    return Number(process.hrtime.bigint() - start) / requests;
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  try {
    const unsampled = createProxyTracing(tracing.tracer, 0);
    const recorded = createProxyTracing(tracing.tracer, 1);
    for (const t of [undefined, unsampled, recorded]) await time(t, t === recorded); // warm the JIT
    const u: number[] = [];
    const r: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const off = await time(undefined, false);
      u.push((await time(unsampled, false)) - off);
      r.push((await time(recorded, true)) - (await time(undefined, false)));
    }
    if (sink === 0) throw new Error('nothing measured');
    return { unsampledNs: median(u), recordedNs: median(r) };
  } finally {
    await tracing.shutdown();
  }
};
