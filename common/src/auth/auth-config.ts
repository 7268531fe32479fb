import { z } from 'zod';

/** Dev-only default; a deployment sets its own (at least 32 characters), shared by the proxy and the services. */
export const devServiceAuthSecret = 'ficus-local-dev-service-auth-secret-change-me';

/** Environment entries every service and the proxy read for the signed `x-ficus-user` header. */
export const serviceAuthEnv = {
  /** Current HMAC secret. Example: `FICUS_SERVICE_AUTH_SECRET=$(openssl rand -base64 48)`. */
  FICUS_SERVICE_AUTH_SECRET: z.string().min(32, 'expected at least 32 characters').default(devServiceAuthSecret),
  /** The previous secret, still accepted while a rotation rolls out. */
  FICUS_SERVICE_AUTH_PREVIOUS_SECRET: z.string().min(32, 'expected at least 32 characters').optional(),
};

export const authSecretsOf = (e: { FICUS_SERVICE_AUTH_SECRET: string; FICUS_SERVICE_AUTH_PREVIOUS_SECRET?: string | undefined }): string[] =>
  [e.FICUS_SERVICE_AUTH_SECRET, ...(e.FICUS_SERVICE_AUTH_PREVIOUS_SECRET ? [e.FICUS_SERVICE_AUTH_PREVIOUS_SECRET] : [])];
