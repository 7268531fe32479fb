// How a declaration overrides the metric gates' PromQL (gates.<gate>.query) and chooses their source
// (gates.metrics). The defaults and the rendering are in gate-queries.ts (no zod: the workflow imports it).
import { z } from 'zod';

/**
 * Placeholders a query may use: `$routes` (a regex of the migration's route ids), `$window` (e.g.
 * `15s`) and `$selector` (`gates.metrics.selector` with a leading comma, or nothing: put it last in a
 * series selector, `{route=~"$routes"$selector}`).
 */
const template = z.string().min(1).max(2_000).refine((q) => !/\$(?!routes\b|window\b|selector\b)\w+/.test(q), 'only $routes, $window and $selector may be used in a gate query');

/** One PromQL label matcher: `name="value"`, `name!="value"`, `name=~"regex"`, `name!~"regex"` (double quotes, `\\` escapes). */
const matcher = String.raw`\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(?:=~|!~|!=|=)\s*"(?:[^"\\\n]|\\.)*"\s*`;
const matchers = new RegExp(`^${matcher}(?:,${matcher})*$`);

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
  /**
   * Label matchers added to every series the default queries select, for a metrics server that
   * scrapes more than this migration's fleet (several environments, regions or test runs): only
   * series that also match these count. A query override gets them where it writes `$selector`.
   * Example: `"selector": "job=\"strangler-proxy\",env=\"prod\""`.
   */
  selector: z.string().max(500)
    .refine((v) => matchers.test(v), 'expected PromQL label matchers separated by commas, e.g. job="strangler-proxy",env=~"prod|eu", without braces')
    .refine((v) => !/(^|,)\s*(route|__name__)\s*[=!]/.test(v), 'route is chosen by the migration\'s routes and the metric by the gate: the selector may not match route or __name__')
    .optional(),
}).strict().refine((m) => m.selector === undefined || m.source === 'promql', { path: ['selector'], message: 'a selector narrows PromQL; with source "proxy" the gates read one proxy\'s /metrics and cannot use it' });
export type GateMetricsSettings = z.infer<typeof gateMetricsSchema>;

