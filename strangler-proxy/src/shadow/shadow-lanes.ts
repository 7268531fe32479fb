/** Something a lane runs; resolves when its slot may be given back. */
export type LaneJob = () => Promise<void>;

export interface LaneLimits {
  maxConcurrency: number;
  maxQueue: number;
}

export type Admission = 'started' | 'queued' | 'shed';

/**
 * Bounded work per route: at most `maxConcurrency` jobs run per route and `globalMax` overall;
 * up to `maxQueue` wait per route; anything beyond is shed (the caller counts it). Never grows
 * without bound, never blocks the caller.
 */
export const createShadowLanes = (globalMax: number) => {
  interface Lane { active: number; queue: LaneJob[]; limits: LaneLimits }
  const lanes = new Map<string, Lane>();
  let active = 0;
  let closed = false;
  const idle: Array<() => void> = [];

  const run = (lane: Lane, job: LaneJob) => {
    lane.active++;
    active++;
    const done = () => {
      lane.active--;
      active--;
      pump(lane);
      if (active === 0) for (const r of idle.splice(0)) r();
    };
    job().then(done, done);
  };

  const pump = (first: Lane) => {
    if (closed) return;
    const order = [first, ...[...lanes.values()].filter((l) => l !== first)];
    for (const lane of order) {
      while (lane.queue.length && lane.active < lane.limits.maxConcurrency && active < globalMax) run(lane, lane.queue.shift()!);
      if (active >= globalMax) return;
    }
  };

  return {
    admit(route: string, limits: LaneLimits, job: LaneJob): Admission {
      if (closed) return 'shed';
      let lane = lanes.get(route);
      if (!lane) { lane = { active: 0, queue: [], limits }; lanes.set(route, lane); }
      if (lane.active < limits.maxConcurrency && active < globalMax) { run(lane, job); return 'started'; }
      if (lane.queue.length < limits.maxQueue) { lane.queue.push(job); return 'queued'; }
      return 'shed';
    },
    queued: (route: string) => lanes.get(route)?.queue.length ?? 0,
    running: (route: string) => lanes.get(route)?.active ?? 0,
    routes: () => [...lanes.keys()],
    active: () => active,
    /** Drops what waits (returns how many) and resolves once running jobs finish or `timeoutMs` passes. */
    async close(timeoutMs: number): Promise<number> {
      closed = true;
      let dropped = 0;
      for (const lane of lanes.values()) { dropped += lane.queue.length; lane.queue.length = 0; }
      if (active > 0) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, timeoutMs);
          t.unref();
          idle.push(() => { clearTimeout(t); resolve(); });
        });
      }
      return dropped;
    },
  };
};
export type ShadowLanes = ReturnType<typeof createShadowLanes>;
