import { z } from 'zod';
import { idSchema } from './common-schemas.ts';

export const addCartItemBody = z.strictObject({ productId: idSchema, quantity: z.int().min(1).max(999).default(1) });
export const setCartQuantityBody = z.strictObject({ quantity: z.int().min(1).max(999) });

export const cartSchema = z.strictObject({
  items: z.array(z.strictObject({
    productId: idSchema,
    sku: z.string(),
    name: z.string(),
    unitPriceCents: z.int().min(0).describe('current price of the product'),
    quantity: z.int().min(1),
    lineTotalCents: z.int().min(0),
  })),
  itemCount: z.int().min(0).describe('sum of quantities'),
  totalCents: z.int().min(0),
});
