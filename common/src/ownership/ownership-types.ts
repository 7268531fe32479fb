/**
 * Write ownership (docs/components/write-ownership.md): every table belongs to one ownership unit,
 * and each unit has exactly one owning side at a time. Only the owner's side writes the unit's
 * tables; the sync runs from the owner to the other side. Pure types and rules, no I/O.
 */
export type OwnerSide = 'legacy' | 'service';
/** `steady`: writes go to the owner. `holding`: a switch is in progress and the unit's writes wait at the proxy. */
export type UnitState = 'steady' | 'holding';

export interface UnitOwnership {
  readonly unit: string;
  readonly owner: OwnerSide;
  readonly state: UnitState;
  /** Grows by one at every change of owner or state; proxies acknowledge the version they follow. */
  readonly version: number;
  /** While holding: the time after which the proxies stop holding and answer 503 (ms since epoch). */
  readonly holdUntil: number | null;
  /** Who asked for the current state (a migration workflow, an operator). */
  readonly by: string;
  readonly updatedAt: number;
}

/** A unit nobody switched yet is owned by legacy: the monolith wrote everything before Ficus. */
export const defaultOwnership = (unit: string): UnitOwnership => ({ unit, owner: 'legacy', state: 'steady', version: 0, holdUntil: null, by: 'default', updatedAt: 0 });

/** What one proxy replica last reported: the versions it follows and its in-flight writes per unit. */
export interface ProxyReport {
  readonly proxyId: string;
  readonly seen: Readonly<Record<string, number>>;
  readonly inflight: Readonly<Record<string, number>>;
  readonly heartbeatAt: number;
}

/**
 * Whether every live proxy follows `version` of `unit` with no write of it in flight: then no write
 * to the old owner can still land. A proxy silent for longer than `liveMs` has stopped serving the
 * unit's writes by itself (its view is stale after `staleMs` < `liveMs`), so it does not count.
 */
export const proxiesQuiet = (reports: readonly ProxyReport[], unit: string, version: number, now: number, liveMs: number): { quiet: boolean; waitingFor: string[] } => {
  const waitingFor = reports
    .filter((r) => now - r.heartbeatAt <= liveMs)
    .filter((r) => (r.seen[unit] ?? -1) < version || (r.inflight[unit] ?? 0) > 0)
    .map((r) => r.proxyId);
  return { quiet: waitingFor.length === 0, waitingFor };
};

/** What a switch may ask of the ownership store. */
export interface OwnershipPort {
  get(unit: string): Promise<UnitOwnership>;
  hold(unit: string, from: OwnerSide, holdMs: number, by: string): Promise<UnitOwnership>;
  release(unit: string, owner: OwnerSide, by: string, note: string): Promise<UnitOwnership>;
  proxies(): Promise<ProxyReport[]>;
}

/** A refused transition: its stable code and message (the store throws it as a FicusError). */
export interface TransitionRefusal { code: 'OWNERSHIP_SWITCH_IN_PROGRESS' | 'OWNERSHIP_NOT_OWNER' | 'OWNERSHIP_NOT_HELD'; message: string }

/**
 * The hold transition, pure: the same `by` holding already is the same hold (a retried call);
 * another switch's hold, or a unit not owned by `from`, is refused.
 */
export const holdTransition = (cur: UnitOwnership, from: OwnerSide, holdMs: number, by: string, now: number): UnitOwnership | 'unchanged' | TransitionRefusal => {
  if (cur.state === 'holding' && cur.by === by && cur.owner === from) return 'unchanged';
  if (cur.state === 'holding') return { code: 'OWNERSHIP_SWITCH_IN_PROGRESS', message: `unit ${cur.unit} is held by ${cur.by}` };
  if (cur.owner !== from) return { code: 'OWNERSHIP_NOT_OWNER', message: `unit ${cur.unit} is owned by ${cur.owner}, not ${from}` };
  return { unit: cur.unit, owner: from, state: 'holding', version: cur.version + 1, holdUntil: now + holdMs, by, updatedAt: now };
};

/** The end of a hold, pure: the owner becomes `owner` (switched, or reverted). Only the holder may end it; ending twice is a no-op. */
export const releaseTransition = (cur: UnitOwnership, owner: OwnerSide, by: string, now: number): UnitOwnership | 'unchanged' | TransitionRefusal => {
  if (cur.state === 'steady' && cur.owner === owner) return 'unchanged';
  if (cur.state === 'holding' && cur.by !== by) return { code: 'OWNERSHIP_SWITCH_IN_PROGRESS', message: `unit ${cur.unit} is held by ${cur.by}` };
  if (cur.state === 'steady') return { code: 'OWNERSHIP_NOT_HELD', message: `unit ${cur.unit} is not held: its writes were not stopped, so its owner cannot change` };
  return { unit: cur.unit, owner, state: 'steady', version: cur.version + 1, holdUntil: null, by, updatedAt: now };
};

export const otherSide = (s: OwnerSide): OwnerSide => (s === 'legacy' ? 'service' : 'legacy');
