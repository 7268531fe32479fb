/** The external card processor, as the monolith sees it. */
export interface PaymentGateway {
  charge(req: { idempotencyKey: string; amountCents: number }): Promise<{ approved: true; ref: string } | { approved: false; reason: string }>;
  refund(req: { chargeRef: string; amountCents: number }): Promise<{ ref: string }>;
}
