import { z } from 'zod';
import type { TableMapping } from '../../apply/table-mapping-type.ts';
import { id } from '../debezium-types.ts';

const row = z.object({
  id, order_id: id, product_id: id, sku: z.string(), product_name: z.string(), quantity: z.number().int().positive(), unit_price_cents: z.number().int().nonnegative(),
}).strict();

/** svc_orders.order_items → legacy.order_items (the monolith reads sku and name from its products). */
export const orderItemsToLegacy = (sourceDb = 'svc_orders'): TableMapping<typeof row> => ({
  sourceTable: `${sourceDb}.order_items`,
  targetTable: 'order_items',
  targetKey: ['id'],
  sourceRow: row,
  toTarget: (r) => ({ id: r.id, order_id: r.order_id, product_id: r.product_id, quantity: r.quantity, unit_price_cents: r.unit_price_cents }),
});
