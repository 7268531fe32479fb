import { expect } from 'chai';
import { Router } from 'express';
import type { Knex } from 'knex';
import { createServiceApp } from './service-app.ts';
import { createHttpMetrics } from './http-metrics.ts';
import { createLogger } from '../log/logger.ts';
import { listenEphemeral } from '../testing/listen.ts';
import { createHttpClient, type HttpResponse } from '../testing/http-client.ts';
import { signServiceToken, signUserToken, userHeaderName } from '../auth/user-token.ts';

describe('service app: the /internal guard', () => {
  const secret = 'a-test-secret-of-at-least-32-characters!';
  let baseUrl: string;
  let close: () => Promise<void>;
  let reached = 0;

  before(async () => {
    // A new internal route with no check of its own, as a future handler might be written.
    const router = Router();
    router.get('/internal/new-thing/:id', (req, res) => { reached += 1; res.json({ id: req.params.id }); });
    router.post('/internal/new-thing', (_req, res) => { reached += 1; res.status(201).json({ ok: true }); });
    router.get('/api/public', (_req, res) => { res.json({ ok: true }); });
    const app = createServiceApp({
      log: createLogger('service-app-test'), knex: {} as Knex, metrics: createHttpMetrics('service-app-test', { defaultMetrics: false }),
      authSecrets: [secret], routers: [router],
    });
    ({ baseUrl, close } = await listenEphemeral(app));
  });
  after(async () => { await close(); });
  beforeEach(() => { reached = 0; });

  const codeOf = (r: HttpResponse): [number, string | undefined] => [r.status, (r.body as { error?: { code?: string } }).error?.code];
  const as = (token: string): Record<string, string> => ({ [userHeaderName]: token });
  const exp = (): number => Math.floor(Date.now() / 1000) + 60;

  it('refuses a request without a service identity (AUTH_REQUIRED) before the handler runs', async () => {
    const http = createHttpClient(baseUrl);
    expect(codeOf(await http.get('/internal/new-thing/1'))).to.deep.equal([401, 'AUTH_REQUIRED']);
    expect(codeOf(await http.post('/internal/new-thing', {}))).to.deep.equal([401, 'AUTH_REQUIRED']);
    expect(codeOf(await http.get('/INTERNAL/new-thing/1')), 'routing is case-insensitive, so is the guard').to.deep.equal([401, 'AUTH_REQUIRED']);
    expect(reached).to.equal(0);
  });

  it('refuses a forged or expired token as anonymous, and a customer with FORBIDDEN', async () => {
    const http = createHttpClient(baseUrl);
    const forged = signServiceToken('another-secret-of-at-least-32-characters', 60);
    expect(codeOf(await http.get('/internal/new-thing/1', as(forged)))).to.deep.equal([401, 'AUTH_REQUIRED']);
    const expired = signServiceToken(secret, 60, Date.now() - 120_000);
    expect(codeOf(await http.get('/internal/new-thing/1', as(expired)))).to.deep.equal([401, 'AUTH_REQUIRED']);
    const customer = signUserToken({ userId: 7, role: 'customer', exp: exp() }, secret);
    expect(codeOf(await http.get('/internal/new-thing/1', as(customer)))).to.deep.equal([403, 'FORBIDDEN']);
    expect(reached).to.equal(0);
  });

  it('accepts a signed service token, and an admin (operators)', async () => {
    const http = createHttpClient(baseUrl);
    const svc = await http.get('/internal/new-thing/1', as(signServiceToken(secret, 60)));
    expect([svc.status, svc.body]).to.deep.equal([200, { id: '1' }]);
    expect((await http.post('/internal/new-thing', {}, as(signServiceToken(secret, 60)))).status).to.equal(201);
    const admin = signUserToken({ userId: 1, role: 'admin', exp: exp() }, secret);
    expect((await http.get('/internal/new-thing/2', as(admin))).status).to.equal(200);
    expect(reached).to.equal(3);
  });

  it('leaves other paths alone', async () => {
    const http = createHttpClient(baseUrl);
    expect((await http.get('/api/public')).status).to.equal(200);
    expect((await http.get('/internalish')).status).to.equal(404);
    expect((await http.get('/health')).status).to.equal(200);
  });
});
