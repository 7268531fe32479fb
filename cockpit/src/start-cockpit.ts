import type { AddressInfo } from 'node:net';
import type { Logger } from '@ficus/common/core';
import { mergeMetricsSamples, sampleFromProxyMetrics } from '@ficus/common/proxy-metrics-sample';
import { createCockpitApp } from './create-cockpit.ts';
import { cdcSampleOf, createMetricHistory, type Sample } from './history/metric-history.ts';
import { httpSource } from './sources/http-source.ts';

export interface StartCockpitOptions {
  port: number;
  host?: string;
  proxyAdminUrl: string;
  /** Every replica's admin API (the charts add them up); default: `proxyAdminUrl` alone. */
  proxyReplicaAdminUrls?: readonly string[];
  migrationAdminUrl: string;
  cdcMetricsUrl: string;
  /** The trace backend's query API; absent: the trace view says so. */
  jaegerUrl?: string;
  /** A Zipkin UI with the same traces (`http://127.0.0.1:19411/zipkin`): the trace view links to it. */
  zipkinUiUrl?: string;
  adminToken: string;
  sampleMs: number;
  historyPoints: number;
  sessionMs: number;
  publicUrl?: string;
  log: Logger;
}

/** Wires the sources, the sampler and the web server, and listens (port 0: any free port). */
export const startCockpit = async (o: StartCockpitOptions) => {
  const sources = {
    proxy: httpSource('proxy admin API', o.proxyAdminUrl, o.adminToken),
    migrations: httpSource('migration admin', o.migrationAdminUrl, o.adminToken),
    cdc: httpSource('CDC metrics', o.cdcMetricsUrl),
    ...(o.jaegerUrl ? { traces: httpSource('trace backend', o.jaegerUrl) } : {}),
  };
  const replicas = (o.proxyReplicaAdminUrls?.length ? o.proxyReplicaAdminUrls : [o.proxyAdminUrl]).map((u, i) => httpSource(`proxy replica ${i + 1} admin API`, u, o.adminToken));
  const sample = async (): Promise<Sample> => {
    const at = Date.now();
    const [proxyTexts, routes, cdcText] = await Promise.all([
      Promise.all(replicas.map((r) => r.text('/metrics', { timeoutMs: 2_000 }).catch(() => undefined))),
      sources.proxy.json<{ routes: Array<{ id: string }> }>('/routes', { timeoutMs: 2_000 }).catch(() => undefined),
      sources.cdc.text(new URL(o.cdcMetricsUrl).pathname, { timeoutMs: 2_000 }).catch(() => undefined),
    ]);
    // a replica that does not answer leaves the charts out for that sample (a partial sum would look like a drop)
    const texts = proxyTexts.every((t) => t !== undefined) ? proxyTexts as string[] : undefined;
    return {
      at,
      proxy: texts && routes ? mergeMetricsSamples(texts.map((t) => sampleFromProxyMetrics(t, routes.routes.map((r) => r.id), at))) : undefined,
      cdc: cdcText === undefined ? undefined : cdcSampleOf(cdcText),
    };
  };
  const history = createMetricHistory({ sample, intervalMs: o.sampleMs, points: o.historyPoints, onError: (e) => o.log.warn({ err: e }, 'sampling failed') });
  let base = o.publicUrl;
  const app = createCockpitApp({ sources, history, historyIntervalMs: o.sampleMs, adminToken: o.adminToken, sessionMs: o.sessionMs, publicUrl: () => base!, log: o.log, zipkinUiUrl: o.zipkinUiUrl });
  const server = app.listen(o.port, o.host ?? '127.0.0.1');
  await new Promise<void>((resolve, reject) => { server.once('listening', resolve); server.once('error', reject); });
  const url = `http://${o.host ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`;
  base ??= url;
  history.start();
  return {
    url,
    /** A one-time sign-in link, as `ficus cockpit link` gets it. */
    signInLink: async (): Promise<string> => {
      const r = await fetch(`${url}/api/sign-in-links`, { method: 'POST', headers: { authorization: `Bearer ${o.adminToken}` } });
      return ((await r.json()) as { url: string }).url;
    },
    history,
    close: async () => {
      await history.stop();
      await new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
    },
  };
};
export type RunningCockpit = Awaited<ReturnType<typeof startCockpit>>;
