import { randomBytes } from 'node:crypto';
import { readStackEnv } from '@ficus/common/core';
import { readProxyConfig, type ProxyConfig } from '../config.ts';
import { createProxy, type CreateProxyOptions, type Proxy } from '../create-proxy.ts';
import type { FlagBootstrap } from '../flags/flag-bootstrap.ts';
import { createUnleashAdmin } from '../flags/unleash-admin.ts';
import { buildRouteTable } from '../routes/load-route-table.ts';
import { readShadowConfig } from '../shadow/shadow-config.ts';

export const testAdminToken = 'test-admin-token-0123456789';

/** A flag name no other test uses. */
export const uniqueFlag = (what: string) => `ficus-test.${what}.${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

export const unleashAdmin = () => {
  const s = readStackEnv();
  return createUnleashAdmin({ url: s.FICUS_UNLEASH_URL, adminToken: s.FICUS_UNLEASH_ADMIN_TOKEN });
};

/** Both engines serve user traffic (decision 0010); every proxy e2e suite runs against each. */
export const proxyEngines = ['socket', 'node-http'] as const;
let engineUnderTest: (typeof proxyEngines)[number] = 'socket';

/**
 * `describe` once per engine: the same tests, unchanged, with every proxy the suite starts
 * (startTestProxy / testConfig) using that engine.
 */
export const describeEachEngine = (title: string, body: (this: Mocha.Suite) => void): void => {
  for (const engine of proxyEngines) {
    describe(`${title} [${engine} engine]`, function () {
      before(() => { engineUnderTest = engine; });
      body.call(this);
    });
  }
};

/** Config for a proxy on ephemeral ports with the given targets; `env` overrides variables. */
export const testConfig = (targets: Record<string, string>, env: Record<string, string> = {}): ProxyConfig => {
  const base = readProxyConfig({
    ...process.env,
    FICUS_PROXY_PORT: '0',
    FICUS_PROXY_ADMIN_PORT: '0',
    FICUS_PROXY_ADMIN_TOKEN: testAdminToken,
    FICUS_PROXY_FLAG_REFRESH_MS: '750',
    FICUS_PROXY_FLAGS_READY_TIMEOUT_MS: '5000',
    FICUS_PROXY_TIMEOUT_MS: '2000',
    FICUS_PROXY_ACCESS_LOG: 'errors',
    FICUS_PROXY_ENGINE: engineUnderTest,
    ...env,
  });
  return { ...base, targets: { ...base.targets, ...targets } };
};

export interface TestProxyOptions {
  targets: Record<string, string>;
  routes: unknown[];
  bootstrap?: FlagBootstrap;
  env?: Record<string, string>;
  extra?: Partial<CreateProxyOptions>;
}

/** Starts a proxy against the real Unleash (unless `extra.flags` is given) with an in-code route table. */
export const startTestProxy = async (o: TestProxyOptions): Promise<Proxy & { config: ProxyConfig }> => {
  const config = testConfig(o.targets, o.env);
  const routeTable = buildRouteTable({ routes: o.routes }, 'test routes', { targets: config.targets, timeoutMs: config.timeoutMs });
  // The in-process test proxy shares its event loop with the test's own clients, so the load guard
  // (its utilisation) and a CDC process that may or may not run say nothing about it: both are off
  // unless a test passes its own shadow config. Results stay in memory: each test sees its own.
  const shadowConfig = { ...readShadowConfig(), shedFromUtilization: 1, shedFromMachineCpu: 1, cdcUrl: undefined, dbUrl: undefined };
  const proxy = await createProxy({ config, routeTable, flagBootstrap: o.bootstrap ?? { flags: {} }, shadowConfig, ...o.extra });
  return Object.assign(proxy, { config });
};

export const adminGet = async (proxy: Proxy, path: string, token: string | undefined = testAdminToken) =>
  fetch(`${proxy.adminUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
