import { FicusError } from '../errors/ficus-error.ts';
import { defaultOwnership, holdTransition, releaseTransition, type OwnerSide, type OwnershipPort, type ProxyReport, type UnitOwnership } from './ownership-types.ts';

/** In-memory ownership store for unit tests (same transitions as the MariaDB one). */
export const createFakeOwnershipStore = (now: () => number = Date.now) => {
  const units = new Map<string, UnitOwnership>();
  const reports = new Map<string, ProxyReport>();
  const history: UnitOwnership[] = [];
  const apply = (cur: UnitOwnership, next: ReturnType<typeof holdTransition>) => {
    if (next === 'unchanged') return cur;
    if ('code' in next) throw new FicusError(next.code, next.message, { status: 409 });
    units.set(next.unit, next);
    history.push(next);
    return next;
  };
  const port: OwnershipPort & { report(r: ProxyReport): void; history: UnitOwnership[]; set(u: UnitOwnership): void } = {
    get: async (unit) => units.get(unit) ?? defaultOwnership(unit),
    hold: async (unit, from: OwnerSide, holdMs, by) => apply(units.get(unit) ?? defaultOwnership(unit), holdTransition(units.get(unit) ?? defaultOwnership(unit), from, holdMs, by, now())),
    release: async (unit, owner: OwnerSide, by) => apply(units.get(unit) ?? defaultOwnership(unit), releaseTransition(units.get(unit) ?? defaultOwnership(unit), owner, by, now())),
    proxies: async () => [...reports.values()],
    report: (r) => { reports.set(r.proxyId, r); },
    history,
    set: (u) => { units.set(u.unit, u); },
  };
  return port;
};
