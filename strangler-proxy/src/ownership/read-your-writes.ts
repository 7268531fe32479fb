import type { Side } from '../routes/route-table.ts';

/**
 * Read your own writes while reads and writes of a unit are served by different sides (the usual
 * first step: reads move before writes). After a user's write to a unit, that user's reads of the
 * unit go to the side that took the write until the CDC reports the write's position applied on
 * the other side (or `windowMs` passes): no read waits, and no read misses the user's own write.
 * Other users' reads follow the flag as before.
 */
export interface ReadYourWritesOptions {
  /** Longest a user's reads stay pinned after a write (covers the CDC being slow or unreachable). */
  windowMs: number;
  /** The CDC's answer to "position now" and "applied by this pipeline?" (undefined: unknown). */
  cdc?: {
    position(): Promise<string | undefined>;
    waitApplied(pipeline: string, position: string, maxWaitMs: number): Promise<boolean | undefined>;
  };
  now?: () => number;
  /** How long each pin lasted and how it ended (applied: the CDC confirmed; expired: the window ran out). */
  onUnpinned?: (unit: string, ms: number, how: 'applied' | 'expired') => void;
}

interface Pin { owner: Side; since: number; until: number }

export const createReadYourWrites = (o: ReadYourWritesOptions) => {
  const now = o.now ?? Date.now;
  const pins = new Map<string, Pin>();
  const key = (unit: string, user: string) => `${unit}\u0000${user}`;
  const end = (k: string, pin: Pin, how: 'applied' | 'expired') => {
    if (pins.get(k) !== pin) return;
    pins.delete(k);
    o.onUnpinned?.(k.split('\u0000')[0]!, now() - pin.since, how);
  };
  return {
    /**
     * A write of `unit` by `user` was answered by `owner`. `pipeline` is the CDC pipeline that
     * carries it to the other side (the write route's service domain, or `legacy`).
     */
    noteWrite(unit: string, user: string | undefined, owner: Side, pipeline: string): void {
      if (!user) return;
      const k = key(unit, user);
      const pin: Pin = { owner, since: now(), until: now() + o.windowMs };
      pins.set(k, pin);
      if (!o.cdc) return;
      const cdc = o.cdc;
      void (async () => {
        const position = await cdc.position();
        if (position === undefined) return; // the window bounds it
        const applied = await cdc.waitApplied(pipeline, position, Math.max(0, pin.until - now()));
        if (applied) end(k, pin, 'applied');
      })().catch(() => undefined);
    },
    /** The side a read of `unit` by `user` must go to, or undefined when the flag decides. */
    pinned(unit: string, user: string | undefined): Side | undefined {
      if (!user || pins.size === 0) return undefined;
      const k = key(unit, user);
      const pin = pins.get(k);
      if (!pin) return undefined;
      if (now() > pin.until) { end(k, pin, 'expired'); return undefined; }
      return pin.owner;
    },
    size: () => pins.size,
  };
};
export type ReadYourWrites = ReturnType<typeof createReadYourWrites>;
