import type { TableMapping } from '../../apply/table-mapping-type.ts';
import { paymentRow } from '../legacy-to-orders/payments-mapping.ts';

/** svc_orders.order_payments → legacy.payments (the same facts, column for column). */
export const orderPaymentsToLegacy = (sourceDb = 'svc_orders'): TableMapping<typeof paymentRow> => ({
  sourceTable: `${sourceDb}.order_payments`,
  targetTable: 'payments',
  targetKey: ['id'],
  sourceRow: paymentRow,
  toTarget: (r) => ({ ...r }),
});
