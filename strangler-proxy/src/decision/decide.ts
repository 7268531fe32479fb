import { matchRoute } from '../routes/match-route.ts';
import type { RequestFacts, Route, RouteTable, Side } from '../routes/route-table.ts';
import { isMode, type FlagView, type Mode } from './mode.ts';

/** RFC 9110 idempotent methods: safe to send again after a failure. */
const idempotentMethods: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
export const isIdempotent = (method: string): boolean => idempotentMethods.has(method);

export const unmatchedRouteId = '(unmatched)';

/** Where one request goes; computed without I/O. */
export interface Decision {
  readonly route: Route | undefined;
  readonly routeId: string;
  /** The mode this request was handled in (a request outside a canary or shadow rollout is `legacy`). */
  readonly mode: Mode;
  /** Why: no route matched, the flag said so, or flag state is stale and the safe target applies. */
  readonly reason: 'unmatched' | 'flag' | 'stale';
  readonly primary: Side;
  readonly primaryTarget: string;
  /** Shadow mode: the service that gets a copy. */
  readonly mirrorTarget: string | undefined;
  /** Where to retry once if the service fails (idempotent request, route allows it). */
  readonly fallbackTarget: string | undefined;
  /** Time allowed for the backend's response head and between body chunks: the route's, else the table default. */
  readonly timeoutMs: number;
}

const toLegacy = (route: Route, mode: Mode, reason: Decision['reason'], mirrorTarget?: string): Decision => ({
  route, routeId: route.id, mode, reason, primary: 'legacy', primaryTarget: route.legacyTarget, mirrorTarget, fallbackTarget: undefined, timeoutMs: route.timeoutMs,
});

const toService = (route: Route, mode: Mode, reason: Decision['reason'], method: string): Decision => ({
  route, routeId: route.id, mode, reason, primary: 'service', primaryTarget: route.serviceTarget, mirrorTarget: undefined,
  fallbackTarget: route.fallbackToLegacy && isIdempotent(method) ? route.legacyTarget : undefined, timeoutMs: route.timeoutMs,
});

/** The route decision: `(request, flags, routeTable) → decision`. Pure; the unit test is a table. */
export const decide = (req: RequestFacts, flags: FlagView, table: RouteTable): Decision => {
  const route = matchRoute(req, table);
  if (!route) {
    return { route, routeId: unmatchedRouteId, mode: 'legacy', reason: 'unmatched', primary: 'legacy', primaryTarget: table.legacyTarget, mirrorTarget: undefined, fallbackTarget: undefined, timeoutMs: table.timeoutMs };
  }
  if (flags.stale) {
    return route.safe === 'service' ? toService(route, 'service', 'stale', req.method) : toLegacy(route, 'legacy', 'stale');
  }
  const e = flags.evaluate(route.flag, req.userId, req.sessionId);
  if (!e.enabled || !isMode(e.variant)) return toLegacy(route, 'legacy', 'flag');
  switch (e.variant) {
    case 'legacy':
      return toLegacy(route, 'legacy', 'flag');
    case 'shadow':
      return route.mirrorWrites || isIdempotent(req.method)
        ? toLegacy(route, 'shadow', 'flag', route.serviceTarget)
        : toLegacy(route, 'legacy', 'flag');
    case 'canary':
    case 'service':
      return toService(route, e.variant, 'flag', req.method);
  }
};
