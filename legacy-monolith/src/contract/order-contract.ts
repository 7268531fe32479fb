import { z } from 'zod';
import { idSchema, pageSchema, timestampSchema } from './common-schemas.ts';
import { paginationQuery } from '../http/pagination.ts';

export const orderListQuery = z.object(paginationQuery);

export const orderSummarySchema = z.strictObject({
  id: idSchema,
  status: z.enum(['paid', 'cancelled']),
  totalCents: z.int().min(0),
  itemCount: z.int().min(0),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
  cancelledAt: timestampSchema.nullable(),
});

export const orderDetailSchema = orderSummarySchema.extend({
  customer: z.strictObject({ id: idSchema, email: z.string(), name: z.string() }),
  items: z.array(z.strictObject({
    productId: idSchema,
    sku: z.string(),
    name: z.string(),
    quantity: z.int().min(1),
    unitPriceCents: z.int().min(0).describe('price when the order was placed'),
    lineTotalCents: z.int().min(0),
  })),
  payments: z.array(z.strictObject({
    id: idSchema,
    kind: z.enum(['charge', 'refund']),
    status: z.literal('succeeded'),
    amountCents: z.int().min(0),
    gatewayRef: z.string(),
    createdAt: timestampSchema,
  })),
});
export const orderPageSchema = pageSchema(orderSummarySchema);
