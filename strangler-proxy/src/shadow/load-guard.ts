import { readFileSync } from 'node:fs';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

export interface LoadGuardOptions {
  /** Event-loop utilisation (0–1) from which shadow copies start being shed; 1 turns the guard off. */
  from: number;
  /** Above `from + ramp` every copy is shed; in between, a share that grows linearly. */
  ramp?: number;
  /** Utilisation is read at most this often (ms), when a copy is offered. */
  windowMs?: number;
  /** Reads utilisation since a previous reading (tests inject their own). */
  utilization?: (previous: EventLoopUtilization | undefined) => { elu: EventLoopUtilization; value: number };
  /**
   * The host's busy CPU share (0–1, all cores) from which copies start being shed, with the same
   * ramp; 1 (the default) leaves it out. It sees what the loop cannot: backends, the shadow target
   * and anything else on the same cores, whose CPU a copy takes as much as the proxy's.
   */
  machineFrom?: number;
  /** Cumulative host CPU times (tests inject their own); undefined where they cannot be read. */
  cpuTimes?: () => CpuTimes | undefined;
  random?: () => number;
}

export interface CpuTimes { idle: number; total: number }

/** The host's CPU times from /proc/stat's first line (Linux), in clock ticks; steal counts as busy. */
export const procStatCpuTimes = (): CpuTimes | undefined => {
  try {
    const text = readFileSync('/proc/stat', 'latin1');
    const f = text.slice(0, text.indexOf('\n')).trim().split(/\s+/).slice(1, 9).map(Number);
    if (f.length < 4 || f.some((x) => !Number.isFinite(x))) return undefined;
    // user nice system idle iowait irq softirq steal (guest time is already inside user)
    return { idle: f[3]! + (f[4] ?? 0), total: f.reduce((a, b) => a + b, 0) };
  } catch {
    return undefined;
  }
};

const measure = (previous: EventLoopUtilization | undefined) => {
  const elu = performance.eventLoopUtilization();
  return { elu, value: previous ? performance.eventLoopUtilization(elu, previous).utilization : 0 };
};

/**
 * Keeps the shadow from taking the primary's CPU: the proxy is one event loop, and a mirrored copy
 * (a second upstream request, the tap, the comparison) costs it CPU. When the loop's utilisation
 * over the last window passes `from` (or the host's busy share passes `machineFrom`), a growing
 * share of new copies is shed (counted as `shed`), all of them past `from + ramp`; below both,
 * nothing is.
 */
export const createLoadGuard = (o: LoadGuardOptions) => {
  const ramp = o.ramp ?? 0.15;
  const read = o.utilization ?? measure;
  const random = o.random ?? Math.random;
  const machineFrom = o.machineFrom ?? 1;
  const cpuTimes = machineFrom < 1 ? (o.cpuTimes ?? procStatCpuTimes) : undefined;
  const windowMs = o.windowMs ?? 100;
  let last = read(undefined);
  let lastCpu = cpuTimes?.();
  let sampledAt = performance.now();
  let smoothed = 0;
  let machine = 0;
  /**
   * A new reading over the time since the last one. PERF: taken when a copy is offered, at most
   * once a window, instead of by a timer waking an idle proxy. A reading over n windows weighs as
   * n readings of the same value would (the old value keeps 0.5^n), so a gap smooths as it did.
   */
  const sample = () => {
    const now = performance.now();
    const keep = 0.5 ** Math.max(1, (now - sampledAt) / windowMs);
    sampledAt = now;
    last = read(last.elu);
    smoothed = smoothed * keep + last.value * (1 - keep);
    const cpu = cpuTimes?.();
    if (cpu && lastCpu && cpu.total > lastCpu.total) {
      const busy = 1 - (cpu.idle - lastCpu.idle) / (cpu.total - lastCpu.total);
      machine = machine * keep + Math.min(1, Math.max(0, busy)) * (1 - keep);
    }
    if (cpu) lastCpu = cpu;
  };
  const on = o.from < 1 || machineFrom < 1;
  const share = (value: number, from: number) => (from >= 1 || value <= from ? 0 : Math.min(1, (value - from) / ramp));
  return {
    /** Whether to shed this copy. */
    shed(): boolean {
      if (!on) return false;
      if (performance.now() - sampledAt >= windowMs) sample();
      const p = Math.max(share(smoothed, o.from), share(machine, machineFrom));
      return p > 0 && random() < p;
    },
    utilization: () => smoothed,
    /** The host's busy CPU share, smoothed (0 when not watched). */
    machineBusy: () => machine,
    /** Tests: take a reading now. */
    sample,
  };
};
export type LoadGuard = ReturnType<typeof createLoadGuard>;
