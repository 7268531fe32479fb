import { z } from 'zod';
import type { TableMapping } from '../../apply/table-mapping-type.ts';
import { epochMillis, id } from '../debezium-types.ts';

const row = z.object({
  id, product_id: id, delta: z.number().int(), on_hand_after: z.number().int().nonnegative(), reason: z.string().max(255),
  admin_user_id: id.nullable(), created_at: epochMillis,
}).strict();

/** svc_inventory.stock_adjustments → legacy.inventory_adjustments. */
export const stockAdjustmentsToLegacy = (sourceDb = 'svc_inventory'): TableMapping<typeof row> => ({
  sourceTable: `${sourceDb}.stock_adjustments`,
  targetTable: 'inventory_adjustments',
  targetKey: ['id'],
  sourceRow: row,
  toTarget: (r) => ({ id: r.id, product_id: r.product_id, delta: r.delta, quantity_after: r.on_hand_after, reason: r.reason, admin_user_id: r.admin_user_id, created_at: r.created_at }),
});
