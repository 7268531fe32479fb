import type { IntentStatus } from '../api/payments-api.ts';

export interface Operation {
  kind: 'authorize' | 'capture' | 'void' | 'refund';
  key: string;
  amountCents: number;
  gatewayRef: string;
  createdAt: Date;
}

export interface Intent {
  key: string;
  status: IntentStatus;
  amountCents: number;
  currency: string;
  capturedCents: number;
  refundedCents: number;
  reference: string | null;
  requestHash: string;
  authorizationRef: string | null;
  declineReason: string | null;
  operations: Operation[];
  createdAt: Date;
  updatedAt: Date;
}

export type IntentPatch = Partial<Pick<Intent, 'status' | 'capturedCents' | 'refundedCents' | 'authorizationRef' | 'declineReason'>> & { updatedAt: Date };
