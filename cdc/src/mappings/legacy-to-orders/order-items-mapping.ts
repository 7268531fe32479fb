import { z } from 'zod';
import { enrichFrom, type TableMapping } from '../../apply/table-mapping-type.ts';
import { id } from '../debezium-types.ts';

const row = z.object({ id, order_id: id, product_id: id, quantity: z.number().int().positive(), unit_price_cents: z.number().int().nonnegative() }).strict();

/** legacy.order_items → svc_orders.order_items; the product's sku and name (a snapshot in the service) are read from legacy.products. */
export const orderItemsToOrders = (sourceDb = 'legacy'): TableMapping<typeof row> => ({
  sourceTable: `${sourceDb}.order_items`,
  targetTable: 'order_items',
  targetKey: ['id'],
  sourceRow: row,
  toTarget: (r) => ({ id: r.id, order_id: r.order_id, product_id: r.product_id, sku: '', product_name: '', quantity: r.quantity, unit_price_cents: r.unit_price_cents }),
  reads: ['products'],
  enrich: (rows, read) => enrichFrom(rows, read, 'products', 'product_id', { sku: 'sku', product_name: 'name' }),
});
