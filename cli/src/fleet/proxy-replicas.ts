// Which proxy replicas `ficus routes` asks: the ones named (`--admin-url`, repeatable), else
// FICUS_PROXY_ADMIN_URLS (as the cockpit reads it), else the replicas running on this machine (the
// `strangler-proxy` scrape targets the stack scrapes: the demo registers each replica's admin
// /metrics), else the configured admin port.
import { FicusError } from '@ficus/common';
import { liveScrapeTargets } from '@ficus/common/scrape-targets';

export type ReplicaSource = '--admin-url' | 'FICUS_PROXY_ADMIN_URLS' | 'running replicas' | 'FICUS_PROXY_ADMIN_PORT';

const checked = (urls: readonly string[], from: ReplicaSource): string[] => urls.map((u) => {
  let parsed: URL | undefined;
  try { parsed = new URL(u); } catch { /* below */ }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new FicusError('CLI_INVALID_OPTION', `${from}: ${JSON.stringify(u)} is not an http(s) URL of a proxy admin API (e.g. http://127.0.0.1:8081)`);
  }
  return u.replace(/\/+$/, '');
});

export const proxyReplicaAdminUrls = (o: { named: readonly string[]; env: NodeJS.ProcessEnv; targetsDir: string; configured: string }): { urls: string[]; from: ReplicaSource } => {
  if (o.named.length) return { urls: checked(o.named, '--admin-url'), from: '--admin-url' };
  const listed = (o.env.FICUS_PROXY_ADMIN_URLS ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  if (listed.length) return { urls: checked(listed, 'FICUS_PROXY_ADMIN_URLS'), from: 'FICUS_PROXY_ADMIN_URLS' };
  const running = liveScrapeTargets(o.targetsDir, 'strangler-proxy').map((t) => t.url.replace(/\/metrics$/, ''));
  if (running.length) return { urls: running, from: 'running replicas' };
  return { urls: [o.configured], from: 'FICUS_PROXY_ADMIN_PORT' };
};
