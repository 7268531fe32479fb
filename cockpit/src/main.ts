// The cockpit process: `node cockpit/src/main.ts` (FICUS_COCKPIT_PORT, default 8090, on loopback).
import { createLogger, isFicusError, onStopSignal, readListenHost } from '@ficus/common';
import { loadCockpitConfig } from './config.ts';
import { startCockpit } from './start-cockpit.ts';

const log = createLogger('cockpit');
try {
  const c = loadCockpitConfig();
  const cockpit = await startCockpit({
    port: c.FICUS_COCKPIT_PORT, host: readListenHost(), publicUrl: c.FICUS_COCKPIT_PUBLIC_URL?.replace(/\/$/, ''),
    proxyAdminUrl: c.FICUS_PROXY_ADMIN_URL, proxyReplicaAdminUrls: c.FICUS_PROXY_ADMIN_URLS, migrationAdminUrl: c.FICUS_MIGRATION_ADMIN_URL, cdcMetricsUrl: c.FICUS_CDC_METRICS_URL, jaegerUrl: c.FICUS_JAEGER_URL,
    zipkinUiUrl: c.FICUS_ZIPKIN_UI_URL,
    adminToken: c.FICUS_PROXY_ADMIN_TOKEN, sampleMs: c.FICUS_COCKPIT_SAMPLE_MS, historyPoints: c.FICUS_COCKPIT_HISTORY_POINTS,
    sessionMs: c.FICUS_COCKPIT_SESSION_HOURS * 3_600_000, log,
  });
  log.info({ url: cockpit.url }, 'cockpit running; sign in with a link from ./ficus cockpit link');
  onStopSignal(() => { void cockpit.close().finally(() => process.exit(0)); });
} catch (e) {
  if (isFicusError(e)) log.fatal({ code: e.code }, e.message);
  else log.fatal({ err: e }, 'cockpit failed to start');
  process.exit(1);
}
