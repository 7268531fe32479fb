import { randomUUID } from 'node:crypto';
import type { PaymentGateway } from './payment-gateway.ts';
import { paymentError } from '../payments-errors.ts';

export interface SimulatedGatewayOptions {
  /** Share of authorizations declined, 0..1. */
  declineRate: number;
  /** Delay of every call in ms, like a remote processor. */
  latencyMs: number;
  /** Share of calls that fail as if the processor timed out (GATEWAY_UNAVAILABLE), 0..1. */
  failureRate: number;
  random?: () => number;
}

/**
 * A stand-in card processor. Like real ones it is idempotent by request key: the same key gets
 * the same answer (a retried authorization is not declined on the second try, nor charged twice).
 */
export const createSimulatedGateway = ({ declineRate, latencyMs, failureRate, random = Math.random }: SimulatedGatewayOptions): PaymentGateway & { calls: number } => {
  const answers = new Map<string, unknown>();
  const delay = () => (latencyMs > 0 ? new Promise<void>((r) => setTimeout(r, latencyMs)) : Promise.resolve());
  const once = async <T>(key: string, make: () => T): Promise<T> => {
    gw.calls += 1;
    await delay();
    if (answers.has(key)) return answers.get(key) as T;
    if (failureRate > 0 && random() < failureRate) throw paymentError('GATEWAY_UNAVAILABLE', 'payment gateway timed out', { key });
    const answer = make();
    answers.set(key, answer);
    if (answers.size > 100_000) answers.delete(answers.keys().next().value as string);
    return answer;
  };
  const gw: PaymentGateway & { calls: number } = {
    calls: 0,
    authorize: ({ key }) => once(`auth:${key}`, () => (declineRate > 0 && random() < declineRate
      ? { approved: false as const, reason: 'card declined by issuer' }
      : { approved: true as const, ref: `au_${randomUUID()}` })),
    capture: ({ key }) => once(`capture:${key}`, () => ({ ref: `ch_${randomUUID()}` })),
    void: ({ key }) => once(`void:${key}`, () => ({ ref: `vo_${randomUUID()}` })),
    refund: ({ key }) => once(`refund:${key}`, () => ({ ref: `re_${randomUUID()}` })),
  };
  return gw;
};
