import { matchRoute } from '../routes/match-route.ts';
import type { RequestFacts, Route, RouteTable, Side } from '../routes/route-table.ts';
import { isMode, type FlagView, type Mode } from './mode.ts';

/** RFC 9110 idempotent methods: safe to send again after a failure. */
const idempotentMethods: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
export const isIdempotent = (method: string): boolean => idempotentMethods.has(method);

/** Methods that only read: they follow the route's flag. Every other method writes. */
const readMethods: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);
export const isWrite = (method: string): boolean => !readMethods.has(method);
/** The route takes writes (some method of it, or any method). */
export const routeWrites = (route: Pick<Route, 'methods'>): boolean => !route.methods || [...route.methods].some(isWrite);
/** The route takes only writes. */
export const routeOnlyWrites = (route: Pick<Route, 'methods'>): boolean => route.methods !== undefined && [...route.methods].every(isWrite);

export const unmatchedRouteId = '(unmatched)';

/** Who owns each ownership unit, as the proxy last read it (docs/components/write-ownership.md). */
export interface OwnerView {
  /** The owning side; legacy for a unit never switched. */
  owner(unit: string): Side;
  /** The side this user's reads of the unit must go to for now (read your own writes), if any. */
  pinned?(unit: string, user: string | undefined): Side | undefined;
}

/** Where one request goes; computed without I/O. */
export interface Decision {
  readonly route: Route | undefined;
  readonly routeId: string;
  /** The mode this request was handled in (a request outside a canary or shadow rollout is `legacy`). */
  readonly mode: Mode;
  /** Why: no route matched, the flag said so, or flag state is stale and the safe target applies. */
  readonly reason: 'unmatched' | 'flag' | 'stale' | 'ownership' | 'read-your-writes';
  /** A write of an ownership unit: served by the unit's owner, held during a switch. */
  readonly writeUnit: string | undefined;
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
  route, routeId: route.id, mode, reason, writeUnit: undefined, primary: 'legacy', primaryTarget: route.legacyTarget, mirrorTarget, fallbackTarget: undefined, timeoutMs: route.timeoutMs,
});

const toService = (route: Route, mode: Mode, reason: Decision['reason'], method: string): Decision => ({
  route, routeId: route.id, mode, reason, writeUnit: undefined, primary: 'service', primaryTarget: route.serviceTarget, mirrorTarget: undefined,
  fallbackTarget: route.fallbackToLegacy && isIdempotent(method) ? route.legacyTarget : undefined, timeoutMs: route.timeoutMs,
});

const legacyOwners: OwnerView = { owner: () => 'legacy' };

/**
 * The route decision: `(request, flags, routeTable, owners) → decision`. Pure; the unit test is a
 * table. A write of an ownership unit goes to the unit's owner whatever the flag says (never
 * mirrored, never retried on the other side); reads follow the flag.
 */
export const decide = (req: RequestFacts, flags: FlagView, table: RouteTable, owners: OwnerView = legacyOwners): Decision => {
  const route = matchRoute(req, table);
  if (!route) {
    return { route, routeId: unmatchedRouteId, mode: 'legacy', reason: 'unmatched', writeUnit: undefined, primary: 'legacy', primaryTarget: table.legacyTarget, mirrorTarget: undefined, fallbackTarget: undefined, timeoutMs: table.timeoutMs };
  }
  if (route.unit && isWrite(req.method)) {
    const owner = owners.owner(route.unit);
    const byFlag = flagDecision(req, flags, route);
    const reason = byFlag.primary === owner && !byFlag.mirrorTarget ? byFlag.reason : 'ownership';
    const mode: Mode = owner === 'service' ? 'service' : 'legacy';
    return owner === 'service'
      ? { ...toService(route, mode, reason, req.method), fallbackTarget: undefined, writeUnit: route.unit }
      : { ...toLegacy(route, mode, reason), writeUnit: route.unit };
  }
  const byFlag = flagDecision(req, flags, route);
  if (route.unit && owners.pinned) {
    // the user wrote to this unit a moment ago: read where the write landed until the sync has it
    const pin = owners.pinned(route.unit, req.userId ?? req.sessionId);
    if (pin && (pin !== byFlag.primary || byFlag.mirrorTarget)) {
      return pin === 'service' ? { ...toService(route, 'service', 'read-your-writes', req.method), fallbackTarget: undefined } : toLegacy(route, 'legacy', 'read-your-writes');
    }
  }
  return byFlag;
};

const flagDecision = (req: RequestFacts, flags: FlagView, route: Route): Decision => {
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
