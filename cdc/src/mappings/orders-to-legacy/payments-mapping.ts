import { z } from 'zod';
import type { TableMapping } from '../../apply/table-mapping-type.ts';
import { epochMillis, id } from '../debezium-types.ts';

const row = z.object({
  id, order_id: id, kind: z.enum(['charge', 'refund']), status: z.literal('succeeded'), amount_cents: z.number().int().nonnegative(),
  gateway_ref: z.string().min(1).max(64), created_at: epochMillis,
}).strict();

/** svc_orders.order_payments → legacy.payments. */
export const orderPaymentsToLegacy = (sourceDb = 'svc_orders'): TableMapping<typeof row> => ({
  sourceTable: `${sourceDb}.order_payments`,
  targetTable: 'payments',
  targetKey: ['id'],
  sourceRow: row,
  toTarget: (r) => ({ ...r }),
});
