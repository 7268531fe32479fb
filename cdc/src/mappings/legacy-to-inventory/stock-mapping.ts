import { z } from 'zod';
import type { TableMapping } from '../../apply/table-mapping-type.ts';
import { epochMillis, id } from '../debezium-types.ts';

const row = z.object({ product_id: id, quantity: z.number().int().nonnegative(), updated_at: epochMillis }).strict();

/**
 * legacy.inventory → svc_inventory.stock_levels. Only `on_hand` comes from legacy; `reserved`
 * belongs to the service (its reservations) and is never written by the sync.
 */
export const inventoryToStockLevels = (sourceDb = 'legacy'): TableMapping<typeof row> => ({
  sourceTable: `${sourceDb}.inventory`,
  targetTable: 'stock_levels',
  targetKey: ['product_id'],
  sourceRow: row,
  toTarget: (r) => ({ product_id: r.product_id, on_hand: r.quantity, updated_at: r.updated_at }),
});
