import { z } from 'zod';
import { FicusError } from '../errors/ficus-error.ts';

/**
 * Parses `input` (usually `process.env` or a parsed file) with a zod schema once, at start.
 * Returns a deeply frozen typed object, or throws CONFIG_INVALID with one line per mistake:
 * where (source and key path), what was expected, what was found.
 */
export const parseConfig = <S extends z.ZodType>(schema: S, input: unknown, source: string): Readonly<z.infer<S>> => {
  const result = schema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${source}: ${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
    throw new FicusError('CONFIG_INVALID', `invalid configuration\n  ${problems.join('\n  ')}`, {
      details: { source, problems },
    });
  }
  return deepFreeze(result.data);
};

export const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
};

/** A TCP port given as a string in the environment. */
export const portSchema = z.coerce.number().int().min(1).max(65535);

export const defaultListenHost = '127.0.0.1';

/**
 * The address an app listens on: `FICUS_LISTEN_HOST`, 127.0.0.1 unless set. Only a container
 * deployment (docker-compose.yml) sets it, to 0.0.0.0, so the other containers reach the app.
 */
export const readListenHost = (env: NodeJS.ProcessEnv = process.env): string =>
  parseConfig(z.object({ FICUS_LISTEN_HOST: z.union([z.ipv4(), z.ipv6(), z.literal('localhost')]).default(defaultListenHost) }), env, 'environment').FICUS_LISTEN_HOST;
