import { z } from 'zod';
import { errorCatalogue, type ErrorCode } from '../errors.ts';

export const idSchema = z.int().positive();
export const timestampSchema = z.iso.datetime({ offset: false }).describe('ISO 8601 UTC timestamp with milliseconds');

export const errorBodySchema = (codes: readonly ErrorCode[] = Object.keys(errorCatalogue) as ErrorCode[]) => z.strictObject({
  error: z.strictObject({
    code: z.enum(codes as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    requestId: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** `{ items, page, pageSize, total, totalPages }`: the one pagination shape of the API. */
export const pageSchema = <T extends z.ZodType>(item: T) => z.strictObject({
  items: z.array(item),
  page: z.int().min(1),
  pageSize: z.int().min(1).max(100),
  total: z.int().min(0),
  totalPages: z.int().min(0),
});

export const healthSchema = z.strictObject({ status: z.literal('ok') });
export const readySchema = z.strictObject({ status: z.literal('ready') });
