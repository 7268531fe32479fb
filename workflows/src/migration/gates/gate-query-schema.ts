// How a declaration overrides the metric gates' PromQL (gates.<gate>.query) and chooses their source
// (gates.metrics). The defaults and the rendering are in gate-queries.ts (no zod: the workflow imports it).
import { z } from 'zod';

/** Placeholders a query may use: `$routes` (a regex of the migration's route ids) and `$window` (e.g. `15s`). */
const template = z.string().min(1).max(2_000).refine((q) => !/\$(?!routes\b|window\b)\w+/.test(q), 'only $routes and $window may be used in a gate query');

/** `gates.<gate>.query` in a declaration: each part optional, the default used for the rest. */
export const ratioQuerySchema = z.object({
  /** The rate (0–1) over the window. */
  value: template.optional(),
  /** How many requests or comparisons the window holds (below the gate's minimum: the step waits). */
  samples: template.optional(),
}).strict();
export const p99QuerySchema = z.object({ service: template.optional(), legacy: template.optional(), samples: template.optional() }).strict();

/** `gates.metrics` in a declaration: where the metric gates read. */
export const gateMetricsSchema = z.object({
  /**
   * `promql`: the metrics server, over every proxy replica (the default); `proxy`: one proxy's
   * /metrics (FICUS_PROXY_ADMIN_URL), for a deployment without a metrics server and one replica.
   */
  source: z.enum(['promql', 'proxy']).default('promql'),
  /** The rate window: the check interval, but never shorter than this (scrapes are 1 s apart locally). */
  minWindowSeconds: z.number().min(1).max(3_600).default(10),
}).strict();
export type GateMetricsSettings = z.infer<typeof gateMetricsSchema>;

