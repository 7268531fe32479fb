import { randomUUID } from 'node:crypto';
import type { PaymentGateway } from './payment-gateway.ts';

export interface SimulatedGatewayOptions {
  /** Share of charges declined, 0..1. */
  declineRate: number;
  /** Delay of every call, in ms, like a remote processor. */
  latencyMs: number;
  random?: () => number;
}

/** A stand-in for a card processor with configurable decline rate and latency. */
export const createSimulatedPaymentGateway = ({ declineRate, latencyMs, random = Math.random }: SimulatedGatewayOptions): PaymentGateway => {
  const delay = () => (latencyMs > 0 ? new Promise<void>((r) => setTimeout(r, latencyMs)) : Promise.resolve());
  return {
    async charge() {
      await delay();
      if (declineRate > 0 && random() < declineRate) return { approved: false, reason: 'card declined by issuer' };
      return { approved: true, ref: `ch_${randomUUID()}` };
    },
    async refund() {
      await delay();
      return { ref: `re_${randomUUID()}` };
    },
  };
};
