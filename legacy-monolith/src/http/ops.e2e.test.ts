import { expect } from 'chai';
import { startLegacyTestApp, type LegacyTestApp } from '../testing/legacy-test-app.ts';
import { expectError, expectOk } from '../testing/expect-api.ts';
import { healthSchema, readySchema } from '../contract/common-schemas.ts';
import { routes } from '../contract/routes.ts';

describe('ops: health, readiness, request ids, contract document (e2e)', () => {
  let t: LegacyTestApp;
  before(async () => { t = await startLegacyTestApp('ops'); });
  after(async () => { await t?.close(); });

  it('answers /health and /ready', async () => {
    expectOk(await t.client().get('/health'), 200, healthSchema);
    expectOk(await t.client().get('/ready'), 200, readySchema);
  });

  it('echoes an incoming x-request-id and makes one when missing or unusable', async () => {
    expect((await t.client().get('/health', { 'x-request-id': 'abc-123' })).headers.get('x-request-id')).to.equal('abc-123');
    const made = (await t.client().get('/health')).headers.get('x-request-id');
    expect(made).to.match(/^[0-9a-f-]{36}$/);
    expect((await t.client().get('/health', { 'x-request-id': 'bad id with spaces' })).headers.get('x-request-id')).to.not.equal('bad id with spaces');
    const err = expectError(await t.client().get('/api/products/999999', { 'x-request-id': 'req-42' }), 404, 'PRODUCT_NOT_FOUND');
    expect(err.requestId).to.equal('req-42');
  });

  it('answers ROUTE_NOT_FOUND for unknown routes and BODY_TOO_LARGE for huge bodies', async () => {
    expectError(await t.client().get('/api/nope'), 404, 'ROUTE_NOT_FOUND');
    expectError(await t.client().request('DELETE', '/api/products/1'), 404, 'ROUTE_NOT_FOUND');
    expectError(await t.client().post('/api/auth/login', { email: 'x'.repeat(200_000), password: 'y' }), 413, 'BODY_TOO_LARGE');
  });

  it('serves an OpenAPI 3.1 document naming every route, and every documented route exists', async () => {
    const doc = (await t.client().get('/openapi.json')).body as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).to.equal('3.1.0');
    for (const r of routes) {
      expect(doc.paths[r.path]?.[r.method], `${r.method} ${r.path}`).to.be.an('object');
      const path = r.path.replace(/\{[^}]+\}/g, '999999');
      const res = await t.client().request(r.method.toUpperCase(), path, r.body ? { body: {} } : {});
      expect((res.body as { error?: { code: string } }).error?.code, `${r.method} ${path}`).to.not.equal('ROUTE_NOT_FOUND');
      expect(res.status, `${r.method} ${path}`).to.be.below(500);
    }
  });
});
