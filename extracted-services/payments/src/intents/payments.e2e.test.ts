import { expect } from 'chai';
import type { Knex } from 'knex';
import { devServiceAuthSecret, signServiceToken, signUserToken } from '@ficus/common';
import { createHttpClient, createTestDatabase, listenEphemeral, type HttpClient } from '@ficus/common/testing';
import { createPaymentsApp } from '../create-app.ts';
import { applyPaymentsSchema } from '../db/apply-payments-schema.ts';
import { createSimulatedGateway } from '../gateway/simulated-gateway.ts';
import { paymentIntentSchema } from '../api/payments-api.ts';

describe('payments service: intents against the simulated gateway on MariaDB (e2e)', () => {
  let db: { knex: Knex; drop: () => Promise<void> };
  const servers: Array<() => Promise<void>> = [];
  const start = async (gateway: { declineRate: number; latencyMs: number; failureRate: number }) => {
    const gw = createSimulatedGateway(gateway);
    const s = await listenEphemeral(createPaymentsApp({ gateway, auth: { secrets: [devServiceAuthSecret] } }, db.knex, { gateway: gw }));
    servers.push(s.close);
    return { gw, http: createHttpClient(s.baseUrl, () => ({ 'x-ficus-user': signServiceToken(devServiceAuthSecret) })), baseUrl: s.baseUrl };
  };
  let svc: HttpClient;

  before(async () => {
    db = await createTestDatabase('payments_svc');
    await applyPaymentsSchema(db.knex);
    svc = (await start({ declineRate: 0, latencyMs: 0, failureRate: 0 })).http;
  });
  after(async () => { for (const c of servers) await c(); await db?.drop(); });

  const code = (r: { status: number; body: unknown }) => [r.status, (r.body as { error: { code: string } }).error.code];

  it('authorizes (201, then 200 on replay), captures, refunds and shows every operation', async () => {
    const first = await svc.put('/internal/payment-intents/order-1-pay', { amountCents: 2599, reference: 'order-1' });
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    expect(paymentIntentSchema.parse(first.body)).to.include({ status: 'authorized', amountCents: 2599, reference: 'order-1' });
    const replay = await svc.put('/internal/payment-intents/order-1-pay', { amountCents: 2599, reference: 'order-1' });
    expect(replay.status).to.equal(200);
    expect(replay.body).to.deep.equal(first.body);
    expect(((await svc.post('/internal/payment-intents/order-1-pay/capture')).body as { status: string }).status).to.equal('captured');
    const refund = await svc.put('/internal/payment-intents/order-1-pay/refunds/cancel-1', {});
    expect(paymentIntentSchema.parse(refund.body)).to.include({ status: 'refunded', refundedCents: 2599 });
    const view = paymentIntentSchema.parse((await svc.get('/internal/payment-intents/order-1-pay')).body);
    expect(view.operations.map((o) => o.kind)).to.deep.equal(['authorize', 'capture', 'refund']);
  });

  it('creates one authorization under 20 concurrent calls with the same key', async () => {
    const { http, gw } = await start({ declineRate: 0, latencyMs: 20, failureRate: 0 });
    const rs = await Promise.all(Array.from({ length: 20 }, () => http.put('/internal/payment-intents/dup-1', { amountCents: 500 })));
    expect(rs.map((r) => r.status).sort()).to.deep.equal([...Array(19).fill(200), 201]);
    expect(new Set(rs.map((r) => (r.body as { authorizationRef: string }).authorizationRef)).size).to.equal(1);
    expect(gw.calls).to.equal(1);
    expect(await db.knex('payment_operations').where('operation_key', 'dup-1:authorize')).to.have.length(1);
  });

  it('declines with the monolith code 402 PAYMENT_DECLINED, also on replay', async () => {
    const { http } = await start({ declineRate: 1, latencyMs: 0, failureRate: 0 });
    expect(code(await http.put('/internal/payment-intents/declined-1', { amountCents: 100 }))).to.deep.equal([402, 'PAYMENT_DECLINED']);
    expect(code(await http.put('/internal/payment-intents/declined-1', { amountCents: 100 }))).to.deep.equal([402, 'PAYMENT_DECLINED']);
  });

  it('answers a gateway failure with a retriable 502 and changes nothing', async () => {
    const { http } = await start({ declineRate: 0, latencyMs: 0, failureRate: 1 });
    expect(code(await http.put('/internal/payment-intents/flaky-1', { amountCents: 100 }))).to.deep.equal([502, 'GATEWAY_UNAVAILABLE']);
    expect(((await svc.get('/internal/payment-intents/flaky-1')).body as { status: string }).status).to.equal('pending');
    expect((await svc.put('/internal/payment-intents/flaky-1', { amountCents: 100 })).status).to.equal(201);
  });

  it('refuses bad input, wrong states and callers without the service role', async () => {
    expect(code(await svc.put('/internal/payment-intents/bad key!', { amountCents: 1 }))).to.deep.equal([400, 'VALIDATION_FAILED']);
    expect(code(await svc.put('/internal/payment-intents/k-2', { amountCents: 0 }))).to.deep.equal([400, 'VALIDATION_FAILED']);
    expect(code(await svc.put('/internal/payment-intents/k-2', { amountCents: 10, currency: 'USD' }))).to.deep.equal([400, 'VALIDATION_FAILED']);
    expect(code(await svc.post('/internal/payment-intents/none/capture'))).to.deep.equal([404, 'PAYMENT_NOT_FOUND']);
    await svc.put('/internal/payment-intents/k-3', { amountCents: 10 });
    expect(code(await svc.put('/internal/payment-intents/k-3', { amountCents: 11 }))).to.deep.equal([409, 'IDEMPOTENCY_KEY_REUSED']);
    expect(code(await svc.put('/internal/payment-intents/k-3/refunds/r', {}))).to.deep.equal([409, 'PAYMENT_INVALID_STATE']);
    expect(((await svc.post('/internal/payment-intents/k-3/void')).body as { status: string }).status).to.equal('voided');
    const baseUrl = (await start({ declineRate: 0, latencyMs: 0, failureRate: 0 })).baseUrl;
    expect(code(await createHttpClient(baseUrl).get('/internal/payment-intents/k-3'))).to.deep.equal([401, 'AUTH_REQUIRED']);
    const customer = { 'x-ficus-user': signUserToken({ userId: 5, role: 'customer', exp: Math.floor(Date.now() / 1000) + 60 }, devServiceAuthSecret) };
    expect(code(await createHttpClient(baseUrl, customer).get('/internal/payment-intents/k-3'))).to.deep.equal([403, 'FORBIDDEN']);
  });
});
