import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export const createCdcMetrics = (registry = new Registry()) => ({
  registry,
  applied: new Counter({ name: 'ficus_cdc_applied_events_total', help: 'change events applied', labelNames: ['stream'], registers: [registry] }),
  stale: new Counter({ name: 'ficus_cdc_stale_events_total', help: 'redelivered events older than what was applied', labelNames: ['stream'], registers: [registry] }),
  echoes: new Counter({ name: 'ficus_cdc_echoes_dropped_total', help: "events the sync wrote itself, dropped", labelNames: ['stream'], registers: [registry] }),
  deadLetters: new Counter({ name: 'ficus_cdc_dead_letters_total', help: 'events sent to the dead-letter topic', labelNames: ['stream', 'code'], registers: [registry] }),
  consumerLag: new Gauge({ name: 'ficus_cdc_consumer_lag_events', help: 'events in Kafka not yet applied, per partition (after the last batch)', labelNames: ['stream', 'partition'], registers: [registry] }),
  lag: new Histogram({
    name: 'ficus_cdc_end_to_end_lag_seconds',
    help: 'source commit time to applied in the target',
    labelNames: ['stream'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [registry],
  }),
});
export type CdcMetrics = ReturnType<typeof createCdcMetrics>;
