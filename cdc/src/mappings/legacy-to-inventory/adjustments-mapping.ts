import { z } from 'zod';
import type { TableMapping } from '../../apply/table-mapping-type.ts';
import { epochMillis, id } from '../debezium-types.ts';

const row = z.object({
  id, product_id: id, delta: z.number().int(), quantity_after: z.number().int().nonnegative(), reason: z.string().max(255),
  admin_user_id: id.nullable(), created_at: epochMillis,
}).strict();

/** legacy.inventory_adjustments → svc_inventory.stock_adjustments (the audit trail of admin adjustments). */
export const adjustmentsToStockAdjustments = (sourceDb = 'legacy'): TableMapping<typeof row> => ({
  sourceTable: `${sourceDb}.inventory_adjustments`,
  targetTable: 'stock_adjustments',
  targetKey: ['id'],
  sourceRow: row,
  toTarget: (r) => ({ id: r.id, product_id: r.product_id, delta: r.delta, on_hand_after: r.quantity_after, reason: r.reason, admin_user_id: r.admin_user_id, created_at: r.created_at }),
});
