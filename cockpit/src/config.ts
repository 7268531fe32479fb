import { z } from 'zod';
import { assertSafeForProduction, devProxyAdminToken, parseConfig, portSchema, productionSettings } from '@ficus/common/core';

const url = z.url({ protocol: /^https?$/ });

/** The cockpit's settings, read once at start (CONFIG_INVALID names every mistake). */
export const cockpitConfigSchema = z.object({
  FICUS_COCKPIT_PORT: portSchema.default(8090),
  /** The address people open (printed in sign-in links). */
  FICUS_COCKPIT_PUBLIC_URL: url.optional(),
  FICUS_PROXY_ADMIN_URL: url.default('http://127.0.0.1:8081'),
  /**
   * Every proxy replica's admin API, comma-separated: the charts add their /metrics up (routes and
   * the shadow report come from FICUS_PROXY_ADMIN_URL; the replicas share them). Default: that one.
   * Example: `FICUS_PROXY_ADMIN_URLS=http://127.0.0.1:8081,http://127.0.0.1:8083`.
   */
  FICUS_PROXY_ADMIN_URLS: z.string().optional().transform((v, ctx) => {
    if (v === undefined || v.trim() === '') return undefined;
    const urls = v.split(',').map((x) => x.trim()).filter(Boolean);
    for (const u of urls) if (!url.safeParse(u).success) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(u)} is not an http(s) URL` });
    return urls;
  }),
  FICUS_MIGRATION_ADMIN_URL: url.default('http://127.0.0.1:8082'),
  FICUS_CDC_METRICS_URL: url.default('http://127.0.0.1:3201/metrics'),
  /** The trace backend's query API (traces looked up by id or by a request id). */
  FICUS_JAEGER_URL: url.default('http://127.0.0.1:16686'),
  /**
   * A Zipkin web UI that gets the same spans (the demo's `http://127.0.0.1:19411/zipkin`): the trace
   * view links to `<url>/traces/<trace id>`. Unset: no link.
   */
  FICUS_ZIPKIN_UI_URL: url.optional(),
  /** Signs sessions and authorises the sources and the sign-in-link API. */
  FICUS_PROXY_ADMIN_TOKEN: z.string().min(16, 'at least 16 characters').default(devProxyAdminToken),
  /** How often the charts' figures are sampled, and how many samples are kept. */
  FICUS_COCKPIT_SAMPLE_MS: z.coerce.number().int().min(200).max(600_000).default(5_000),
  FICUS_COCKPIT_HISTORY_POINTS: z.coerce.number().int().min(10).max(100_000).default(720),
  FICUS_COCKPIT_SESSION_HOURS: z.coerce.number().min(0.1).max(24 * 30).default(12),
});
export type CockpitConfig = z.infer<typeof cockpitConfigSchema>;

/** With `FICUS_ENV=production`, a public default token or an implicit open address stops the start (CONFIG_UNSAFE_FOR_PRODUCTION). */
export const loadCockpitConfig = (env: NodeJS.ProcessEnv = process.env): CockpitConfig => {
  const c = parseConfig(cockpitConfigSchema, env, 'environment');
  assertSafeForProduction(env, [productionSettings.proxyAdminToken, productionSettings.listenHost]);
  return c;
};
