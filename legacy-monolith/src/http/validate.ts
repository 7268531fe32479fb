import type { z } from 'zod';
import { appError } from '../errors.ts';

export type InputPart = 'body' | 'query' | 'path';

/** Parses one part of a request or throws VALIDATION_FAILED listing every problem with its field path. */
export const validate = <S extends z.ZodType>(schema: S, input: unknown, part: InputPart): z.infer<S> => {
  const result = schema.safeParse(input ?? (part === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ in: part, path: i.path.map(String).join('.'), message: i.message }));
  throw appError('VALIDATION_FAILED', `invalid ${part}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`, { issues });
};
