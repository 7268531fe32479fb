import { z } from 'zod';
import { enrichFrom, type TableMapping } from '../../apply/table-mapping-type.ts';
import { epochMillis, id } from '../debezium-types.ts';

const row = z.object({
  id, user_id: id, status: z.enum(['paid', 'cancelled']), total_cents: z.number().int().nonnegative(),
  created_at: epochMillis, updated_at: epochMillis, cancelled_at: epochMillis.nullable(),
}).strict();

/**
 * legacy.orders → svc_orders.orders, while legacy owns the orders' writes. The service keeps a
 * snapshot of the customer on each order; the monolith joins `users`: the sync reads the customer's
 * email and name from legacy when it applies the order. No idempotency key (not placed by a saga).
 */
export const ordersToOrders = (sourceDb = 'legacy'): TableMapping<typeof row> => ({
  sourceTable: `${sourceDb}.orders`,
  targetTable: 'orders',
  targetKey: ['id'],
  sourceRow: row,
  toTarget: (r) => ({
    id: r.id, order_key: null, user_id: r.user_id, customer_email: '', customer_name: '', status: r.status, total_cents: r.total_cents,
    currency: 'EUR', request_hash: null, failure_code: null, failure_reason: null, created_at: r.created_at, updated_at: r.updated_at, cancelled_at: r.cancelled_at,
  }),
  reads: ['users'],
  enrich: (rows, read) => enrichFrom(rows, read, 'users', 'user_id', { customer_email: 'email', customer_name: 'name' }),
});
