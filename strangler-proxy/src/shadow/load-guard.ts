import { performance, type EventLoopUtilization } from 'node:perf_hooks';

export interface LoadGuardOptions {
  /** Event-loop utilisation (0–1) from which shadow copies start being shed; 1 turns the guard off. */
  from: number;
  /** Above `from + ramp` every copy is shed; in between, a share that grows linearly. */
  ramp?: number;
  /** How often utilisation is sampled (ms). */
  windowMs?: number;
  /** Reads utilisation since a previous reading (tests inject their own). */
  utilization?: (previous: EventLoopUtilization | undefined) => { elu: EventLoopUtilization; value: number };
  random?: () => number;
}

const measure = (previous: EventLoopUtilization | undefined) => {
  const elu = performance.eventLoopUtilization();
  return { elu, value: previous ? performance.eventLoopUtilization(elu, previous).utilization : 0 };
};

/**
 * Keeps the shadow from taking the primary's CPU: the proxy is one event loop, and a mirrored copy
 * (a second upstream request, the tap, the comparison) costs it about as much as the primary. When
 * the loop's utilisation over the last window passes `from`, a growing share of new copies is shed
 * (counted as `shed`), all of them past `from + ramp`; below it, nothing is.
 */
export const createLoadGuard = (o: LoadGuardOptions) => {
  const ramp = o.ramp ?? 0.15;
  const read = o.utilization ?? measure;
  const random = o.random ?? Math.random;
  let last = read(undefined);
  let smoothed = 0;
  const sample = () => {
    last = read(last.elu);
    smoothed = smoothed * 0.5 + last.value * 0.5;
  };
  const timer = o.from < 1 ? setInterval(sample, o.windowMs ?? 100) : undefined;
  timer?.unref();
  return {
    /** Whether to shed this copy. */
    shed(): boolean {
      if (o.from >= 1 || smoothed <= o.from) return false;
      return random() < Math.min(1, (smoothed - o.from) / ramp);
    },
    utilization: () => smoothed,
    /** Tests: take a sample now. */
    sample,
    stop: () => { if (timer) clearInterval(timer); },
  };
};
export type LoadGuard = ReturnType<typeof createLoadGuard>;
