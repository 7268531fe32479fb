// Shadow results are durable and shared: two proxy replicas write to one MariaDB store, each sees
// the other's results, a restarted replica finds them, retention keeps the store bounded, and a
// store that refuses the proxy stops its start with a code (and no password in the message), while
// a MariaDB that does not answer yet does not: the replica serves and stores once it answers.
import { expect } from 'chai';
import { createServer as createTcpServer, connect, type Server as TcpServer, type Socket } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isFicusError, readStackEnv, waitFor } from '@ficus/common';
import { createTestDatabase } from '@ficus/common/testing';
import { startTestBackend, type TestBackend } from '../testing/test-backend.ts';
import { adminGet, startTestProxy, uniqueFlag, unleashAdmin } from '../testing/test-proxy.ts';
import { readShadowConfig } from './shadow-config.ts';
import type { RouteReport } from './shadow-report.ts';
import type { MismatchSummary } from './shadow-store-type.ts';

describe('shadow results shared by proxy replicas (MariaDB store, e2e)', function () {
  this.timeout(90_000);
  const admin = unleashAdmin();
  const flag = uniqueFlag('shadow-shared');
  let legacy: TestBackend;
  let candidate: TestBackend;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const proxies: Array<Awaited<ReturnType<typeof startTestProxy>>> = [];
  let dbUrl = '';

  const json = (res: ServerResponse, body: unknown) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
  const replica = async (retention = { maxAgeMs: 0, maxRows: 1000, intervalMs: 60_000 }, url = dbUrl) => {
    const p = await startTestProxy({
      targets: { legacy: legacy.origin, svc: candidate.origin },
      routes: [{ id: 'shared', method: 'GET', path: '/shared/*', service: 'svc', flag }],
      extra: { shadowConfig: { ...readShadowConfig(), shedFromUtilization: 1, shedFromMachineCpu: 1, cdcUrl: undefined, dbUrl: url, retention }, shadow: { storeRetryMs: 300 } },
    });
    proxies.push(p);
    await waitFor(async () => ((await (await adminGet(p, '/routes')).json()) as { routes: Array<{ mode: string }> }).routes.every((r) => r.mode === 'shadow'), { what: 'route in shadow mode', timeoutMs: 10_000 });
    return p;
  };
  const report = async (p: (typeof proxies)[number]) => (await (await adminGet(p, '/shadow/report/shared')).json()) as RouteReport;
  const mismatches = async (p: (typeof proxies)[number]) => ((await (await adminGet(p, '/shadow/mismatches?route=shared&limit=100')).json()) as { mismatches: MismatchSummary[] }).mismatches;

  before(async () => {
    legacy = await startTestBackend('legacy');
    candidate = await startTestBackend('candidate');
    legacy.handle((req: IncomingMessage, res) => json(res, { path: req.url, price: 10 }));
    candidate.handle((req: IncomingMessage, res) => json(res, { path: req.url, price: 11 }));
    db = await createTestDatabase('shadow_shared');
    const s = readStackEnv();
    dbUrl = `mysql://root:${encodeURIComponent(s.FICUS_MARIADB_ROOT_PASSWORD)}@${s.FICUS_MARIADB_HOST}:${s.FICUS_MARIADB_PORT}/${db.name}`;
    await admin.ensureFlag(flag);
    await admin.setMode(flag, 'shadow', 100);
  });

  after(async () => {
    for (const p of proxies) await p.close().catch(() => undefined);
    await Promise.all([legacy?.close(), candidate?.close()]);
    await db?.drop();
    await admin.deleteFlag(flag).catch(() => undefined);
  });

  it('each replica reports the results of both, and a restarted replica still has them', async () => {
    const a = await replica();
    const b = await replica();
    for (let i = 0; i < 3; i++) {
      expect((await fetch(`${a.url}/shared/a${i}`)).status).to.equal(200);
      expect((await fetch(`${b.url}/shared/b${i}`)).status).to.equal(200);
    }
    for (const p of [a, b]) {
      const r = await waitFor(async () => { const x = await report(p); return (x.counts.mismatched ?? 0) >= 6 ? x : undefined; }, { what: 'six mismatches counted in the shared store', timeoutMs: 15_000 });
      expect(r.counts).to.include({ compared: 6, mismatched: 6 });
      const urls = (await mismatches(p)).map((m) => m.url).sort();
      expect(urls).to.deep.equal(['/shared/a0', '/shared/a1', '/shared/a2', '/shared/b0', '/shared/b1', '/shared/b2']);
    }
    await a.close();
    proxies.splice(proxies.indexOf(a), 1);
    const a2 = await replica();
    expect((await report(a2)).counts).to.include({ compared: 6, mismatched: 6 });
    expect(await mismatches(a2)).to.have.length(6);
  });

  it('retention keeps the newest records up to the cap; the counters stay', async () => {
    const c = await replica({ maxAgeMs: 0, maxRows: 4, intervalMs: 1_000 });
    expect((await fetch(`${c.url}/shared/c0`)).status).to.equal(200);
    const left = await waitFor(async () => { const m = await mismatches(c); return m.length === 4 && m.some((x) => x.url === '/shared/c0') ? m : undefined; }, { what: 'the store pruned to 4 records', timeoutMs: 15_000 });
    expect(left.map((m) => m.url)).to.include('/shared/c0');
    expect(left.map((m) => m.url)).not.to.include('/shared/a0');
    expect((await report(c)).counts.mismatched).to.equal(7);
  });

  it('MariaDB not answering at start: the replica serves, counts its results as not stored, and stores them once MariaDB answers', async () => {
    // a TCP relay to the stack's MariaDB, on a port where nothing listens until the test says so
    const s = readStackEnv();
    const spare = createTcpServer();
    await new Promise<void>((r) => spare.listen(0, '127.0.0.1', r));
    const port = (spare.address() as { port: number }).port;
    await new Promise<void>((r) => spare.close(() => r()));
    let relay: TcpServer | undefined;
    const relayed = new Set<Socket>();
    try {
      const p = await replica(undefined, dbUrl.replace(`@${s.FICUS_MARIADB_HOST}:${s.FICUS_MARIADB_PORT}/`, `@127.0.0.1:${port}/`));
      const res = await fetch(`${p.url}/shared/while-down`);
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.equal({ path: '/shared/while-down', price: 10 });
      await waitFor(async () => /ficus_proxy_shadow_store_dropped_total\{what="record"\} [1-9]/.test(await (await adminGet(p, '/metrics')).text()), { what: 'the record counted as not stored', timeoutMs: 10_000 });
      relay = createTcpServer((client) => {
        const db = connect(s.FICUS_MARIADB_PORT, s.FICUS_MARIADB_HOST);
        relayed.add(client).add(db);
        client.pipe(db).pipe(client);
        client.on('error', () => db.destroy());
        db.on('error', () => client.destroy());
      });
      await new Promise<void>((r) => relay!.listen(port, '127.0.0.1', r));
      // stored once the schema is applied (tried every 300 ms here): a mismatch sent afterwards lands
      await waitFor(async () => {
        await (await fetch(`${p.url}/shared/after-up`)).arrayBuffer();
        return (await mismatches(p)).some((m) => m.url === '/shared/after-up');
      }, { what: 'a mismatch stored after MariaDB answers', timeoutMs: 20_000, intervalMs: 500 });
      expect((await report(p)).counts.mismatched).to.be.greaterThan(0);
    } finally {
      relay?.close();
      for (const socket of relayed) socket.destroy();
    }
  });

  it('a store that refuses the proxy stops the start with SHADOW_STORE_UNAVAILABLE, without the password', async () => {
    const wrong = dbUrl.replace(/:[^:@/]+@/, ':not-the-password-4711@');
    const err = await startTestProxy({
      targets: { legacy: legacy.origin, svc: candidate.origin },
      routes: [{ id: 'shared', method: 'GET', path: '/shared/*', service: 'svc', flag }],
      extra: { shadowConfig: { ...readShadowConfig(), cdcUrl: undefined, dbUrl: wrong } },
    }).then(() => undefined, (e: unknown) => e);
    expect(isFicusError(err) && err.code).to.equal('SHADOW_STORE_UNAVAILABLE');
    expect((err as Error).message).to.contain('***').and.not.contain('not-the-password-4711');
  });
});
