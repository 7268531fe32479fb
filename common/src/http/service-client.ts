import { FicusError } from '../errors/ficus-error.ts';
import { signServiceToken, userHeaderName } from '../auth/user-token.ts';

export interface ServiceClientOptions {
  /** Name of the called service, for error messages (`inventory`). */
  service: string;
  baseUrl: string;
  /** Secret that signs the short-lived `service` token of every call. */
  authSecret: string;
  timeoutMs: number;
}

export interface ServiceCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  path: string;
  body?: unknown;
  requestId?: string | undefined;
  headers?: Record<string, string>;
}

/**
 * JSON over HTTP to another service's internal API. A `{error:{code,...}}` answer becomes a
 * FicusError with the same code, status and details (codes cross processes, classes do not); a
 * timeout or connection failure becomes `<SERVICE>_UNAVAILABLE` (503, retriable).
 */
export const createServiceClient = (o: ServiceClientOptions) => {
  const unavailable = (why: string, cause?: unknown) =>
    new FicusError(`${o.service.toUpperCase()}_UNAVAILABLE`, `${o.service} service unavailable: ${why}`, { status: 503, retriable: true, cause });
  return async <T>(call: ServiceCall): Promise<{ status: number; body: T }> => {
    let res: Response;
    try {
      res = await fetch(o.baseUrl + call.path, {
        method: call.method,
        headers: {
          [userHeaderName]: signServiceToken(o.authSecret),
          ...(call.requestId ? { 'x-request-id': call.requestId } : {}),
          ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...call.headers,
        },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: AbortSignal.timeout(o.timeoutMs),
      });
    } catch (e) {
      throw unavailable(e instanceof Error ? e.message : String(e), e);
    }
    const text = await res.text();
    let body: unknown;
    try { body = text ? JSON.parse(text) : undefined; } catch { throw unavailable(`answered ${res.status} with non-JSON`); }
    if (res.status >= 400) {
      const err = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
      if (err && typeof err.code === 'string') {
        throw new FicusError(err.code, String(err.message ?? err.code), {
          status: res.status, retriable: res.status >= 500,
          details: err.details && typeof err.details === 'object' ? err.details as Record<string, unknown> : undefined,
        });
      }
      throw unavailable(`answered ${res.status}`);
    }
    return { status: res.status, body: body as T };
  };
};

export type ServiceClient = ReturnType<typeof createServiceClient>;
