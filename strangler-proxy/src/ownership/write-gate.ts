import type { OwnerSide, UnitOwnership } from '@ficus/common/core';
import type { OwnerView } from '../decision/decide.ts';

/**
 * Admits the writes of ownership units (docs/components/write-ownership.md). A write goes on at once
 * while its unit is steady and the proxy's view of ownership is fresh; while the unit is held by a
 * switch (or the view is unknown or stale) it waits, bounded, and then goes to the owner of that
 * moment, or is refused with a retriable 503 and nothing written. Counts each unit's writes in
 * flight, which the switch waits to reach zero before it reads the owner's position.
 */
export interface WriteGateOptions {
  /** Longest a write waits for a hold to end (or for ownership to be known). */
  maxWaitMs: number;
  /** After this long without a successful read of ownership, writes wait as if held. */
  staleMs: number;
  now?: () => number;
  onWaited?: (unit: string, waitedMs: number, outcome: 'released' | 'refused') => void;
}

export type Refusal = 'held' | 'unknown';

interface Waiter { unit: string; since: number; go: (leave: () => void) => void; refuse: (why: Refusal) => void; timer: ReturnType<typeof setTimeout> | undefined }

export const createWriteGate = (o: WriteGateOptions) => {
  const now = o.now ?? Date.now;
  const units = new Map<string, UnitOwnership>();
  const inflight = new Map<string, number>();
  const waiting = new Set<Waiter>();
  let lastRead = -Infinity;
  let drained: ((unit: string) => void) | undefined;

  const fresh = () => now() - lastRead <= o.staleMs;
  // a hold ends by its own deadline too (the switch that set it may have died): then the owner on
  // record, which that switch did not change, takes the writes
  const holding = (u: UnitOwnership | undefined) => u?.state === 'holding' && (u.holdUntil === null || u.holdUntil > now());
  const open = (unit: string) => fresh() && !holding(units.get(unit));

  const enter = (unit: string): (() => void) => {
    inflight.set(unit, (inflight.get(unit) ?? 0) + 1);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const n = (inflight.get(unit) ?? 1) - 1;
      inflight.set(unit, n);
      // the switch waits for this: say so now rather than at the next poll
      if (n === 0 && holding(units.get(unit))) drained?.(unit);
    };
  };

  const finishWait = (w: Waiter, outcome: 'released' | 'refused', why?: Refusal) => {
    if (!waiting.delete(w)) return;
    if (w.timer) clearTimeout(w.timer);
    o.onWaited?.(w.unit, now() - w.since, outcome);
    if (outcome === 'released') w.go(enter(w.unit));
    else w.refuse(why!);
  };

  const releaseOpen = () => {
    for (const w of [...waiting]) if (open(w.unit)) finishWait(w, 'released');
  };

  const view: OwnerView & {
    admit(unit: string, go: (leave: () => void) => void, refuse: (why: Refusal) => void): void;
    update(all: readonly UnitOwnership[]): void;
    seen(): Record<string, number>;
    inflight(): Record<string, number>;
    holding(): string[];
    waiting(): number;
    state(unit: string): UnitOwnership | undefined;
    close(): void;
    /** Called when the last write of a held unit leaves (the follower reports at once). */
    onDrained(cb: (unit: string) => void): void;
  } = {
    onDrained: (cb) => { drained = cb; },
    owner: (unit: string): OwnerSide => units.get(unit)?.owner ?? 'legacy',
    state: (unit) => units.get(unit),
    admit(unit, go, refuse) {
      if (open(unit)) return go(enter(unit));
      const w: Waiter = { unit, since: now(), go, refuse, timer: undefined };
      waiting.add(w);
      const latest = now() + o.maxWaitMs;
      // a hold ends by its own deadline too (the switch that set it may have died): wake up then,
      // and again if the timer fired a little early (timers and the wall clock differ by a ms or so)
      const arm = () => {
        const held = units.get(unit);
        const until = Math.min(latest, holding(held) && held!.holdUntil !== null ? held!.holdUntil + 1 : Infinity);
        w.timer = setTimeout(() => {
          if (open(unit)) return finishWait(w, 'released');
          const h = units.get(unit);
          if (fresh() && holding(h) && h!.holdUntil !== null && h!.holdUntil < latest) return arm();
          finishWait(w, 'refused', fresh() ? 'held' : 'unknown');
        }, Math.max(0, until - now()));
        w.timer.unref?.();
      };
      arm();
    },
    /** A successful read of every unit's ownership. */
    update(all) {
      lastRead = now();
      const present = new Set<string>();
      for (const u of all) {
        present.add(u.unit);
        units.set(u.unit, u);
      }
      for (const k of [...units.keys()]) if (!present.has(k)) units.delete(k);
      releaseOpen();
    },
    seen: () => Object.fromEntries(fresh() ? [...units.values()].map((u) => [u.unit, u.version]) : []),
    inflight: () => Object.fromEntries([...inflight].filter(([, n]) => n > 0)),
    holding: () => [...units.values()].filter(holding).map((u) => u.unit),
    waiting: () => waiting.size,
    close() { for (const w of [...waiting]) finishWait(w, 'refused', 'held'); },
  };
  return view;
};
export type WriteGate = ReturnType<typeof createWriteGate>;
