import { z } from 'zod';

/** DATETIME with time.precision.mode=connect arrives as epoch milliseconds (UTC). */
export const epochMillis = z.number().int().transform((ms) => new Date(ms));
/** BIGINT UNSIGNED ids arrive as JSON numbers. */
export const id = z.number().int().nonnegative();
