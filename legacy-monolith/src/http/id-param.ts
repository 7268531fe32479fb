import { z } from 'zod';

/** A positive integer id in the path. */
export const idParam = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const idParams = z.object({ id: idParam });
export const productIdParams = z.object({ productId: idParam });
