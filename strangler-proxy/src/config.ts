import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  assertSafeForProduction, devProxyAdminToken, devProxyShadowDbPassword, ficusEnvSchema, parseConfig, portSchema, productionSettings, readStackEnv, serviceAuthEnv,
  type ProductionSetting,
} from '@ficus/common/core';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const positiveMs = z.coerce.number().int().min(1);
const httpUrl = z.string().url().refine((u) => /^http:\/\//.test(u), 'expected an http:// URL (TLS to backends is not supported yet)');

/** Backend targets the route table refers to by name; each can be overridden with FICUS_PROXY_TARGET_<NAME>. */
export const defaultTargets: Readonly<Record<string, string>> = Object.freeze({
  legacy: 'http://127.0.0.1:3000',
  catalog: 'http://127.0.0.1:3101',
  inventory: 'http://127.0.0.1:3102',
  orders: 'http://127.0.0.1:3103',
  payments: 'http://127.0.0.1:3104',
});

const proxyDefaultHost = '127.0.0.1';

/**
 * What the proxy uses that production mode checks: the service-auth secrets it signs with, its admin
 * token, the Unleash client token, its own MariaDB user's password (the ownership store), the shadow
 * store's URL and its address; the MariaDB root password only when it provisions its user at start.
 */
export const proxyProductionSettings = (o: { provisionOnStart: boolean }): readonly ProductionSetting[] => {
  const root = productionSettings.mariadbRootPassword;
  return [
    productionSettings.serviceAuthSecret, productionSettings.serviceAuthPreviousSecret, productionSettings.proxyAdminToken,
    productionSettings.unleashClientToken, productionSettings.proxyDbPassword, productionSettings.proxyShadowDbUrl,
    { kind: 'listen', name: 'FICUS_PROXY_HOST', defaultHost: proxyDefaultHost },
    ...(o.provisionOnStart ? [{ ...root, fix: `${root.fix}, or provision once (node strangler-proxy/src/provision.ts) and set FICUS_PROXY_PROVISION_ON_START=false` }] : []),
  ];
};

const envSchema = z.object({
  ...serviceAuthEnv,
  /** How long a monolith session, once looked up, is trusted for the services' signed header. */
  FICUS_PROXY_SESSION_CACHE_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
  /** Address both listeners bind to. Example: `FICUS_PROXY_HOST=127.0.0.1` (the default; never 0.0.0.0 on a dev box). */
  FICUS_PROXY_HOST: z.string().min(1).default(proxyDefaultHost),
  /** Port users hit. Example: `FICUS_PROXY_PORT=8080`. 0 picks a free port (tests). */
  FICUS_PROXY_PORT: z.union([z.literal('0').transform(() => 0), portSchema]).default(8080),
  /** Port of the admin API (routes, health, readiness, metrics). */
  FICUS_PROXY_ADMIN_PORT: z.union([z.literal('0').transform(() => 0), portSchema]).default(8081),
  /** Bearer token every admin request must carry. */
  FICUS_PROXY_ADMIN_TOKEN: z.string().min(16, 'expected at least 16 characters').default(devProxyAdminToken),
  /** The route table (JSON). Relative paths are resolved from the current directory. */
  FICUS_PROXY_ROUTES_FILE: z.string().min(1).default(`${packageRoot}routes.json`),
  /** Flag state used until Unleash answers (and while it never has). */
  FICUS_PROXY_FLAGS_BOOTSTRAP_FILE: z.string().min(1).default(`${packageRoot}flags-bootstrap.json`),
  /** After this long without a successful answer from Unleash, every route goes to its safe target. */
  FICUS_PROXY_FLAG_STALENESS_MS: positiveMs.default(30_000),
  /** How often the Unleash client polls (a flip is followed within about 2× this). */
  FICUS_PROXY_FLAG_REFRESH_MS: positiveMs.default(750),
  /** How long start waits for the first flag state before serving with safe targets. */
  FICUS_PROXY_FLAGS_READY_TIMEOUT_MS: positiveMs.default(10_000),
  /** Default per-route timeout for the backend's response headers; routes may override. */
  FICUS_PROXY_TIMEOUT_MS: positiveMs.default(10_000),
  /**
   * Which engine serves user traffic (docs/decisions/0010-socket-engine.md): `socket` reads plain
   * HTTP/1.1 requests without a body itself and relays bytes to pooled backend sockets, handing every
   * other connection to `node-http`; `node-http` is node:http + undici for everything.
   */
  FICUS_PROXY_ENGINE: z.enum(['socket', 'node-http']).default('socket'),
  /** Keep-alive connections per backend. */
  FICUS_PROXY_CONNECTIONS_PER_TARGET: z.coerce.number().int().min(1).max(4096).default(256),
  /** Adds `x-ficus-served-by` to responses. Off by default: users must not see which side served. */
  FICUS_PROXY_DEBUG_HEADER: bool.default(false),
  /** Keep client-sent X-Forwarded-* (append to X-Forwarded-For) instead of overwriting them. Only behind a trusted load balancer. */
  FICUS_PROXY_TRUST_FORWARDED: bool.default(false),
  /** Cookie whose value is the session id (stickiness when no user id is known). */
  FICUS_PROXY_SESSION_COOKIE: z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'expected a cookie name').default('ficus_session'),
  /** Cookie that carries the signed-in user's id, set by the monolith at login. */
  FICUS_PROXY_USER_COOKIE: z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'expected a cookie name').default('ficus_uid'),
  /** One access-log line per request (`all`) or only for failures and fallbacks (`errors`). */
  FICUS_PROXY_ACCESS_LOG: z.enum(['all', 'errors']).default('all'),
  /** Shadow copies in flight at once; more are dropped (counted), never queued. */
  FICUS_PROXY_SHADOW_MAX_IN_FLIGHT: z.coerce.number().int().min(1).default(64),
  /** Request bodies up to this size (with a Content-Length) are read whole, so they can be retried on legacy and mirrored; larger ones stream through and are neither. */
  FICUS_PROXY_REPLAY_BODY_BYTES: z.coerce.number().int().min(0).max(16_777_216).default(65_536),
  /** Circuit breaker: failures (errors, timeouts, 5xx) within the window that open it… */
  FICUS_PROXY_BREAKER_FAILURE_THRESHOLD: z.coerce.number().int().min(1).default(5),
  /** …as a share of requests in the window (0–1), once at least the threshold was seen. */
  FICUS_PROXY_BREAKER_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0.5),
  FICUS_PROXY_BREAKER_WINDOW_MS: positiveMs.default(10_000),
  /** How long an open breaker rejects before letting one probe through. */
  FICUS_PROXY_BREAKER_OPEN_MS: positiveMs.default(5_000),
  /** Ownership control database (docs/components/write-ownership.md): where units' owners are recorded. */
  FICUS_OWNERSHIP_DATABASE: z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'expected a database name').default('ficus_control'),
  /**
   * The proxy's own MariaDB user on the ownership database (decision 0018, "Proxy"): SELECT on
   * `ownership_units`, row rights on `ownership_proxies`, nothing else. By default the shadow store's
   * account; then set the same password as in FICUS_PROXY_SHADOW_DB_URL. Example: `FICUS_PROXY_DB_USER=ficus_proxy`.
   */
  FICUS_PROXY_DB_USER: z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'a MariaDB user name (letters, digits, _)').default('ficus_proxy'),
  FICUS_PROXY_DB_PASSWORD: z.string().min(8, 'expected at least 8 characters').default(devProxyShadowDbPassword),
  /**
   * Provision the user (as root: create it when missing, grant) before following ownership. Default
   * `true`, and `false` with FICUS_ENV=production, where the proxy should never hold the root
   * password: deployments run `node strangler-proxy/src/provision.ts` once per release instead.
   */
  FICUS_PROXY_PROVISION_ON_START: bool.optional(),
  /** How often the proxy reads write ownership (a switch's hold and flip are followed within this). */
  FICUS_PROXY_OWNERSHIP_POLL_MS: positiveMs.default(100),
  /** After this long without reading ownership, writes of ownership units wait, then get 503 (a switch ignores proxies silent for 30 s). */
  FICUS_PROXY_OWNERSHIP_STALE_MS: positiveMs.max(20_000).default(3_000),
  /** Longest a write waits at the proxy while its unit switches owner, before a retriable 503. */
  FICUS_PROXY_WRITE_HOLD_MS: positiveMs.max(60_000).default(5_000),
  /** After a user's write of a unit, their reads of it go where the write landed until the CDC confirms it elsewhere, at most this long. */
  FICUS_PROXY_READ_PIN_MS: positiveMs.max(60_000).default(5_000),
  /** Unleash app name (shown in the Unleash UI). */
  FICUS_PROXY_UNLEASH_APP_NAME: z.string().min(1).default('ficus-strangler-proxy'),
});

export interface ProxyConfig {
  host: string;
  port: number;
  adminPort: number;
  adminToken: string;
  routesFile: string;
  flagsBootstrapFile: string;
  flagStalenessMs: number;
  flagRefreshMs: number;
  flagsReadyTimeoutMs: number;
  timeoutMs: number;
  engine: 'socket' | 'node-http';
  connectionsPerTarget: number;
  debugHeader: boolean;
  trustForwarded: boolean;
  sessionCookie: string;
  userCookie: string;
  /** Signs the x-ficus-user header services verify (shared with them). */
  serviceAuthSecret: string;
  sessionCacheMs: number;
  accessLog: 'all' | 'errors';
  shadowMaxInFlight: number;
  replayBodyBytes: number;
  ownership: {
    database: string; pollMs: number; staleMs: number; holdMs: number; readPinMs: number;
    /** The proxy's own MariaDB user (`FICUS_PROXY_DB_USER`, `FICUS_PROXY_DB_PASSWORD`). */
    login: { user: string; password: string };
    /** Provision that user as root before opening the store (`FICUS_PROXY_PROVISION_ON_START`). */
    provisionOnStart: boolean;
  };
  breaker: { failureThreshold: number; failureRate: number; windowMs: number; openMs: number };
  /** Target name → origin (`http://host:port`). */
  targets: Readonly<Record<string, string>>;
  unleash: { url: string; clientToken: string; adminToken: string; appName: string };
}

/**
 * Reads the proxy's configuration once, at start; throws CONFIG_INVALID naming each bad variable.
 * With `FICUS_ENV=production` it throws CONFIG_UNSAFE_FOR_PRODUCTION for a public default among
 * `productionChecks`: the proxy's own by default (`proxyProductionSettings`); the migration worker,
 * which reads this config too, passes the settings it uses.
 */
export const readProxyConfig = (env: NodeJS.ProcessEnv = process.env, productionChecks?: readonly ProductionSetting[]): Readonly<ProxyConfig> => {
  const e = parseConfig(envSchema, env, 'environment');
  const provisionOnStart = e.FICUS_PROXY_PROVISION_ON_START ?? parseConfig(ficusEnvSchema, env, 'environment').FICUS_ENV !== 'production';
  assertSafeForProduction(env, productionChecks ?? proxyProductionSettings({ provisionOnStart }));
  const stack = readStackEnv(env);
  const targetEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const m = /^FICUS_PROXY_TARGET_([A-Z0-9_]+)$/.exec(key);
    if (m && value !== undefined) targetEnv[m[1]!.toLowerCase().replaceAll('_', '-')] = value;
  }
  const targets = parseConfig(z.record(z.string(), httpUrl), { ...defaultTargets, ...targetEnv }, 'environment (FICUS_PROXY_TARGET_*)');
  return Object.freeze({
    host: e.FICUS_PROXY_HOST,
    port: e.FICUS_PROXY_PORT,
    adminPort: e.FICUS_PROXY_ADMIN_PORT,
    adminToken: e.FICUS_PROXY_ADMIN_TOKEN,
    routesFile: e.FICUS_PROXY_ROUTES_FILE,
    flagsBootstrapFile: e.FICUS_PROXY_FLAGS_BOOTSTRAP_FILE,
    flagStalenessMs: e.FICUS_PROXY_FLAG_STALENESS_MS,
    flagRefreshMs: e.FICUS_PROXY_FLAG_REFRESH_MS,
    flagsReadyTimeoutMs: e.FICUS_PROXY_FLAGS_READY_TIMEOUT_MS,
    timeoutMs: e.FICUS_PROXY_TIMEOUT_MS,
    engine: e.FICUS_PROXY_ENGINE,
    connectionsPerTarget: e.FICUS_PROXY_CONNECTIONS_PER_TARGET,
    debugHeader: e.FICUS_PROXY_DEBUG_HEADER,
    trustForwarded: e.FICUS_PROXY_TRUST_FORWARDED,
    sessionCookie: e.FICUS_PROXY_SESSION_COOKIE,
    userCookie: e.FICUS_PROXY_USER_COOKIE,
    serviceAuthSecret: e.FICUS_SERVICE_AUTH_SECRET,
    sessionCacheMs: e.FICUS_PROXY_SESSION_CACHE_MS,
    accessLog: e.FICUS_PROXY_ACCESS_LOG,
    shadowMaxInFlight: e.FICUS_PROXY_SHADOW_MAX_IN_FLIGHT,
    replayBodyBytes: e.FICUS_PROXY_REPLAY_BODY_BYTES,
    ownership: Object.freeze({
      database: e.FICUS_OWNERSHIP_DATABASE, pollMs: e.FICUS_PROXY_OWNERSHIP_POLL_MS, staleMs: e.FICUS_PROXY_OWNERSHIP_STALE_MS, holdMs: e.FICUS_PROXY_WRITE_HOLD_MS, readPinMs: e.FICUS_PROXY_READ_PIN_MS,
      login: Object.freeze({ user: e.FICUS_PROXY_DB_USER, password: e.FICUS_PROXY_DB_PASSWORD }), provisionOnStart,
    }),
    breaker: Object.freeze({
      failureThreshold: e.FICUS_PROXY_BREAKER_FAILURE_THRESHOLD,
      failureRate: e.FICUS_PROXY_BREAKER_FAILURE_RATE,
      windowMs: e.FICUS_PROXY_BREAKER_WINDOW_MS,
      openMs: e.FICUS_PROXY_BREAKER_OPEN_MS,
    }),
    targets: Object.freeze(Object.fromEntries(Object.entries(targets).map(([k, v]) => [k, new URL(v).origin]))),
    unleash: Object.freeze({
      url: stack.FICUS_UNLEASH_URL,
      clientToken: stack.FICUS_UNLEASH_CLIENT_TOKEN,
      adminToken: stack.FICUS_UNLEASH_ADMIN_TOKEN,
      appName: e.FICUS_PROXY_UNLEASH_APP_NAME,
    }),
  });
};
