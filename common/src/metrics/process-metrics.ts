import { collectDefaultMetrics, type Registry } from 'prom-client';

/**
 * prom-client's process metrics (CPU, memory, GC, event-loop lag), sampling the event-loop delay
 * every 100 ms instead of its default 10 ms: the 10 ms timer woke an idle process 100 times a
 * second (about 12 ms of CPU a second in the proxy), and at 10 samples a second the lag gauges
 * still see any stall worth alerting on.
 */
export const collectProcessMetrics = (register: Registry, prefix = '') =>
  collectDefaultMetrics({ register, prefix, eventLoopMonitoringPrecision: 100 });
