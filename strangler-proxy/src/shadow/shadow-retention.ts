// Keeps the shadow store bounded: every replica prunes mismatch records on a timer (idempotent
// deletes), by age and by count. Counters and field counts are never pruned (they are small).
import type { Logger } from '@ficus/common';
import type { ShadowStore } from './shadow-store-type.ts';

export interface ShadowRetention { maxAgeMs: number; maxRows: number; intervalMs: number }

/** Runs one prune now and then every `intervalMs`; `stop()` waits for a prune in progress. */
export const startShadowRetention = (store: ShadowStore, r: ShadowRetention, log: Logger, now: () => number = Date.now) => {
  let running: Promise<void> | undefined;
  let failing = false;
  const pruneOnce = async () => {
    try {
      const deleted = await store.prune({ ...(r.maxAgeMs > 0 ? { olderThan: new Date(now() - r.maxAgeMs) } : {}), keep: r.maxRows });
      if (deleted) log.info({ deleted, maxAgeMs: r.maxAgeMs, maxRows: r.maxRows }, 'shadow retention: old mismatch records deleted');
      if (failing) log.info('shadow retention: the store answers again');
      failing = false;
    } catch (e) {
      // one warning per outage, not one per tick; results keep being written as the store allows
      if (!failing) log.warn({ err: (e as Error).message }, 'shadow retention: pruning failed (retried on the next tick)');
      failing = true;
    }
  };
  const tick = () => { running ??= pruneOnce().finally(() => { running = undefined; }); };
  tick();
  const timer = setInterval(tick, r.intervalMs);
  timer.unref();
  return {
    /** The prune in progress, if any (tests). */
    settled: () => running ?? Promise.resolve(),
    async stop() { clearInterval(timer); await running; },
  };
};
