// The Temporal workers' own metrics (task and activity latencies, slots, polls, sticky cache) in
// Prometheus format, served by the SDK's runtime on a port of their own, so the stack's
// VictoriaMetrics scrapes the workers as it does the apps. Must run before any worker is created.
import { Runtime } from '@temporalio/worker';
import { z } from 'zod';
import { parseConfig } from '@ficus/common';

const address = z.union([
  z.literal('off'),
  z.string().regex(/^(\d{1,3}(\.\d{1,3}){3}|localhost|\[[0-9a-f:]+\]):\d{1,5}$/i, 'expected host:port (e.g. 127.0.0.1:9464) or off'),
]);

/**
 * `<variable>` (host:port, or `off`), default `fallback`: where the worker's `/metrics` is served.
 * Example: `workerMetricsAddress(process.env, 'FICUS_SAGA_METRICS_ADDRESS', '127.0.0.1:9464')`.
 */
export const workerMetricsAddress = (env: NodeJS.ProcessEnv, variable: string, fallback: string): string | undefined => {
  const v = parseConfig(z.object({ [variable]: address.default(fallback) }), env, 'environment')[variable] as string;
  return v === 'off' ? undefined : v;
};

/** Installs the SDK runtime with a Prometheus exporter at `bindAddress` (nothing when undefined). */
export const installWorkerMetrics = (bindAddress: string | undefined): void => {
  if (!bindAddress) return;
  Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress, countersTotalSuffix: true, useSecondsForDurations: true } } } });
};
