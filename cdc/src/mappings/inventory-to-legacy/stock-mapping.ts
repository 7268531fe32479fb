import { z } from 'zod';
import type { TableMapping } from '../../apply/table-mapping-type.ts';
import { epochMillis, id } from '../debezium-types.ts';

const row = z.object({ product_id: id, on_hand: z.number().int().nonnegative(), reserved: z.number().int().nonnegative(), updated_at: epochMillis }).strict();

/**
 * svc_inventory.stock_levels → legacy.inventory (reverse sync). The monolith's quantity is the
 * on-hand count; holds (reserved) exist only in the service.
 */
export const stockLevelsToLegacy = (sourceDb = 'svc_inventory'): TableMapping<typeof row> => ({
  sourceTable: `${sourceDb}.stock_levels`,
  targetTable: 'inventory',
  targetKey: ['product_id'],
  sourceRow: row,
  toTarget: (r) => ({ product_id: r.product_id, quantity: r.on_hand, updated_at: r.updated_at }),
});
