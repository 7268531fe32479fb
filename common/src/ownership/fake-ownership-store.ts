import { FicusError } from '../errors/ficus-error.ts';
import { defaultOwnership, holdTransition, releaseTransition, type OwnerSide, type OwnershipPort, type ProxyReport, type UnitOwnership } from './ownership-types.ts';

/** In-memory ownership store for unit tests (same transitions as the MariaDB one). */
export const createFakeOwnershipStore = (now: () => number = Date.now) => {
  const units = new Map<string, UnitOwnership>();
  const reports = new Map<string, ProxyReport>();
  const history: UnitOwnership[] = [];
  const current = (unit: string) => units.get(unit) ?? defaultOwnership(unit);
  const apply = (cur: UnitOwnership, next: ReturnType<typeof holdTransition>) => {
    if (next === 'unchanged') return cur;
    if ('code' in next) throw new FicusError(next.code, next.message, { status: 409 });
    units.set(next.unit, next);
    history.push(next);
    return next;
  };
  const port: OwnershipPort & { report(r: ProxyReport): void; history: UnitOwnership[]; set(u: UnitOwnership): void } = {
    get: async (unit) => current(unit),
    hold: async (unit, from: OwnerSide, holdMs, by) => apply(current(unit), holdTransition(current(unit), from, holdMs, by, now())),
    release: async (unit, owner: OwnerSide, by) => apply(current(unit), releaseTransition(current(unit), owner, by, now())),
    proxies: async () => [...reports.values()],
    report: (r) => { reports.set(r.proxyId, r); },
    history,
    set: (u) => { units.set(u.unit, u); },
  };
  return port;
};
