import { z } from 'zod';

/** `?page=&pageSize=` with defaults 1 and 20, pageSize at most 100. */
export const paginationQuery = {
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
};

/** `{ items, page, pageSize, total, totalPages }`: the one pagination shape of the API. */
export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
  totalPages: number;
}

export const paginated = <T>(items: T[], page: number, pageSize: number, total: number): Page<T> =>
  ({ items, page, pageSize, total, totalPages: Math.ceil(total / pageSize) });

/** A positive integer id in the path. */
export const idParam = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
