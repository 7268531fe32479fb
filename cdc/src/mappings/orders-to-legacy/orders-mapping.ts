import { z } from 'zod';
import type { TableMapping } from '../../apply/table-mapping-type.ts';
import { epochMillis, id } from '../debezium-types.ts';

const row = z.object({
  id, order_key: z.string().nullable(), user_id: id, customer_email: z.string(), customer_name: z.string(),
  status: z.enum(['pending', 'paid', 'failed', 'cancelled']), total_cents: z.number().int().nonnegative(), currency: z.literal('EUR'),
  request_hash: z.string().nullable(), failure_code: z.string().nullable(), failure_reason: z.string().nullable(),
  created_at: epochMillis, updated_at: epochMillis, cancelled_at: epochMillis.nullable(),
}).strict();

/**
 * svc_orders.orders → legacy.orders, while the service owns orders. The monolith knows only paid and
 * cancelled orders (its checkout is one transaction): a saga's pending or failed order has no row
 * in legacy, and one that fails after being seen paid is removed there.
 */
export const ordersToLegacy = (sourceDb = 'svc_orders'): TableMapping<typeof row> => ({
  sourceTable: `${sourceDb}.orders`,
  targetTable: 'orders',
  targetKey: ['id'],
  sourceRow: row,
  toTarget: (r) => ({ id: r.id, user_id: r.user_id, status: r.status, total_cents: r.total_cents, created_at: r.created_at, updated_at: r.updated_at, cancelled_at: r.cancelled_at }),
  absentWhen: (r) => r.status !== 'paid' && r.status !== 'cancelled',
});
