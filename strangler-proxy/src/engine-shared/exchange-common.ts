import { userHeaderName, type Logger } from '@ficus/common/core';
import type { SessionIdentity } from '../auth/session-identity.ts';
import type { Decision } from '../decision/decide.ts';
import type { ProxyErrorCode } from '../errors/proxy-error-codes.ts';
import { cookieValue } from './request-identity.ts';
import { endProxySpan } from './proxy-tracing.ts';
import type { Span } from '@opentelemetry/api';
import type { ProxyMetrics, ServedSide } from '../metrics/proxy-metrics.ts';

// What both engines (node:http + undici, and the socket engine) do the same way for every exchange.

export const errorBody = (requestId: string, code: ProxyErrorCode, message: string) =>
  JSON.stringify({ error: { code, message, requestId } });

/** `x-ficus-served-by` (only with FICUS_PROXY_DEBUG_HEADER). */
export const servedByValue = (decision: Decision, side: ServedSide, fallback: string | undefined) =>
  `${side}; route=${decision.routeId}; mode=${decision.mode}${fallback ? `; fallback=${fallback}` : ''}`;

/**
 * A request a service will see (primary or shadow copy) first gets the signed identity of its
 * monolith session in `headers`. A cached session costs a Map lookup (and `go` runs at once);
 * an unknown one, one lookup.
 */
export const withServiceIdentity = (
  identity: SessionIdentity | undefined, sessionCookie: string, decision: Decision,
  cookie: string | undefined, headers: string[], go: () => void,
): void => {
  const session = identity && (decision.primary === 'service' || decision.mirrorTarget) ? cookieValue(cookie, sessionCookie) : undefined;
  if (!session) return go();
  const token = identity!.cached(session);
  if (token !== null) {
    if (token) headers.push(userHeaderName, token);
    return go();
  }
  void identity!.resolve(session, cookie!).then((t) => {
    if (t) headers.push(userHeaderName, t);
    go();
  });
};

export interface ExchangeOutcome {
  decision: Decision;
  requestId: string;
  method: string;
  url: string;
  started: number;
  side: ServedSide;
  status: number;
  fallback: string | undefined;
  error: string | undefined;
  clientGone: boolean;
  /** The exchange's span when tracing recorded it. */
  span?: Span | undefined;
}

/** Metrics for every exchange; its span's end when recorded; an access-log line for all of them or only failures and fallbacks. */
export const reportExchange = (metrics: ProxyMetrics, log: Logger, accessLog: 'all' | 'errors', x: ExchangeOutcome) => {
  const ms = performance.now() - x.started;
  metrics.observe(x.decision.routeId, x.side, x.status, ms / 1000);
  if (x.span) {
    const upstream = x.side === 'service' ? x.decision.primaryTarget : x.side === 'legacy' ? (x.fallback ? x.decision.fallbackTarget : x.decision.primaryTarget) : undefined;
    endProxySpan(x.span, { side: x.side, status: x.status, fallback: x.fallback, error: x.error, clientGone: x.clientGone, upstream });
  }
  if (accessLog === 'all' || x.status >= 500 || x.fallback || x.error) {
    log.info({
      requestId: x.requestId, method: x.method, path: x.url.split('?', 1)[0], route: x.decision.routeId, mode: x.decision.mode,
      reason: x.decision.reason, side: x.side, status: x.status, ms: Math.round(ms * 1000) / 1000, fallback: x.fallback, error: x.error, clientGone: x.clientGone || undefined,
    }, 'request');
  }
};
