import { z } from 'zod';
import type { TableMapping } from '../../apply/table-mapping-type.ts';
import { epochMillis, id } from '../debezium-types.ts';

/** A payment as both sides hold it (the same columns in legacy.payments and svc_orders.order_payments). */
export const paymentRow = z.object({
  id, order_id: id, kind: z.enum(['charge', 'refund']), status: z.literal('succeeded'), amount_cents: z.number().int().nonnegative(),
  gateway_ref: z.string().min(1).max(64), created_at: epochMillis,
}).strict();

/** legacy.payments → svc_orders.order_payments (the same facts, column for column). */
export const paymentsToOrders = (sourceDb = 'legacy'): TableMapping<typeof paymentRow> => ({
  sourceTable: `${sourceDb}.payments`,
  targetTable: 'order_payments',
  targetKey: ['id'],
  sourceRow: paymentRow,
  toTarget: (r) => ({ ...r }),
});
