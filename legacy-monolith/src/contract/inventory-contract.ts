import { z } from 'zod';
import { idSchema, timestampSchema } from './common-schemas.ts';

export const adjustBody = z.strictObject({
  delta: z.int().min(-1_000_000).max(1_000_000).refine((d) => d !== 0, 'must not be 0').describe('units to add (negative to remove)'),
  reason: z.string().trim().min(3).max(255),
});
export const adjustmentsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export const stockSchema = z.strictObject({
  productId: idSchema,
  quantity: z.int().min(0),
  updatedAt: timestampSchema.nullable().describe('null when stock was never set'),
});
export const adjustmentSchema = z.strictObject({
  id: idSchema,
  productId: idSchema,
  delta: z.int(),
  quantityAfter: z.int().min(0),
  reason: z.string(),
  adminUserId: idSchema.nullable(),
  createdAt: timestampSchema,
});
export const adjustmentListSchema = z.strictObject({ items: z.array(adjustmentSchema) });
