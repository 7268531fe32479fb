import { expect } from 'chai';
import { waitFor } from '@ficus/common';
import type { Mode } from './decision/mode.ts';
import type { ShadowResult } from './shadow/shadow-sink.ts';
import { startTestBackend, type TestBackend } from './testing/test-backend.ts';
import { describeEachEngine, adminGet, startTestProxy, uniqueFlag, unleashAdmin } from './testing/test-proxy.ts';

/** Which backend answered (the test backends name themselves). */
const sideOf = async (res: Response): Promise<string> => ((await res.json()) as { backend: string }).backend;

describeEachEngine('strangler proxy modes against the real Unleash', function () {
  this.timeout(60_000);
  const admin = unleashAdmin();
  const flags = { legacy: uniqueFlag('legacy'), shadow: uniqueFlag('shadow'), canary: uniqueFlag('canary'), service: uniqueFlag('service'), sticky: uniqueFlag('sticky'), flip: uniqueFlag('flip') };
  let legacy: TestBackend;
  let svc: TestBackend;
  let proxy: Awaited<ReturnType<typeof startTestProxy>>;
  const shadowResults: ShadowResult[] = [];

  const routeMode = async (id: string) => {
    const body = (await (await adminGet(proxy, '/routes')).json()) as { routes: Array<{ id: string; mode: Mode; percent: number }> };
    return body.routes.find((r) => r.id === id)!;
  };
  const setMode = async (id: keyof typeof flags, mode: Mode, percent = 100) => {
    await admin.setMode(flags[id], mode, percent);
    await waitFor(async () => { const r = await routeMode(id); return r.mode === mode && (mode === 'legacy' || r.percent === percent); }, { what: `${id} in ${mode}`, timeoutMs: 5_000 });
  };

  before(async () => {
    legacy = await startTestBackend('legacy');
    svc = await startTestBackend('service');
    for (const f of Object.values(flags)) await admin.ensureFlag(f);
    proxy = await startTestProxy({
      targets: { legacy: legacy.origin, svc: svc.origin },
      routes: Object.entries(flags).map(([id, flag]) => ({ id, method: '*', path: `/${id}/*`, service: 'svc', flag, mirrorWrites: id === 'shadow' ? false : undefined })),
      // the shadow PUT below is mirrored because the route declares how writes are safe (an idempotency key)
      extra: { onShadowResult: (r) => shadowResults.push(r), shadow: { rules: { routes: { shadow: { writes: { safeBy: 'idempotency-key' } } } } } },
    });
    await setMode('shadow', 'shadow');
    await setMode('canary', 'canary', 50);
    await setMode('service', 'service');
  });
  after(async () => {
    await proxy?.close();
    await legacy?.close();
    await svc?.close();
    for (const f of Object.values(flags)) await admin.deleteFlag(f).catch(() => {});
  });

  it('legacy mode: the monolith serves, the service sees nothing', async () => {
    const before = svc.seen.length;
    const res = await fetch(`${proxy.url}/legacy/items?x=1`);
    expect(res.status).to.equal(200);
    expect(await sideOf(res)).to.equal('legacy');
    expect(svc.seen.length).to.equal(before);
  });

  it('shadow mode: legacy answers, the service gets a marked copy off the critical path', async () => {
    // The service holds the copy's answer until the user has the primary's: a proxy that made the
    // primary wait for its shadow would deadlock until the copy timed out, and the result below would
    // not be the service's 201 (no clock in this test).
    let answered = false;
    let release!: () => void;
    const released = new Promise<void>((r) => { release = r; });
    svc.handle((_req, res) => { void released.then(() => { answered = true; res.writeHead(201, { 'content-type': 'application/json' }); res.end('{"backend":"service"}'); }); });
    const res = await fetch(`${proxy.url}/shadow/items/7?q=a`, { method: 'PUT', body: '{"name":"x"}', headers: { 'content-type': 'application/json', cookie: 'ficus_uid=u-1', 'idempotency-key': 'k-7' } });
    expect(await sideOf(res)).to.equal('legacy');
    expect(answered, 'the primary came back while the shadow was held').to.equal(false);
    release();
    const copy = await waitFor(() => svc.seen.find((s) => s.url === '/shadow/items/7?q=a'), { what: 'the shadow copy' });
    expect(copy.method).to.equal('PUT');
    expect(copy.headers['x-ficus-shadow']).to.equal('1');
    expect(copy.body.toString()).to.equal('{"name":"x"}');
    expect(copy.headers['x-request-id']).to.equal(legacy.seen.at(-1)!.headers['x-request-id']);
    const result = await waitFor(() => shadowResults.find((r) => r.request.url === '/shadow/items/7?q=a'), { what: 'the shadow result' });
    expect(result.status).to.equal(201);
    expect((await result.request.primary)?.status).to.equal(200);
    svc.handle((req, res, body) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ backend: 'service', url: req.url, bodyLength: body.length })); });
  });

  it('shadow mode does not mirror writes unless the route allows it', async () => {
    const res = await fetch(`${proxy.url}/shadow/orders`, { method: 'POST', body: 'order' });
    expect(await sideOf(res)).to.equal('legacy');
    const probe = await fetch(`${proxy.url}/shadow/after-post`);
    await probe.arrayBuffer();
    await waitFor(() => svc.seen.some((s) => s.url === '/shadow/after-post'), { what: 'the later copy' });
    expect(svc.seen.some((s) => s.url === '/shadow/orders')).to.equal(false);
  });

  it('service mode: the service serves', async () => {
    const res = await fetch(`${proxy.url}/service/items`, { method: 'POST', body: 'x' });
    expect(await sideOf(res)).to.equal('service');
  });

  it('canary mode: one user stays on one side; users split near the percentage', async () => {
    const userSide = async (user: string) => sideOf(await fetch(`${proxy.url}/canary/p`, { headers: { cookie: `ficus_session=s-${user}; ficus_uid=${user}` } }));
    const first = await userSide('fixed-user');
    for (let batch = 0; batch < 20; batch++) {
      const sides = await Promise.all(Array.from({ length: 50 }, () => userSide('fixed-user')));
      expect(sides.every((s) => s === first), 'same user, same side').to.equal(true);
    }
    let onService = 0;
    for (let batch = 0; batch < 20; batch++) {
      const sides = await Promise.all(Array.from({ length: 50 }, (_, i) => userSide(`user-${batch * 50 + i}`)));
      onService += sides.filter((s) => s === 'service').length;
    }
    expect(onService, `service share of 1000 users: ${onService}`).to.be.within(450, 550);
  });

  it('canary stickiness falls back to the session id when no user id is known', async () => {
    const sessionSide = async (sid: string) => sideOf(await fetch(`${proxy.url}/canary/p`, { headers: { cookie: `ficus_session=${sid}` } }));
    const sides = new Set<string>();
    const first = await sessionSide('anon-session-1');
    for (let i = 0; i < 100; i++) expect(await sessionSide('anon-session-1')).to.equal(first);
    for (let i = 0; i < 60; i++) sides.add(await sessionSide(`anon-${i}`));
    expect([...sides].sort()).to.deep.equal(['legacy', 'service']);
  });

  // How fast (within 2 s: refresh 750 ms + Unleash's revision tick of about 1 s) is measured by
  // `./ficus bench flags`, not here: a timed bound this close to its parts fails on a busy machine.
  it('a flag flip in Unleash is followed both ways, without a restart', async () => {
    const flipTime = async (mode: Mode, expected: string) => {
      await admin.setMode(flags.flip, mode);
      const t0 = Date.now();
      await waitFor(async () => (await sideOf(await fetch(`${proxy.url}/flip/x`))) === expected, { intervalMs: 20, timeoutMs: 15_000, what: `flip to ${mode}` });
      return Date.now() - t0;
    };
    const toService = await flipTime('service', 'service');
    const toLegacy = await flipTime('legacy', 'legacy');
    console.log(`      flips followed: to service ${toService} ms, to legacy ${toLegacy} ms`);
  });
});
