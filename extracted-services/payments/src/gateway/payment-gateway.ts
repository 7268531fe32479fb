/** The card processor as the payments service sees it. Every call carries a key the processor dedupes on. */
export interface PaymentGateway {
  authorize(req: { key: string; amountCents: number }): Promise<{ approved: true; ref: string } | { approved: false; reason: string }>;
  capture(req: { key: string; authorizationRef: string; amountCents: number }): Promise<{ ref: string }>;
  void(req: { key: string; authorizationRef: string }): Promise<{ ref: string }>;
  refund(req: { key: string; authorizationRef: string; amountCents: number }): Promise<{ ref: string }>;
}
