import { expect } from 'chai';
import { devServiceAuthSecret, verifyUserToken, waitFor } from '@ficus/common';
import { createTestDatabase, listenEphemeral } from '@ficus/common/testing';
import { createApp, applyLegacySchema, testConfig as legacyTestConfig } from '@ficus/legacy-monolith';
import { startTestBackend, type TestBackend } from '../testing/test-backend.ts';
import { describeEachEngine, startTestProxy, uniqueFlag, unleashAdmin } from '../testing/test-proxy.ts';

/**
 * Through the real proxy, the real monolith (for sessions) and the real Unleash: a service sees the
 * proxy's signed identity of the monolith session, and never one a client made up.
 */
describeEachEngine('strangler proxy: monolith session → signed x-ficus-user for services', function () {
  this.timeout(60_000);
  const admin = unleashAdmin();
  const flag = uniqueFlag('identity');
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let monolith: Awaited<ReturnType<typeof listenEphemeral>>;
  let svc: TestBackend;
  let proxy: Awaited<ReturnType<typeof startTestProxy>>;
  const forged = 'v1.eyJzdWIiOjEsInJvbGUiOiJhZG1pbiIsImV4cCI6OTk5OTk5OTk5OX0.Zm9yZ2Vk';

  before(async () => {
    db = await createTestDatabase('proxy_identity');
    await applyLegacySchema(db.knex);
    monolith = await listenEphemeral(createApp(legacyTestConfig(), db.knex));
    svc = await startTestBackend('svc');
    svc.handle((req, res) => {
      const header = req.headers['x-ficus-user'];
      const v = typeof header === 'string' ? verifyUserToken(header, [devServiceAuthSecret]) : undefined;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ header: header ?? null, claims: v?.ok ? v.claims : null }));
    });
    await admin.ensureFlag(flag);
    await admin.setMode(flag, 'service');
    proxy = await startTestProxy({
      targets: { legacy: monolith.baseUrl, svc: svc.origin },
      routes: [{ id: 'who', method: 'GET', path: '/who', service: 'svc', flag, fallbackToLegacy: false }],
      env: { FICUS_PROXY_SESSION_CACHE_MS: '0' }, // every request asks the monolith: logout shows at once
    });
    await waitFor(async () => (await fetch(`${proxy.url}/who`)).ok, { what: 'service mode' });
  });
  after(async () => {
    await proxy?.close();
    await svc?.close();
    await monolith?.close();
    await db?.drop();
  });

  const who = async (headers: Record<string, string>) =>
    (await (await fetch(`${proxy.url}/who`, { headers })).json()) as { header: string | null; claims: { userId: number; role: string } | null };

  it('signs the logged-in user for the service, drops forged headers, and stops after logout', async () => {
    const reg = await fetch(`${proxy.url}/api/auth/register`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `who-${Date.now()}@example.com`, password: 'a-long-password-1', name: 'Who' }),
    });
    expect(reg.status).to.equal(201);
    const user = (await reg.json()) as { id: number };
    const cookies = reg.headers.getSetCookie().map((c) => c.split(';')[0]!);
    expect(cookies.some((c) => c === `ficus_uid=${user.id}`), 'stickiness cookie').to.equal(true);
    const cookie = cookies.join('; ');

    const signed = await who({ cookie, 'x-ficus-user': forged });
    expect(signed.header).to.not.equal(forged);
    expect(signed.claims).to.deep.include({ userId: user.id, role: 'customer' });

    expect(await who({ 'x-ficus-user': forged })).to.deep.equal({ header: null, claims: null });

    expect((await fetch(`${proxy.url}/api/auth/logout`, { method: 'POST', headers: { cookie } })).status).to.equal(204);
    expect((await who({ cookie })).header).to.equal(null);
  });
});
