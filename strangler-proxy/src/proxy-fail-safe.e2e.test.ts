import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { request } from 'undici';
import { readStackEnv, waitFor } from '@ficus/common';
import { startTestBackend, type TestBackend } from './testing/test-backend.ts';
import { describeEachEngine, adminGet, startTestProxy, uniqueFlag, unleashAdmin } from './testing/test-proxy.ts';

const sideOf = async (res: Response): Promise<string> => ((await res.json()) as { backend: string }).backend;

/** A port nothing listens on. */
const closedPort = async (): Promise<number> => {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
};

/** A relay in front of the real Unleash that the test can stop and start: Unleash itself is never touched. */
const startRelay = async (port = 0): Promise<{ port: number; server: Server; stop(): Promise<void> }> => {
  const upstream = readStackEnv().FICUS_UNLEASH_URL;
  const server = createServer((req, res) => {
    const headers = { ...req.headers };
    delete headers.host;
    delete headers.connection;
    request(`${upstream}${req.url}`, { method: req.method as 'GET', headers, body: req.method === 'GET' ? null : req }).then((r) => {
      const out = { ...r.headers };
      delete out.connection;
      delete out['keep-alive'];
      delete out['transfer-encoding'];
      res.writeHead(r.statusCode, out);
      r.body.pipe(res);
    }, () => res.destroy());
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    server,
    stop: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
};

interface FlagStatus { ready: boolean; stale: boolean; stalenessMs: number | null; lastSyncAt: string | null }
const flagStatus = async (proxy: Parameters<typeof adminGet>[0]) => (await (await adminGet(proxy, '/flags')).json()) as FlagStatus;

describeEachEngine('strangler proxy when Unleash is unreachable', function () {
  this.timeout(60_000);
  let legacy: TestBackend;
  let svc: TestBackend;
  before(async () => {
    legacy = await startTestBackend('legacy');
    svc = await startTestBackend('service');
  });
  after(async () => {
    await legacy?.close();
    await svc?.close();
  });

  it('serves the bootstrap state, then each route\'s safe target after the staleness bound', async () => {
    const port = await closedPort();
    const proxy = await startTestProxy({
      targets: { legacy: legacy.origin, svc: svc.origin },
      routes: [
        { id: 'safe-legacy', method: '*', path: '/a/*', service: 'svc', flag: 'boot.a', safe: 'legacy' },
        { id: 'safe-service', method: '*', path: '/b/*', service: 'svc', flag: 'boot.b', safe: 'service' },
      ],
      bootstrap: { flags: { 'boot.a': { mode: 'service', percent: 100 }, 'boot.b': { mode: 'legacy', percent: 100 } } },
      env: { FICUS_UNLEASH_URL: `http://127.0.0.1:${port}`, FICUS_PROXY_FLAG_STALENESS_MS: '1500' },
    });
    try {
      expect(await sideOf(await fetch(`${proxy.url}/a/1`))).to.equal('service');
      expect(await sideOf(await fetch(`${proxy.url}/b/1`))).to.equal('legacy');
      const early = await flagStatus(proxy);
      expect(early).to.include({ ready: true, stale: false, lastSyncAt: null });
      await waitFor(async () => (await flagStatus(proxy)).stale, { what: 'stale flags', timeoutMs: 5_000 });
      expect(await sideOf(await fetch(`${proxy.url}/a/1`))).to.equal('legacy');
      expect(await sideOf(await fetch(`${proxy.url}/b/1`))).to.equal('service');
      const metrics = await (await adminGet(proxy, '/metrics')).text();
      expect(metrics).to.match(/^ficus_proxy_flags_stale 1$/m);
      expect(metrics).to.match(/^ficus_proxy_flag_staleness_seconds \d+(\.\d+)?$/m);
      const routes = (await (await adminGet(proxy, '/routes')).json()) as { routes: Array<{ id: string; effective: string }> };
      expect(routes.routes.map((r) => r.effective)).to.deep.equal(['legacy (stale flags)', 'service (stale flags)']);
      const ready = await adminGet(proxy, '/ready');
      expect(ready.status).to.equal(200);
    } finally {
      await proxy.close();
    }
  });

  it('keeps the last-known state while Unleash is away, goes safe after the bound, and recovers by itself', async () => {
    const admin = unleashAdmin();
    const flag = uniqueFlag('away');
    await admin.ensureFlag(flag);
    await admin.setMode(flag, 'service');
    let relay = await startRelay();
    const proxy = await startTestProxy({
      targets: { legacy: legacy.origin, svc: svc.origin },
      routes: [{ id: 'away', method: '*', path: '/away/*', service: 'svc', flag }],
      env: { FICUS_UNLEASH_URL: `http://127.0.0.1:${relay.port}`, FICUS_PROXY_FLAG_STALENESS_MS: '3000' },
    });
    try {
      // Unleash serves a changed flag to clients within about a second (its revision cache).
      await waitFor(async () => (await sideOf(await fetch(`${proxy.url}/away/1`))) === 'service', { what: 'service mode', timeoutMs: 5_000 });
      expect((await flagStatus(proxy)).lastSyncAt).to.be.a('string');
      await relay.stop();
      const stoppedAt = Date.now();
      // Last-known state: still the service while the bound has not passed.
      for (let i = 0; i < 5; i++) expect(await sideOf(await fetch(`${proxy.url}/away/1`))).to.equal('service');
      expect(Date.now() - stoppedAt).to.be.lessThan(2_000);
      await waitFor(async () => (await flagStatus(proxy)).stale, { what: 'stale flags', timeoutMs: 8_000 });
      expect(await sideOf(await fetch(`${proxy.url}/away/1`))).to.equal('legacy');
      relay = await startRelay(relay.port);
      await waitFor(async () => !(await flagStatus(proxy)).stale, { what: 'fresh flags again', timeoutMs: 20_000 });
      expect(await sideOf(await fetch(`${proxy.url}/away/1`))).to.equal('service');
    } finally {
      await proxy.close();
      await relay.stop();
      await admin.deleteFlag(flag).catch(() => {});
    }
  });

  it('with no bootstrap and no Unleash, starts after the ready timeout with every route on its safe target', async () => {
    const port = await closedPort();
    const proxy = await startTestProxy({
      targets: { legacy: legacy.origin, svc: svc.origin },
      routes: [{ id: 'nothing', method: '*', path: '/n/*', service: 'svc', flag: 'never.seen', safe: 'service' }],
      env: { FICUS_UNLEASH_URL: `http://127.0.0.1:${port}`, FICUS_PROXY_FLAGS_READY_TIMEOUT_MS: '300' },
    });
    try {
      expect(await sideOf(await fetch(`${proxy.url}/n/1`))).to.equal('service');
      expect(await sideOf(await fetch(`${proxy.url}/elsewhere`))).to.equal('legacy');
      const ready = await adminGet(proxy, '/ready');
      expect(ready.status).to.equal(503);
    } finally {
      await proxy.close();
    }
  });
});
