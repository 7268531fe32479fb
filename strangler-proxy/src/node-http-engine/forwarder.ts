import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import type { Span } from '@opentelemetry/api';
import type { Dispatcher } from 'undici';
import type { Logger } from '@ficus/common/core';
import type { Decision } from '../decision/decide.ts';
import type { ProxyErrorCode } from '../errors/proxy-error-codes.ts';
import { proxyErrorCodes } from '../errors/proxy-error-codes.ts';
import type { FallbackReason, ProxyMetrics, ServedSide } from '../metrics/proxy-metrics.ts';
import type { PrimaryTap, ShadowSink } from '../shadow/shadow-sink.ts';
import type { CircuitBreaker } from '../engine-shared/circuit-breaker.ts';
import { errorBody, reportExchange, servedByValue } from '../engine-shared/exchange-common.ts';
import { clientResponseHeaders } from '../engine-shared/hop-by-hop.ts';
import type { Upstreams } from '../engine-shared/upstreams.ts';

/** One client request on its way through the proxy. */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly decision: Decision;
  readonly requestId: string;
  readonly method: string;
  /** Path and query as the client sent them. */
  readonly url: string;
  readonly headers: string[];
  readonly started: number;
  /** null: no body; Buffer: read whole (replayable); undefined: streamed, not yet claimed. */
  body: Buffer | null | undefined;
  served: ServedSide;
  fallback: string | undefined;
  error: string | undefined;
  clientGone: boolean;
  abortUpstream: ((err: Error) => void) | undefined;
  /** Shadow mode: sees the primary's response for comparison (copies up to a bound, never holds it back). */
  primaryTap: PrimaryTap | undefined;
  /** The proxy's span when tracing records the request; the `traceparent` it sent (engine-shared/proxy-tracing.ts). */
  span: Span | undefined;
  traceparent: string | undefined;
}

export interface ForwarderOptions {
  upstreams: Upstreams;
  shadow: ShadowSink;
  metrics: ProxyMetrics;
  log: Logger;
  debugHeader: boolean;
  accessLog: 'all' | 'errors';
}

class ClientGone extends Error {
  override name = 'ClientGone';
}
class RetryOnLegacy extends Error {
  override name = 'RetryOnLegacy';
}

/**
 * Streams one exchange to a backend with undici's dispatch API (no intermediate streams), falls
 * back to legacy once when the service fails an idempotent request, and answers JSON 502/504 when
 * nothing can serve. See docs/decisions/0003-proxy-hot-path.md for why this shape.
 */
export const createForwarder = (o: ForwarderOptions) => {
  const fail = (ex: Exchange, code: ProxyErrorCode, message: string) => {
    ex.error ??= code;
    ex.primaryTap?.fail(code);
    ex.primaryTap = undefined;
    if (ex.clientGone) return;
    if (ex.res.headersSent) { ex.res.destroy(); return; }
    const body = errorBody(ex.requestId, code, message);
    ex.res.writeHead(proxyErrorCodes[code].status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
      'x-request-id': ex.requestId,
    });
    ex.res.end(body);
  };

  const failFromError = (ex: Exchange, err: Error & { code?: string }) => {
    if (err.code === 'UND_ERR_HEADERS_TIMEOUT') return fail(ex, 'PROXY_UPSTREAM_TIMEOUT', 'the backend did not answer in time');
    return fail(ex, 'PROXY_UPSTREAM_UNAVAILABLE', 'no backend could answer');
  };

  /** One try against one backend. */
  class Attempt implements Dispatcher.DispatchHandler {
    readonly ex: Exchange;
    readonly side: ServedSide;
    readonly breaker: CircuitBreaker | undefined;
    readonly fallbackTarget: string | undefined;
    headWritten = false;
    retrying = false;
    controller: Dispatcher.DispatchController | undefined;
    readonly onDrain = () => this.controller?.resume();

    constructor(ex: Exchange, side: ServedSide, breaker: CircuitBreaker | undefined, fallbackTarget: string | undefined) {
      this.ex = ex;
      this.side = side;
      this.breaker = breaker;
      this.fallbackTarget = fallbackTarget;
    }

    onRequestStart(controller: Dispatcher.DispatchController): void {
      this.controller = controller;
      if (this.ex.clientGone) { controller.abort(new ClientGone('client closed the connection')); return; }
      this.ex.abortUpstream = (err) => controller.abort(err);
    }

    onResponseStart(controller: Dispatcher.DispatchController, status: number, headers: IncomingHttpHeaders, statusMessage?: string): void {
      if (status < 200) return; // 1xx: Node already answered 100-continue to the client
      const ex = this.ex;
      if (status >= 500) {
        this.breaker?.failure();
        if (this.fallbackTarget && !ex.clientGone) {
          this.retrying = true;
          controller.abort(new RetryOnLegacy(`service answered ${status}`));
          return;
        }
      } else {
        this.breaker?.success();
      }
      ex.served = this.side;
      ex.primaryTap?.head(status, headers);
      const out = clientResponseHeaders(headers);
      if (o.debugHeader) out.push('x-ficus-served-by', servedByValue(ex.decision, this.side, ex.fallback));
      // Left to itself Node adds `Keep-Alive: timeout=…`, a header the backend never sent (and a
      // deprecated one: REDbot notes it). Naming the connection's fate ourselves keeps it out.
      out.push('connection', ex.res.shouldKeepAlive ? 'keep-alive' : 'close');
      try {
        if (statusMessage) ex.res.writeHead(status, statusMessage, out);
        else ex.res.writeHead(status, out);
      } catch (e) {
        controller.abort(e as Error);
        return;
      }
      this.headWritten = true;
    }

    onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
      if (!this.headWritten) return;
      this.ex.primaryTap?.data(chunk);
      if (!this.ex.res.write(chunk)) {
        controller.pause();
        this.ex.res.once('drain', this.onDrain);
      }
    }

    onResponseEnd(): void {
      this.ex.abortUpstream = undefined;
      this.ex.primaryTap?.end();
      if (this.headWritten) this.ex.res.end();
    }

    onResponseError(_controller: Dispatcher.DispatchController, err: Error & { code?: string }): void {
      const ex = this.ex;
      ex.abortUpstream = undefined;
      ex.primaryTap?.fail(err.code ?? err.name);
      if (err instanceof ClientGone) return;
      if (this.retrying) return fallBack(ex, this.fallbackTarget!, 'service-5xx');
      if (this.headWritten) {
        // Mid-body failure: the status is already out; cut the connection so the client sees it.
        ex.error = err.code ?? err.name;
        ex.res.destroy(err);
        return;
      }
      if (err.name === 'InvalidArgumentError' || (err as { code?: string }).code === 'ERR_INVALID_CHAR' || (err as { code?: string }).code === 'ERR_HTTP_INVALID_STATUS_CODE') {
        return fail(ex, 'PROXY_BAD_UPSTREAM_RESPONSE', 'the backend answered with a response the proxy cannot relay');
      }
      this.breaker?.failure();
      ex.error = err.code ?? err.name;
      if (this.fallbackTarget && !ex.clientGone) {
        return fallBack(ex, this.fallbackTarget, err.code === 'UND_ERR_HEADERS_TIMEOUT' ? 'service-timeout' : 'service-error');
      }
      failFromError(ex, err);
    }
  }

  const dispatch = (ex: Exchange, target: string, side: ServedSide, breaker: CircuitBreaker | undefined, fallbackTarget: string | undefined) => {
    let body: Dispatcher.DispatchOptions['body'];
    if (ex.body === undefined) {
      // Streamed once; undici destroys the body it was given on failure, so it gets a PassThrough
      // instead of the client's socket stream (the client still gets its 502).
      body = ex.req.pipe(new PassThrough());
      ex.body = null;
    } else {
      body = ex.body;
    }
    const timeout = ex.decision.timeoutMs;
    o.upstreams.get(target).dispatch({
      path: ex.url,
      method: ex.method as Dispatcher.HttpMethod,
      headers: ex.headers,
      body,
      headersTimeout: timeout,
      bodyTimeout: timeout,
    }, new Attempt(ex, side, breaker, fallbackTarget));
  };

  const fallBack = (ex: Exchange, legacyTarget: string, reason: FallbackReason) => {
    ex.fallback = reason;
    o.metrics.fallback(ex.decision.routeId, reason);
    dispatch(ex, legacyTarget, 'legacy', undefined, undefined);
  };

  // The shadow seam: the sink decides (write safety, sampling, bounded lanes) and counts.
  const mirror = (ex: Exchange, target: string) => {
    ex.primaryTap = o.shadow.offer({
      routeId: ex.decision.routeId, requestId: ex.requestId, target, legacyTarget: ex.decision.primaryTarget,
      method: ex.method, url: ex.url, headers: ex.headers, body: ex.body,
    });
  };

  const finish = (ex: Exchange) => {
    reportExchange(o.metrics, o.log, o.accessLog, {
      decision: ex.decision, requestId: ex.requestId, method: ex.method, url: ex.url, started: ex.started, side: ex.served,
      status: ex.clientGone && !ex.res.headersSent ? 499 : ex.res.statusCode, fallback: ex.fallback, error: ex.error, clientGone: ex.clientGone,
      span: ex.span,
    });
  };

  return {
    /** Sends the exchange to its primary (after the body is read when it is replayable). */
    start(ex: Exchange): void {
      ex.res.once('close', () => {
        if (!ex.res.writableFinished) {
          ex.clientGone = true;
          ex.abortUpstream?.(new ClientGone('client closed the connection'));
        }
        finish(ex);
      });
      const d = ex.decision;
      if (d.mirrorTarget) mirror(ex, d.mirrorTarget);
      if (d.primary === 'service') {
        const breaker = o.upstreams.breaker(d.primaryTarget);
        const fallbackTarget = ex.body === undefined ? undefined : d.fallbackTarget;
        if (!breaker.allow()) {
          if (fallbackTarget) return fallBack(ex, fallbackTarget, 'circuit-open');
          ex.error = 'PROXY_CIRCUIT_OPEN';
          return fail(ex, 'PROXY_CIRCUIT_OPEN', 'the service is failing and this request cannot go to legacy');
        }
        return dispatch(ex, d.primaryTarget, 'service', breaker, fallbackTarget);
      }
      dispatch(ex, d.primaryTarget, 'legacy', undefined, undefined);
    },
    fail,
  };
};
export type Forwarder = ReturnType<typeof createForwarder>;
