import type { z } from 'zod';
import { FicusError } from '../errors/ficus-error.ts';

export type InputPart = 'body' | 'query' | 'path' | 'header';

/**
 * Parses one part of a request or throws VALIDATION_FAILED (400) listing every problem with its
 * field path in `details.issues`: the monolith's contract, shared so services answer the same way.
 */
export const validate = <S extends z.ZodType>(schema: S, input: unknown, part: InputPart): z.infer<S> => {
  const result = schema.safeParse(input ?? (part === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ in: part, path: i.path.map(String).join('.'), message: i.message }));
  throw new FicusError('VALIDATION_FAILED', `invalid ${part}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`,
    { status: 400, details: { issues } });
};
