import type { AppSpec } from './app-runner.ts';

/** The proxy admin API's local default token (FICUS_PROXY_ADMIN_TOKEN overrides it). */
export const proxyAdminToken = process.env.FICUS_PROXY_ADMIN_TOKEN ?? 'ficus-local-proxy-admin-token';

/** Replica n's own port (users go through the load balancer on :8080) and its admin API (replica 1's is the documented :8081). */
const demoProxyReplicaPort = (n: number) => 8080 + n * 100;
const demoProxyAdminPort = (n: number) => (n === 1 ? 8081 : 8083);

/** The load balancer in front of the proxy replicas (nginx from Debian). */
export const demoLoadBalancer = { port: 8080, upstreams: [1, 2].map((n) => `127.0.0.1:${demoProxyReplicaPort(n)}`) };

/**
 * The apps `ficus demo` runs, in start order. Ports are the apps' documented defaults. Those with
 * `metrics` are scraped by the stack's VictoriaMetrics while they run (job = app name, instance =
 * host:port); the monolith and the cockpit have no /metrics endpoint (the Temporal workers' is the SDK's own).
 */
export const demoApps: AppSpec[] = [
  { name: 'legacy-monolith', entry: 'legacy-monolith/src/main.ts', readyUrl: 'http://127.0.0.1:3000/ready' },
  { name: 'catalog-service', entry: 'extracted-services/catalog/src/main.ts', readyUrl: 'http://127.0.0.1:3101/ready', metrics: { url: 'http://127.0.0.1:3101/metrics' } },
  { name: 'inventory-service', entry: 'extracted-services/inventory/src/main.ts', readyUrl: 'http://127.0.0.1:3102/ready', metrics: { url: 'http://127.0.0.1:3102/metrics' } },
  { name: 'payments-service', entry: 'extracted-services/payments/src/main.ts', readyUrl: 'http://127.0.0.1:3104/ready', metrics: { url: 'http://127.0.0.1:3104/metrics' } },
  { name: 'saga-worker', entry: 'workflows/src/worker.ts', readyLine: /saga worker running/, metrics: { url: 'http://127.0.0.1:9464/metrics' } },
  { name: 'orders-service', entry: 'extracted-services/orders/src/main.ts', readyUrl: 'http://127.0.0.1:3103/ready', metrics: { url: 'http://127.0.0.1:3103/metrics' } },
  // after the services: they create and migrate the databases the appliers write to
  { name: 'cdc', entry: 'cdc/src/main.ts', readyUrl: 'http://127.0.0.1:3201/ready', metrics: { url: 'http://127.0.0.1:3201/metrics' } },
  { name: 'migration-worker', entry: 'workflows/src/migration/migration-worker.ts', readyLine: /migration worker running/, metrics: { url: 'http://127.0.0.1:9465/metrics' } },
  // two replicas behind the demo's load balancer (nginx on :8080, started after them): the gates read PromQL over both
  ...[1, 2].map((n): AppSpec => ({
    name: `strangler-proxy-${n}`, entry: 'strangler-proxy/src/main.ts',
    env: { FICUS_PROXY_PORT: String(demoProxyReplicaPort(n)), FICUS_PROXY_ADMIN_PORT: String(demoProxyAdminPort(n)) },
    readyUrl: `http://127.0.0.1:${demoProxyAdminPort(n)}/ready`, readyHeaders: { authorization: `Bearer ${proxyAdminToken}` },
    metrics: { url: `http://127.0.0.1:${demoProxyAdminPort(n)}/metrics`, job: 'strangler-proxy', bearerToken: proxyAdminToken },
  })),
  { name: 'cockpit', entry: 'cockpit/src/main.ts', readyUrl: 'http://127.0.0.1:8090/health', env: { FICUS_PROXY_ADMIN_URLS: [1, 2].map((n) => `http://127.0.0.1:${demoProxyAdminPort(n)}`).join(',') } },
];

export const demoUrls = {
  proxy: 'http://127.0.0.1:8080',
  proxyAdmin: 'http://127.0.0.1:8081',
  legacy: 'http://127.0.0.1:3000',
  /** The engineers' web cockpit (sign in with a link from `ficus cockpit link`). */
  cockpit: 'http://127.0.0.1:8090',
};
