import { expect } from 'chai';
import { createIntentService } from './intent-service.ts';
import { createFakeIntentStore } from './fake-intent-store.ts';
import { createSimulatedGateway } from '../gateway/simulated-gateway.ts';

describe('payments intent service (fakes)', () => {
  const setup = (gw: { declineRate?: number; failureRate?: number; random?: () => number } = {}) => {
    const store = createFakeIntentStore();
    const gateway = createSimulatedGateway({ declineRate: 0, latencyMs: 0, failureRate: 0, ...gw });
    const service = createIntentService({ store, uow: store, gateway, clock: () => new Date(Date.UTC(2025, 0, 1)) });
    return { store, gateway, service };
  };
  const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code: string }) => e.code);

  it('authorizes once per key and replays the outcome without calling the gateway to act again', async () => {
    const { service, store } = setup();
    const first = await service.authorize('p1', { amountCents: 1500, currency: 'EUR' });
    expect(first.created).to.equal(true);
    expect(first.intent).to.include({ status: 'authorized', amountCents: 1500 });
    const again = await service.authorize('p1', { amountCents: 1500, currency: 'EUR' });
    expect(again.created).to.equal(false);
    expect(again.intent.authorizationRef).to.equal(first.intent.authorizationRef);
    expect(await codeOf(service.authorize('p1', { amountCents: 1600, currency: 'EUR' }))).to.equal('IDEMPOTENCY_KEY_REUSED');
    expect(store.intents().get('p1')!.operations).to.have.length(1);
  });

  it('answers a decline with PAYMENT_DECLINED, the same on every replay', async () => {
    const { service } = setup({ declineRate: 1 });
    expect(await codeOf(service.authorize('p', { amountCents: 100, currency: 'EUR' }))).to.equal('PAYMENT_DECLINED');
    expect(await codeOf(service.authorize('p', { amountCents: 100, currency: 'EUR' }))).to.equal('PAYMENT_DECLINED');
    expect((await service.get('p')).status).to.equal('declined');
  });

  it('leaves nothing changed when the gateway fails, so the same key can be retried', async () => {
    let fail = true;
    const { service } = setup({ failureRate: 0.5, random: () => (fail ? 0 : 0.9) });
    expect(await codeOf(service.authorize('p', { amountCents: 100, currency: 'EUR' }))).to.equal('GATEWAY_UNAVAILABLE');
    expect((await service.get('p')).status).to.equal('pending');
    fail = false;
    expect((await service.authorize('p', { amountCents: 100, currency: 'EUR' })).intent.status).to.equal('authorized');
  });

  it('captures, refunds in parts by refund key, and refuses what the state does not allow', async () => {
    const { service } = setup();
    await service.authorize('p', { amountCents: 1000, currency: 'EUR' });
    expect((await service.capture('p')).status).to.equal('captured');
    expect((await service.capture('p')).capturedCents).to.equal(1000);
    expect(await codeOf(service.void('p'))).to.equal('PAYMENT_INVALID_STATE');
    expect((await service.refund('p', 'r1', 400)).refundedCents).to.equal(400);
    expect((await service.refund('p', 'r1', 400)).refundedCents).to.equal(400);
    expect(await codeOf(service.refund('p', 'r2', 700))).to.equal('REFUND_EXCEEDS_CAPTURED');
    const done = await service.refund('p', 'r2');
    expect(done).to.include({ status: 'refunded', refundedCents: 1000 });
    expect(done.operations.map((o) => o.kind)).to.deep.equal(['authorize', 'capture', 'refund', 'refund']);
  });

  it('voids idempotently, and a void that overtakes its authorize blocks it', async () => {
    const { service } = setup();
    await service.authorize('p', { amountCents: 1000, currency: 'EUR' });
    expect((await service.void('p')).status).to.equal('voided');
    expect((await service.void('p')).status).to.equal('voided');
    expect(await codeOf(service.capture('p'))).to.equal('PAYMENT_INVALID_STATE');
    expect((await service.void('early')).status).to.equal('voided');
    expect(await codeOf(service.authorize('early', { amountCents: 5, currency: 'EUR' }))).to.equal('PAYMENT_INVALID_STATE');
    expect(await codeOf(service.capture('nope'))).to.equal('PAYMENT_NOT_FOUND');
  });
});
