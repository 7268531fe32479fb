import type { OrderDetail } from './order-types.ts';

const euros = (cents: number) => `EUR ${(cents / 100).toFixed(2)}`;

/** The outbox messages a worker (outside the monolith) will send. */
export const orderPlacedEmail = (o: OrderDetail) => ({
  subject: `Your order #${o.id} is confirmed`,
  body: [`Hello ${o.customer.name},`, '', `we received your order #${o.id}:`,
    ...o.items.map((i) => `  ${i.quantity} x ${i.name} (${euros(i.unitPriceCents)})`), '', `Total: ${euros(o.totalCents)}`].join('\n'),
});

export const orderCancelledEmail = (o: OrderDetail) => ({
  subject: `Your order #${o.id} is cancelled`,
  body: `Hello ${o.customer.name},\n\nyour order #${o.id} is cancelled and ${euros(o.totalCents)} will be refunded.`,
});
